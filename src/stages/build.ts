import path from 'node:path';
import Docker from 'dockerode';
import type { BuildInputs } from '../inputs';
import type { Log } from '../log';
import type { RunContext } from '../context';
import type { StageResult } from '../types';
import { listContextFiles } from '../build/context-files';
import { cacheFromCandidates, eventCommits, gitParents } from '../build/cache-from';
import { buildLine, describeBuild, type BuildInfo } from '../build/describe';
import {
  BuildError,
  buildImage,
  engineFacts,
  startSession,
  type BuildOutcome,
  type EngineFacts,
} from '../build/build-image';
import { DockerStreamError, imageLabels, lookupRemote, pushImage } from '../build/docker-image';
import { resolveAuth, type ResolvedAuth } from '../build/registry-auth';
import { warmSession } from '../build/session';
import { registerSecret } from '../secrets';

export interface BuildResult extends StageResult {
  /** `<image>:<sha>` */
  image: string;
  digest?: string;
  /** `<image>@<digest>`: what deploy runs, so a moved tag can never change what ships. */
  imageRef?: string;
  buildSkipped: boolean;
  pushed: boolean;
  tags: string[];
  /** Docker's last lines when the build or push failed. */
  lastLines?: string[];
  /** What the build did, for the summary: when it ran. */
  info?: BuildInfo;
}

export interface BuildOptions {
  ctx: RunContext;
  workDir: string;
  /** False for pull requests: build to prove it builds, push nothing. */
  mayPush: boolean;
  /** Value of the dev.safe-deploy.gate label: whether the gate passed for this commit. */
  gateLabel: 'passed' | 'skipped';
  access: ResolvedAuth;
  /** The registry's answer from findPriorBuild: found, absent (null), or not asked (undefined). */
  prior?: PriorBuild | null;
  dryRun: boolean;
  /** The questions the build asks before it starts, already in flight (prepareBuild); else asked here. */
  prep?: BuildPrep;
  log: Log;
}

/** The cache candidates' registry lookups: those found, and why each of the others is not used. */
interface CacheLookup {
  candidates: string[];
  refs: string[];
  skipped: { ref: string; why: string }[];
}

/**
 * What the build asks the engine, git and the registry before it can start, all asked at once as
 * soon as the build stage is loaded: every round trip here is on the clock of a run that builds,
 * and one after the other they cost more than the cached build itself. The promises never reject
 * (a run whose gate fails never reads them): each holds its answer or its error.
 */
export interface BuildPrep {
  docker: Docker;
  /** findPriorBuild's answer; undefined when not asked (PrepOptions.askPrior) or in doubt. */
  prior: Promise<PriorBuild | null | undefined>;
  /** `GET /_ping`: undefined when the engine answered, else its error. */
  reachable: Promise<Error | undefined>;
  /** Version and networks for buildImage; a rejection is buildImage's to report, as before. */
  facts: Promise<EngineFacts>;
  /** Which cache candidates exist; [] when build-cache is none or the run is a dry run. */
  cache: Promise<CacheLookup>;
}

export interface PrepOptions {
  ctx: RunContext;
  workDir: string;
  access: ResolvedAuth;
  dryRun: boolean;
  /** Whether to look for this commit's image already built (findPriorBuild). */
  askPrior: boolean;
  log: Log;
  docker?: Docker;
}

/**
 * Starts the engine, git and registry questions of a build (see BuildPrep), the slowest first:
 * the registry's answer for this commit's own tag, which decides whether anything is built.
 */
export function prepareBuild(b: BuildInputs, o: PrepOptions): BuildPrep {
  const repo = b.image!;
  const docker = o.docker ?? new Docker(engineOptions());
  const prior = o.askPrior
    ? findPriorBuild(b, o.ctx.sha, o.access, o.log, docker)
    : Promise.resolve(undefined);
  const facts = engineFacts(docker);
  // Marked handled: a run that never builds (failed gate, earlier build) leaves it unread.
  facts.catch(() => undefined);
  // A first attempt usually builds (a re-run usually finds its image): its session's gRPC code
  // loads now, while the questions above are in flight, instead of on the way to the build.
  if (o.ctx.runAttempt === 1 && !o.dryRun) setImmediate(warmSession);
  return {
    docker,
    prior,
    reachable: docker.ping().then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    ),
    facts,
    cache:
      b.buildCache === 'registry' && !o.dryRun
        ? lookupCache(docker, repo, o)
        : Promise.resolve({ candidates: [], refs: [], skipped: [] }),
  };
}

/** `<image>:<sha>` already in the registry: a re-run, or a second environment. */
export interface PriorBuild {
  digest: string;
  imageRef: string;
  /** It carries dev.safe-deploy.gate=passed: this commit's gate already passed once. */
  gatePassed: boolean;
}

export const GATE_LABEL = 'dev.safe-deploy.gate';

