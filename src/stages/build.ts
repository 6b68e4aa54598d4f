import path from 'node:path';
import Docker from 'dockerode';
import type { BuildInputs } from '../inputs';
import type { Log } from '../log';
import type { RunContext } from '../context';
import type { StageResult } from '../types';
import { listContextFiles } from '../build/context-files';
import { buildImage, DockerStreamError, lookupRemote, pushImage } from '../build/docker-image';
import { resolveAuth } from '../build/registry-auth';
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
}

export interface BuildOptions {
  ctx: RunContext;
  workDir: string;
  /** False for pull requests: build to prove it builds, push nothing. */
  mayPush: boolean;
  /** Value of the dev.safe-deploy.gate label: whether the gate passed for this commit. */
  gateLabel: 'passed' | 'skipped';
  docker?: Docker;
  log: Log;
}

export async function runBuild(b: BuildInputs, o: BuildOptions): Promise<BuildResult> {
  const repo = b.image!;
  const image = `${repo}:${o.ctx.sha}`;
  const push = b.push && o.mayPush;
  const base = { image, buildSkipped: false, pushed: false, tags: [o.ctx.sha, ...b.tags] };
  const docker = o.docker ?? new Docker();
  await pingEngine(docker);

  const { auth, source } = resolveAuth(repo, b.registryUsername, b.registryPassword);
  if (auth?.password) {
    registerSecret(auth.password);
    registerSecret(`${auth.username}:${auth.password}`);
    registerSecret(Buffer.from(JSON.stringify(auth)).toString('base64url'));
  }
  if (auth?.identitytoken) registerSecret(auth.identitytoken);
  o.log.info(`Registry credentials: ${source}.`);

  if (b.rebuild === 'auto' && push) {
    o.log.info(`Asking the registry whether ${image} already exists…`);
    const remote = await lookupRemote(docker, image, auth);
    if (remote.exists) {
      o.log.info(`${image} is already in the registry (${remote.digest}): not building it again.`);
      return {
        ...base,
        status: 'passed',
        detail: `already built for this commit: ${remote.digest}`,
        digest: remote.digest,
        imageRef: `${repo}@${remote.digest}`,
        buildSkipped: true,
      };
    }
  }

  const contextDir = path.resolve(o.workDir, b.context);
  const labels = {
    'org.opencontainers.image.revision': o.ctx.sha,
    'org.opencontainers.image.created': new Date().toISOString(),
    ...(o.ctx.repository
      ? { 'org.opencontainers.image.source': `${o.ctx.serverUrl}/${o.ctx.repository}` }
      : {}),
    'dev.safe-deploy.gate': o.gateLabel,
    ...b.labels,
  };
  o.log.info(`Building ${image} from ${contextDir} (${b.dockerfile})…`);
  try {
    await buildImage(
      docker,
      {
        contextDir,
        files: listContextFiles(contextDir, b.dockerfile),
        dockerfile: b.dockerfile,
        tag: image,
        buildArgs: b.buildArgs,
        target: b.buildTarget,
        labels,
        auth,
      },
      o.log.info,
    );
  } catch (err) {
    return failure(
      base,
      'docker build failed',
      err,
      "Fix the Dockerfile or build context (Docker's message and last lines are above), then push again.",
    );
  }
  for (const tag of b.tags) await docker.getImage(image).tag({ repo, tag });

  if (!push) {
    const why = o.mayPush ? 'push is false' : 'pull requests never push';
    return { ...base, status: 'passed', detail: `built ${image}; not pushed (${why})` };
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

async function pingEngine(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    const where = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    throw new Error(
      `cannot reach the Docker engine at ${where} (${(err as Error).message}); is Docker running on this runner?`,
    );
  }
}
