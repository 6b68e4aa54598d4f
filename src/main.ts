import * as core from '@actions/core';
import { decideDeploy } from './branch-guard';
import { ContextError, readRunContext } from './context';
import { InputError, parseInputs } from './inputs';
import { log } from './log';
import { Pipeline } from './pipeline';
import { computeOutputs } from './report/outputs';
import { resultOf, type RunReport } from './report/run-report';
import { renderSummary } from './report/summary';
import { writeAnnotations, writeOutputs, writeSummary } from './report/write';
import { registerSecret } from './secrets';
import { runBuild } from './stages/build';
import { runGate } from './stages/gate';
import { runMigrate } from './stages/migrate';
import { runDeploy, targetOptions } from './stages/deploy';
import { runVerify } from './stages/verify';

/** Orchestrates the stages; each stage's logic lives in its own module. */
export async function run(): Promise<void> {
  const started = Date.now();
  const report: RunReport = {
    environment: core.getInput('environment') || 'production',
    records: [],
    dryRun: false,
    durationMs: 0,
  };
  try {
    await runStages(report);
  } catch (err) {
    // Bad inputs or context: one line, no stack trace, nothing done.
    if (!(err instanceof InputError || err instanceof ContextError))
      core.debug((err as Error).stack ?? String(err));
    report.inputError = err instanceof Error ? err.message : String(err);
  }
  report.durationMs = Date.now() - started;

  await log.group('report: outputs and summary', async () => {
    try {
      writeOutputs(computeOutputs(report));
    } catch (err) {
      core.warning(`Could not write the step outputs: ${(err as Error).message}`);
    }
    writeAnnotations(
      [...(report.gate?.annotations ?? []), ...(report.migrate?.annotations ?? [])],
      report.workDir ?? '.',
    );
    let summary: string;
    try {
      summary = renderSummary(report);
    } catch (err) {
      // The summary must never cost the run its outputs or its verdict.
      summary = `## safe-deploy\n\nThe summary could not be rendered (${(err as Error).message}); see the log.\n`;
    }
    await writeSummary(summary);
  });

  const result = resultOf(report);
  if (report.inputError) core.setFailed(report.inputError);
  else if (result === 'failed') {
    const failed = report.records.find((s) => s.status === 'failed')!;
    core.setFailed(`${failed.name} failed: ${failed.detail}`);
  } else core.info(`Result: ${result}.`);
}

async function runStages(report: RunReport): Promise<void> {
  const inputs = parseInputs((name) => core.getInput(name), registerSecret);
  report.environment = inputs.environment;
  report.workDir = inputs.workingDirectory;
  report.dryRun = inputs.dryRun;
  const ctx = readRunContext();
  report.ctx = ctx;
  const decision = decideDeploy(ctx, inputs.deployOn);
  report.decision = decision;
  // The runner cancels a job with SIGINT, then SIGTERM: stop at the next safe point, leave the
  // previous version serving, release the deploy lock, and still report.
  const cancel = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (!cancel.signal.aborted)
        core.warning(`Received ${sig}: cancelling; the previous version keeps serving.`);
      cancel.abort();
    });
  }
  const pipeline = new Pipeline(log, cancel.signal);
  report.records = pipeline.records;

  report.gate = await pipeline.stage('gate', 'lint, tests and coverage', () =>
    runGate(inputs.gate, inputs.workingDirectory, log),
  );

  if (!inputs.build.image) pipeline.skip('build', 'no image set');
  else {
    const gateLabel = report.gate?.status === 'passed' ? 'passed' : 'skipped';
    report.build = await pipeline.stage('build', `image ${inputs.build.image}:${ctx.shortSha}`, () =>
      runBuild(inputs.build, {
        ctx,
        workDir: inputs.workingDirectory,
        mayPush: decision.mayPush,
        gateLabel,
        log,
      }),
    );
  }

  const m = inputs.migrate;
  if (!m.migrationsDir && !m.migrateCommand)
    pipeline.skip('migrate', 'no migrations-dir or migrate-command set');
  else {
    report.migrate = await pipeline.stage('migrate', 'lint and apply database migrations', () =>
      runMigrate(m, {
        ctx,
        workDir: inputs.workingDirectory,
        mayDeploy: decision.mayDeploy,
        notDeployingBecause: decision.reason,
        dryRun: inputs.dryRun,
        image: report.build?.imageRef ?? report.build?.image,
        log,
      }),
    );
  }

  const d = inputs.deploy;
  if (!d.deployTo) {
    pipeline.skip('deploy', 'no deploy-to set');
    pipeline.skip('verify', 'no deploy-to set');
    return;
  }
  if (!decision.mayDeploy || inputs.dryRun) {
    const why = inputs.dryRun ? 'dry run: nothing changed' : (decision.reason ?? 'this run does not deploy');
    pipeline.skip('deploy', why);
    pipeline.skip('verify', why);
    return;
  }
  const image = report.build?.imageRef ?? report.build?.image ?? '';
  const stageOpts = { ctx, environment: inputs.environment, signal: cancel.signal, log };
  report.deploy = await pipeline.stage(
    'deploy',
    `start ${ctx.shortSha}, health-check it, switch traffic`,
    () => runDeploy(d, inputs.verify, { ...stageOpts, image }),
  );
  report.verify = await pipeline.stage('verify', 'check the live version, roll back on failure', () =>
    runVerify(inputs.verify, {
      url: report.deploy?.url,
      previous: report.deploy?.previous,
      current: report.deploy?.current,
      target: targetOptions(d, inputs.verify, stageOpts),
      workDir: inputs.workingDirectory,
      signal: cancel.signal,
      log,
    }),
  );
}
