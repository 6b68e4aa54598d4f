import * as runner from './runner';
import { decideDeploy, type DeployDecision } from './branch-guard';
import { ContextError, readRunContext, type RunContext } from './context';
import type { ReleaseRequest } from './deploy/release';
import type { DeployTarget } from './deploy/target';
import type { GitHubDeployments } from './github/deployments';
import { versionsFromHistory } from './github/history';
import { InputError, parseInputs, type Inputs } from './inputs';
import { log } from './log';
import { notifyRun } from './report/notify';
import { Pipeline } from './pipeline';
import { resultOf, type RunReport } from './report/run-report';
import { writeReport } from './report/write-report';
import { registerSecret } from './secrets';

// Stage modules and their heavy dependencies (dockerode with its gRPC/BuildKit code, ssh2, pg,
// libpg-query and its WASM, Octokit) are loaded with `import()` when their stage runs: ncc emits
// each as a chunk next to dist/index.js, so a run that only gates, or a rollback that never builds,
// does not pay for parsing ~4 MB of code it never calls. Type-only imports cost nothing at run time.

/** Set once the deploy target's code is loaded: only then can SSH connections be open. */
let closeConnections: (() => void) | undefined;

/** Orchestrates the stages; each stage's logic lives in its own module, runner I/O in report/. */
export async function run(): Promise<void> {
  const started = Date.now();
  const cancel = cancelOnSignals();
  const report: RunReport = {
    environment: runner.getInput('environment') || 'production',
    records: [],
    dryRun: false,
    durationMs: 0,
  };
  let inputs: Inputs | undefined;
  try {
    inputs = parseInputs((name) => runner.getInput(name), registerSecret);
    await runStages(report, inputs, cancel.signal);
  } catch (err) {
    // Bad inputs or context: one line, no stack trace, nothing done.
    if (!(err instanceof InputError || err instanceof ContextError))
      runner.debug((err as Error).stack ?? String(err));
    report.inputError = err instanceof Error ? err.message : String(err);
  }
  report.durationMs = Date.now() - started;

  await log.group('report: deployment status, outputs, summary, notification', async () => {
    await finishDeployment(report);
    await writeReport(report);
    if (inputs) await notifyRun(report, inputs.rollback);
  });

  closeConnections?.();

  const failed = report.records.find((s) => s.status === 'failed');
  if (report.inputError) runner.setFailed(report.inputError);
  else if (failed) runner.setFailed(`${failed.name} failed: ${failed.detail}`);
  else runner.info(`Result: ${resultOf(report)}.`);
}

