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
    await writeSummary(renderSummary(report));
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
  const pipeline = new Pipeline(log);
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
}