/** Credentials for the image's registry, resolved once and masked before any use. */
export function registryAccess(b: BuildInputs, log: Log): ResolvedAuth {
  const access = resolveAuth(b.image!, b.registryUsername, b.registryPassword);
  const auth = access.auth;
  if (auth?.password) {
    registerSecret(auth.password);
    registerSecret(`${auth.username}:${auth.password}`);
    registerSecret(Buffer.from(JSON.stringify(auth)).toString('base64url'));
  }
  if (auth?.identitytoken) registerSecret(auth.identitytoken);
  log.info(`Registry credentials: ${access.source}.`);
  return access;
}

/**
 * Before the gate: is this commit's image already in the registry, and did its gate pass? A
 * re-run of an old run (a rollback) or a second environment then skips gate and build. Any doubt
 * (registry unreachable, credentials refused) answers undefined: the build stage asks again and
 * reports the cause in its own words.
 */
export async function findPriorBuild(
  b: BuildInputs,
  sha: string,
  access: ResolvedAuth,
  log: Log,
  docker = new Docker(),
): Promise<PriorBuild | null | undefined> {
  try {
    const remote = await lookupRemote(docker, `${b.image}:${sha}`, access.auth);
    if (!remote.exists) return null;
    const imageRef = `${b.image}@${remote.digest}`;
    const labels = await imageLabels(docker, imageRef, access.auth, log.debug);
    return { digest: remote.digest, imageRef, gatePassed: labels[GATE_LABEL] === 'passed' };
  } catch (err) {
    log.debug(`Could not look for an earlier build: ${(err as Error).message}`);
    return undefined;
  }
}

export async function runBuild(b: BuildInputs, o: BuildOptions): Promise<BuildResult> {
  const repo = b.image!;
  const image = `${repo}:${o.ctx.sha}`;
  const push = b.push && o.mayPush;
  const base: Omit<BuildResult, 'status' | 'detail'> = {
    image,
    buildSkipped: false,
    pushed: false,
    tags: [o.ctx.sha, ...b.tags],
  };
  const prep = o.prep ?? prepareBuild(b, { ...o, askPrior: false });
  const { docker } = prep;
  const unreachable = await prep.reachable;
  if (unreachable) {
    const where = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    throw new Error(
      `cannot reach the Docker engine at ${where} (${unreachable.message}); is Docker running on this runner?`,
    );
  }

  const auth = o.access.auth;
  const already = (p: PriorBuild): BuildResult => ({
    ...base,
    status: 'passed',
    detail: `already built for this commit: ${p.digest}`,
    digest: p.digest,
    imageRef: p.imageRef,
    buildSkipped: true,
  });
  if (o.prior) return already(o.prior);
  if (b.rebuild === 'auto' && push && o.prior === undefined) {
    o.log.info(`Asking the registry whether ${image} already exists…`);
    const remote = await lookupRemote(docker, image, auth);
    if (remote.exists) {
      o.log.info(`${image} is already in the registry (${remote.digest}): not building it again.`);
      return already({ digest: remote.digest, imageRef: `${repo}@${remote.digest}`, gatePassed: false });
    }
  }
  if (o.dryRun) {
    return {
      ...base,
      status: 'skipped',
      detail: `dry run: would build ${image}${push ? ' and push it' : ''} (not in the registry yet)`,
    };
  }

  const contextDir = path.resolve(o.workDir, b.context);
  const labels = {
    'org.opencontainers.image.revision': o.ctx.sha,
    'org.opencontainers.image.created': new Date().toISOString(),
    ...(o.ctx.repository
      ? { 'org.opencontainers.image.source': `${o.ctx.serverUrl}/${o.ctx.repository}` }
      : {}),
    [GATE_LABEL]: o.gateLabel,
    ...b.labels,
  };
  const secrets = new Map(Object.entries(b.buildSecrets));
  // The session opens and the context is listed while the cache lookups finish. The try below
  // closes the session however the build ends (buildImage closes it too: closing twice is
  // nothing); a context that cannot be listed closes it here.
  const opened = startSession(docker, secrets, auth);
  let files: string[];
  try {
    files = listContextFiles(contextDir, b.dockerfile);
  } catch (err) {
    void opened.then((s) => s.ok && s.session.close());
    throw err;
  }
  const cacheFrom = b.buildCache === 'registry' ? reportCache(await prep.cache, o.log) : [];
  o.log.info(`Building ${image} from ${contextDir} (${b.dockerfile})…`);
  const started = Date.now();
  let outcome: BuildOutcome;
  try {
    outcome = await buildImage(
      docker,
      {
        contextDir,
        files,
        dockerfile: b.dockerfile,
        tag: image,
        buildArgs: b.buildArgs,
        target: b.buildTarget,
        labels,
        auth,
        secrets,
        cacheFrom,
        inlineCache: b.buildCache === 'registry',
      },
      o.log.info,
      prep.facts,
      opened,
    );
  } catch (err) {
    const missing = err instanceof BuildError ? err.missingSecrets : [];
    if (missing.length > 0) {
      return failure(
        base,
        `docker build failed (the Dockerfile asked for secret ${missing.join(', ')}, which build-secrets does not define)`,
        err,
        `Add ${missing.map((m) => `\`${m}=…\``).join(' and ')} to build-secrets, or fix the secret id in the Dockerfile's RUN --mount.`,
      );
    }
    return failure(
      base,
      'docker build failed',
      err,
      err instanceof BuildError && err.fallbackReason
        ? 'Run the build on an engine with BuildKit (Docker 18.09 or later, Linux), or remove build-secrets.'
        : "Fix the Dockerfile or build context (Docker's message and last lines are above), then push again.",
    );
  } finally {
    void opened.then((s) => s.ok && s.session.close());
  }
  const info = describeBuild(outcome, b.buildCache, cacheFrom, (Date.now() - started) / 1000);
  info.sizeBytes = (await docker.getImage(outcome.id).inspect()).Size;
  if (outcome.missingSecrets.length > 0)
    o.log.warn(
      `The Dockerfile asked for secret ${outcome.missingSecrets.join(', ')}, which build-secrets does not define: its RUN step ran without it.`,
    );
  o.log.info(buildLine(info));
  for (const tag of b.tags) await docker.getImage(image).tag({ repo, tag });

  if (!push) {
    const why = o.mayPush ? 'push is false' : 'pull requests never push';
    return { ...base, status: 'passed', detail: `built ${image}; not pushed (${why})`, info };
  }

  let digest: string | undefined;
  try {
    for (const tag of base.tags) {
      o.log.info(`Pushing ${repo}:${tag}…`);
      const d = await pushImage(docker, repo, tag, auth, o.log.info);
      digest ??= d;
    }
  } catch (err) {
    return failure(
      base,
      'docker push failed',
      err,
      'Check that the registry is reachable and that the credentials may push to this repository.',
    );
  }
  base.info = info;
  if (!digest)
    return { ...base, status: 'failed', detail: `pushed ${image} but the registry reported no digest` };
  return {
    ...base,
    status: 'passed',
    detail: `built and pushed ${image} (${digest})`,
    digest,
    imageRef: `${repo}@${digest}`,
    pushed: true,
  };
}