async function runStages(report: RunReport, inputs: Inputs, signal: AbortSignal): Promise<void> {
  report.environment = inputs.environment;
  report.workDir = inputs.workingDirectory;
  report.dryRun = inputs.dryRun;
  const ctx = readRunContext();
  report.ctx = ctx;
  const decision = await decideDeploy(ctx, inputs.deployOn);
  report.decision = decision;
  const pipeline = new Pipeline(log, signal);
  report.records = pipeline.records;
  await openGitHub(report, inputs, ctx, decision);

  // A re-run of an old run (or a second environment) finds its image already built and gated.
  // What the build will ask the engine, git and the registry (this commit's earlier build first)
  // starts now, all at once: the answers come while the target's code loads, preflight reaches it
  // and the gate runs (none needs another's answer). A re-run that rolls back waits for one round
  // trip, not several in a row.
  const rollbackTo = inputs.rollback.rollbackTo;
  const b = inputs.build;
  const build = b.image && !rollbackTo ? await import('./stages/build') : undefined;
  const access = build ? build.registryAccess(b, log) : undefined;
  const prep =
    build && access
      ? build.prepareBuild(b, {
          ctx,
          workDir: inputs.workingDirectory,
          access,
          dryRun: inputs.dryRun,
          askPrior: b.rebuild === 'auto' && decision.mayPush,
          log,
        })
      : undefined;
  // Marked handled: a run that stops at preflight never reads them.
  prep?.prior.catch(() => undefined);
  prep?.cache.catch(() => undefined);

  // One target per run: preflight, the migration Job (on a cluster), deploy and verify's rollback
  // share its connection (one SSH session, one ping). Made now, a cluster's target loads the
  // Kubernetes client while gate and build run.
  const deploys = inputs.deploy.deployTo !== undefined && decision.mayDeploy;
  const [stagesTarget, docker] = deploys
    ? await Promise.all([import('./stages/target'), import('./deploy/docker')])
    : [];
  closeConnections = docker?.closeSshConnections;
  const cluster =
    inputs.deploy.deployTo === 'kubernetes'
      ? stagesTarget?.createKubernetesTarget(inputs, ctx, signal, log)
      : undefined;
  // GitHub's history (its request started in openGitHub) is awaited only where it is needed: the
  // release decision, after the target's lock and state read, so its round trip runs alongside them.
  const github = report.github;
  const history: Promise<History> = github
    ? historyRead(github, inputs.environment)
    : Promise.resolve({ known: [] });
  const target = stagesTarget?.createTarget(inputs, ctx, history, signal, log, cluster);
  if (rollbackTo) {
    const why = `rollback-to ${rollbackTo}: deploying an already-built version`;
    pipeline.skip('gate', why);
    pipeline.skip('build', why);
    pipeline.skip('migrate', `${why}; the database keeps its migrations`);
    return release(report, inputs, ctx, decision, pipeline, signal, {
      request: { kind: 'rollback-to', to: rollbackTo, repository: inputs.build.image },
      target,
      history,
    });
  }

  // The deploy target is reached before anything changes: no push, no migration for a host that
  // cannot be deployed to.
  if (target && !(await preflight(report, target, pipeline))) return;
  const prior = await prep?.prior;

  const g = inputs.gate;
  if (prior?.gatePassed)
    pipeline.skip('gate', `already passed for this commit (its image carries ${build?.GATE_LABEL}=passed)`);
  else if (!g.lintCommand && !g.testCommand && !g.coverageFile && g.junitFiles.length === 0)
    // Decided here, like build and migrate below, so a run without checks does not load the gate.
    pipeline.skip('gate', 'nothing to check: set lint-command, test-command, coverage-file or junit-files');
  else
    report.gate = await pipeline.stage('gate', 'lint, tests and coverage', async () => {
      const { runGate } = await import('./stages/gate');
      return runGate(inputs.gate, inputs.workingDirectory, log);
    });

  if (!build || !access) pipeline.skip('build', 'no image set');
  else {
    const gateLabel = report.gate?.status === 'passed' || prior?.gatePassed ? 'passed' : 'skipped';
    report.build = await pipeline.stage('build', `image ${b.image}:${ctx.shortSha}`, () =>
      build.runBuild(b, {
        ctx,
        workDir: inputs.workingDirectory,
        mayPush: decision.mayPush,
        gateLabel,
        access,
        prior,
        dryRun: inputs.dryRun,
        prep,
        log,
      }),
    );
  }

  const m = inputs.migrate;
  if (!m.migrationsDir && !m.migrateCommand)
    pipeline.skip('migrate', 'no migrations-dir or migrate-command set');
  else {
    report.migrate = await pipeline.stage('migrate', 'lint and apply database migrations', async () => {
      const { runMigrate } = await import('./stages/migrate');
      return runMigrate(m, {
        ctx,
        workDir: inputs.workingDirectory,
        mayDeploy: decision.mayDeploy,
        notDeployingBecause: decision.reason,
        dryRun: inputs.dryRun,
        image: report.build?.imageRef ?? report.build?.image,
        inImage:
          cluster && m.migrateInImage
            ? (image, command, _env, onLine) => cluster.runMigration(image, ctx.sha, command, onLine)
            : undefined,
        log,
      });
    });
  }

  const image = report.build?.imageRef ?? report.build?.image ?? '';
  await release(report, inputs, ctx, decision, pipeline, signal, {
    request: { kind: 'commit', sha: ctx.sha, image },
    target,
    history,
  });
}

/**
 * The GitHub deployments client, for runs that deploy with a token; its one history request starts
 * now and goes on while gate, build and migrate run: on a runner every GitHub request costs 100 ms
 * or more, and nothing needs the answer before the deploy stage.
 */
async function openGitHub(
  report: RunReport,
  inputs: Inputs,
  ctx: RunContext,
  decision: DeployDecision,
): Promise<void> {
  if (!inputs.deploy.deployTo || !decision.mayDeploy || !inputs.githubToken || !ctx.repository) return;
  const { GitHubDeployments } = await import('./github/deployments');
  const github = new GitHubDeployments({
    token: inputs.githubToken,
    repository: ctx.repository,
    warn: runner.warning,
    log: runner.info,
  });
  report.github = github;
  github.prefetchHistory(inputs.environment);
}

type History = ReturnType<typeof versionsFromHistory>;

async function historyRead(github: GitHubDeployments, environment: string): Promise<History> {
  return versionsFromHistory(await github.history(environment));
}

/** The inputs that decide whether a target can be reached, for the preflight's next step. */
const PREFLIGHT_INPUTS: Record<DeployTarget['kind'], string> = {
  docker: 'docker-host, ssh-key, ssh-known-hosts',
  kubernetes: "kubeconfig, kube-context, kube-namespace, app, and the credentials' RBAC",
  command: 'deploy-command',
};

/** Reaches the deploy target (host, credentials, host key); on failure every stage is skipped. */
async function preflight(report: RunReport, target: DeployTarget, pipeline: Pipeline): Promise<boolean> {
  let failure: string | undefined;
  await log.group(`preflight: reach the ${target.kind} target ${target.where}`, async () => {
    try {
      await target.preflight();
      log.info(`reached ${target.where}`);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
      log.info(failure);
    }
  });
  if (failure === undefined) return true;
  const why = `the deploy target could not be reached, so nothing was built, pushed or migrated`;
  for (const name of ['gate', 'build', 'migrate'] as const) pipeline.skip(name, why);
  const detail = failure;
  report.deploy = await pipeline.stage('deploy', `reach ${target.where}`, async () => ({
    status: 'failed' as const,
    where: target.where,
    detail,
    hint: `Nothing changed. Fix what the message names (${PREFLIGHT_INPUTS[target.kind]}) and re-run.`,
  }));
  pipeline.skip('verify', 'the deploy target could not be reached');
  return false;
}

/** Deploy and verify: the version the request names goes live on the target, checked where users reach it. */
async function release(
  report: RunReport,
  inputs: Inputs,
  ctx: RunContext,
  decision: DeployDecision,
  pipeline: Pipeline,
  signal: AbortSignal,
  what: { request: ReleaseRequest; target: DeployTarget | undefined; history: Promise<History> },
): Promise<void> {
  const { request, target, history } = what;
  if (!inputs.deploy.deployTo) {
    pipeline.skip('deploy', 'no deploy-to set');
    pipeline.skip('verify', 'no deploy-to set');
    return;
  }
  if (!decision.mayDeploy || !target) {
    pipeline.skip('deploy', decision.reason ?? 'this run does not deploy');
    pipeline.skip('verify', decision.reason ?? 'this run does not deploy');
    return;
  }
  const github = report.github;
  const { runDeploy } = await import('./stages/deploy');
  report.targetKind = target.kind;
  report.verifyUrl = inputs.verify.healthUrl ? new URL(inputs.verify.healthUrl).origin : undefined;

  report.deploy = await pipeline.stage(
    'deploy',
    request.kind === 'rollback-to' ? `roll back to ${request.to}` : `put ${ctx.shortSha} live`,
    () =>
      runDeploy({
        target,
        request,
        history: history.then((h) => h.known),
        allowRollback: inputs.rollback.allowRollback,
        dryRun: inputs.dryRun,
        environment: inputs.environment,
        log,
        onRelease: async (r) => {
          if (!github) return;
          const payload = {
            image_ref: r.version.image,
            image: inputs.build.image ? `${inputs.build.image}:${r.version.sha}` : r.version.image,
            digest: r.version.image.split('@')[1] ?? '',
            sha: r.version.sha,
          };
          const description = r.isRollback
            ? `safe-deploy: roll back to ${r.version.sha.slice(0, 7)}`
            : `safe-deploy: ${r.version.sha.slice(0, 7)}`;
          // Recorded while the deploy goes on: the record must not delay the release it describes.
          report.deploymentStarted = github.start({
            sha: r.version.sha,
            environment: inputs.environment,
            description,
            payload,
            logUrl: ctx.runUrl,
          });
        },
      }),
  );
  if (inputs.dryRun) {
    pipeline.skip('verify', 'dry run: nothing changed');
    return;
  }
  report.verify = await pipeline.stage('verify', 'check the live version, roll back on failure', async () => {
    const { runVerify } = await import('./stages/verify');
    return runVerify(inputs.verify, {
      url: report.deploy?.url,
      previous: report.deploy?.previous,
      current: report.deploy?.current,
      target,
      workDir: inputs.workingDirectory,
      signal,
      log,
    });
  });
}

/** Marks this run's GitHub deployment success or failure (never fails the run). */
async function finishDeployment(report: RunReport): Promise<void> {
  report.deploymentId = await report.deploymentStarted;
  if (!report.github || report.deploymentId === undefined) return;
  const ok = report.deploy?.status === 'passed' && report.verify?.status !== 'failed';
  await report.github.finish(report.deploymentId, ok ? 'success' : 'failure', {
    environment: report.environment,
    environmentUrl: report.deploy?.url ?? report.verifyUrl,
    logUrl: report.ctx?.runUrl,
    description: ok
      ? 'deployed by safe-deploy'
      : `failed: ${report.records.find((s) => s.status === 'failed')?.detail ?? ''}`,
  });
}

/**
 * The runner cancels a job with SIGINT, then SIGTERM: stop at the next safe point, release the
 * deploy lock, and still report. Before the switch the previous version keeps serving; after it
 * the new one is live: the signal cannot know which, so the summary says what is live.
 */
function cancelOnSignals(): AbortController {
  const cancel = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (!cancel.signal.aborted)
        runner.warning(`Received ${sig}: cancelling at the next safe point; the summary says what is live.`);
      cancel.abort();
    });
  }
  return cancel;
}