function failure(
  base: Omit<BuildResult, 'status' | 'detail'>,
  what: string,
  err: unknown,
  hint: string,
): BuildResult {
  const message = err instanceof Error ? err.message : String(err);
  const lastLines = err instanceof DockerStreamError ? err.lastLines : undefined;
  return { ...base, status: 'failed', detail: `${what}: ${message.split('\n')[0]}`, hint, lastLines };
}

/** The docker CLI's DOCKER_API_VERSION pins the API version spoken to the engine; so does it here. */
function engineOptions(env: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
  const v = env.DOCKER_API_VERSION?.trim();
  return v ? { version: v.startsWith('v') ? v : `v${v}` } : {};
}

/**
 * The cache candidates that exist in the registry, asked together. The event's commits are asked
 * at once and git's parents when git answers (usually the same commit: `before`), so git is not
 * on the way. A missing or unreadable ref is skipped quietly (reportCache logs it at debug level):
 * cache is an optimisation and must never fail a build.
 */
async function lookupCache(docker: Docker, repo: string, o: PrepOptions): Promise<CacheLookup> {
  type Answer = { ref: string; found: boolean } | { ref: string; error: string };
  const asked = new Map<string, Promise<Answer>>();
  const ask = (ref: string): Promise<Answer> => {
    const known = asked.get(ref);
    if (known) return known;
    const answer = lookupRemote(docker, ref, o.access.auth).then(
      (r): Answer => ({ ref, found: r.exists }),
      (err: unknown): Answer => ({ ref, error: (err as Error).message }),
    );
    asked.set(ref, answer);
    return answer;
  };
  const events = eventCommits(o.ctx.payload);
  cacheFromCandidates(repo, o.ctx.sha, events).forEach(ask);
  const parents = await gitParents(o.workDir, o.ctx.sha);
  const candidates = cacheFromCandidates(repo, o.ctx.sha, [...parents, ...events]);
  const answers = await Promise.all(candidates.map(ask));
  return {
    candidates,
    refs: answers.flatMap((a) => ('found' in a && a.found ? [a.ref] : [])),
    skipped: answers.flatMap((a) => ('error' in a ? [{ ref: a.ref, why: a.error }] : [])),
  };
}

/** Logs what the cache lookups found, in the build's log group; returns the refs to use. */
function reportCache(c: CacheLookup, log: Log): string[] {
  for (const s of c.skipped) log.debug(`Not using ${s.ref} as build cache: ${s.why}`);
  log.info(
    c.refs.length > 0
      ? `Build cache from the registry: ${c.refs.join(', ')}.`
      : c.candidates.length > 0
        ? `Build cache: none of ${c.candidates.length} earlier image(s) is in the registry; building from local cache only.`
        : 'Build cache: no earlier commit known (no git parents, no event "before"); building from local cache only.',
  );
  return c.refs;
}
