import path from 'node:path';
import Docker from 'dockerode';
import type { RunContext } from '../context';
import type { MigrateInputs } from '../inputs';
import type { Log } from '../log';
import type { Annotation, StageResult } from '../types';
import { changedMigrations } from '../migrate/changed-files';
import { compatibility } from '../migrate/compat';
import { runInImage } from '../migrate/in-image';
import { readMigrations, type MigrationFile } from '../migrate/layout';
import { lintMigrations, type Finding } from '../migrate/lint/lint';
import { applyMigrations, planMigrations, type RunFailure } from '../migrate/runner';
import { isInWindow, nextWindowStart } from '../migrate/window';
import { runShell } from '../util/shell';

export interface MigrateResult extends StageResult {
  /** What the stage did with the pending migrations. */
  mode: 'applied' | 'lint-only' | 'dry-run' | 'command' | 'held-back';
  /** How the pending set was decided (the database, or the files this change touches). */
  basis: string;
  pending: string[];
  applied: { name: string; durationMs: number; attempts: number }[];
  findings: Finding[];
  window?: { text: string; open: boolean; nextStart?: string; lockingFindings: number };
  /** A re-run of an older commit: newer migrations in the database that stay as they are. */
  newerInDatabase?: { name: string; appliedAt: string; backwardCompatible?: boolean }[];
  failure?: RunFailure;
  commandTail?: string[];
  annotations: Annotation[];
}

export interface MigrateOptions {
  ctx: RunContext;
  workDir: string;
  /** False for pull requests and branches outside deploy-on: lint only. */
  mayDeploy: boolean;
  notDeployingBecause?: string;
  dryRun: boolean;
  /** The image migrate-in-image runs in (by digest when pushed). */
  image?: string;
  docker?: Docker;
  log: Log;
  now?: Date;
}

const ALLOW_HINT =
  'Use the safe alternative shown for each finding, or accept a statement deliberately with `-- safe-deploy: allow <rule>` on the line before it.';

export async function runMigrate(m: MigrateInputs, o: MigrateOptions): Promise<MigrateResult> {
  const files = m.migrationsDir
    ? await readMigrations(path.resolve(o.workDir, m.migrationsDir), o.workDir)
    : [];
  const r: MigrateResult = {
    status: 'passed',
    detail: '',
    mode: 'lint-only',
    basis: '',
    pending: [],
    applied: [],
    findings: [],
    annotations: [],
  };
  const useDatabase = !!m.databaseUrl && o.mayDeploy;

  // 1. Which migrations are pending.
  let pending: MigrationFile[] = files;
  if (useDatabase && files.length > 0) {
    const plan = await planMigrations(files, { databaseUrl: m.databaseUrl!, table: m.migrationsTable });
    r.basis = `not yet recorded in ${m.migrationsTable}`;
    const changed = plan.checksumMismatch[0];
    if (changed) {
      return fail(
        r,
        `migration ${changed.name} was changed after it was applied (sha256 ${changed.expected.slice(0, 12)}… → ${changed.actual.slice(0, 12)}…)`,
        'Restore the applied file as it was and put the change in a new migration.',
      );
    }
    if (plan.unknownApplied.length > 0) return holdBack(r, plan.unknownApplied, o.log);
    pending = plan.pending;
  } else if (files.length > 0) {
    const changed = changedMigrations(files, o.ctx, o.workDir);
    pending = changed.files;
    r.basis = changed.basis;
  }
  r.pending = pending.map((f) => f.name);
  if (files.length > 0)
    o.log.info(`Migrations: ${files.length} file(s), ${pending.length} pending (${r.basis}).`);

  // 2. Lint what is pending; files already applied only inform it (column types).
  if (m.migrationLint !== 'off' && pending.length > 0) {
    r.findings = await lintMigrations(pending, {
      context: files.filter((f) => !pending.includes(f)),
      builtInRunner: !m.migrateCommand,
    });
    r.annotations = r.findings.map((f) => ({
      level: f.allowed ? 'notice' : m.migrationLint === 'error' ? 'error' : 'warning',
      title: `${f.allowed ? 'Allowed: ' : ''}${f.rule}`,
      message: `${f.why} Safe alternative: ${f.fix}`,
      file: f.file,
      line: f.line,
    }));
    for (const f of r.findings)
      o.log.info(`${f.file}:${f.line} ${f.rule}${f.allowed ? ' (allowed)' : ''}: ${f.why}`);
  }
  const blocking = m.migrationLint === 'error' ? r.findings.filter((f) => !f.allowed) : [];

  // 3. Lock-taking statements only inside the window, allowed or not.
  if (m.migrationWindow) {
    const now = o.now ?? new Date();
    const locking = r.findings.filter((f) => f.locking).length;
    const open = isInWindow(m.migrationWindow, now);
    r.window = { text: m.migrationWindow.text, open, lockingFindings: locking };
    if (!open) r.window.nextStart = nextWindowStart(m.migrationWindow, now).toISOString();
    if (locking > 0 && !open && o.mayDeploy && !o.dryRun && blocking.length === 0) {
      return fail(
        r,
        `${locking} lock-taking statement(s) may only run inside migration-window (${m.migrationWindow.text}); the next window opens ${formatUtc(r.window.nextStart!)}`,
        'Re-run this workflow inside the window, or rewrite the statements with their safe alternatives.',
      );
    }
  }
  if (blocking.length > 0) {
    return fail(
      r,
      `${blocking.length} finding(s) in pending migrations block the deploy (migration-lint: error)`,
      ALLOW_HINT,
    );
  }

  // 4. Apply, or say why not.
  if (!o.mayDeploy) {
    return done(
      r,
      'lint-only',
      `linted ${pending.length} pending migration(s); applied nothing: ${o.notDeployingBecause ?? 'this run does not deploy'}`,
    );
  }
  if (o.dryRun) {
    return done(
      r,
      'dry-run',
      pending.length ? `would apply ${pending.length}: ${r.pending.join(', ')}` : 'nothing to apply',
    );
  }
  if (m.migrateCommand) return runOwnCommand(m, o, r);
  if (!m.databaseUrl || files.length === 0) {
    return done(
      r,
      'lint-only',
      m.databaseUrl
        ? 'no migration files found'
        : `linted ${pending.length} migration(s); no database-url, so nothing applied`,
    );
  }

  const verdict = compatibility(files, r.findings);
  const run = await applyMigrations(files, {
    databaseUrl: m.databaseUrl,
    table: m.migrationsTable,
    lockTimeoutMs: m.lockTimeoutMs,
    statementTimeoutMs: m.statementTimeoutMs,
    lockRetries: m.lockRetries,
    log: o.log.info,
    backwardCompatible: (name) => verdict.get(name),
  });
  r.applied = run.applied;
  if (run.failed) {
    r.failure = run.failed;
    if (run.failed.relPath)
      r.annotations.push({
        level: 'error',
        title: 'Migration failed',
        message: run.failed.error,
        file: run.failed.relPath,
        line: run.failed.line,
      });
    const kept = run.applied.length ? ` ${run.applied.length} earlier file(s) were applied and stay.` : '';
    return fail(
      r,
      run.failed.error,
      `The database is exactly as it was before ${run.failed.name}.${kept} Fix the migration (or wait for the lock holder) and re-run; the previous app version keeps serving.`,
    );
  }
  if (run.unknownApplied.length > 0) return holdBack(r, run.unknownApplied, o.log);
  return done(
    r,
    'applied',
    run.applied.length
      ? `applied ${run.applied.length}: ${run.applied.map((a) => a.name).join(', ')}`
      : 'database already up to date',
  );
}

async function runOwnCommand(m: MigrateInputs, o: MigrateOptions, r: MigrateResult): Promise<MigrateResult> {
  const env: Record<string, string> = m.databaseUrl ? { DATABASE_URL: m.databaseUrl } : {};
  let exitCode: number;
  if (m.migrateInImage) {
    o.log.info(`Running migrate-command inside ${o.image}…`);
    const res = await runInImage(o.docker ?? new Docker(), o.image!, m.migrateCommand!, env, o.log.info);
    exitCode = res.exitCode;
    r.commandTail = res.tail;
  } else {
    o.log.info('Running migrate-command…');
    const res = await runShell(m.migrateCommand!, { cwd: o.workDir, env });
    exitCode = res.exitCode;
    r.commandTail = res.tail;
  }
  if (exitCode !== 0) {
    return fail(
      r,
      `migrate-command exited with code ${exitCode}; deploy blocked`,
      'Read the command output below; the previous app version keeps serving. Fix and re-run.',
    );
  }
  return done(r, 'command', `migrate-command succeeded${m.migrateInImage ? ' (inside the new image)' : ''}`);
}

function holdBack(
  r: MigrateResult,
  newer: { name: string; appliedAt: Date; backwardCompatible?: boolean }[],
  log: Log,
): MigrateResult {
  r.newerInDatabase = newer.map((n) => ({
    name: n.name,
    appliedAt: n.appliedAt.toISOString(),
    backwardCompatible: n.backwardCompatible,
  }));
  const unsafe = newer.filter((n) => n.backwardCompatible === false).length;
  log.info(`The database is ahead of this commit: ${newer.map((n) => n.name).join(', ')} stay applied.`);
  const note = unsafe ? `; ${unsafe} of them did not pass lint as backward compatible` : '';
  return done(
    r,
    'held-back',
    `database is ahead of this commit (a rollback): applied nothing; ${newer.length} newer migration(s) stay${note}`,
  );
}

function done(r: MigrateResult, mode: MigrateResult['mode'], detail: string): MigrateResult {
  return Object.assign(r, { status: 'passed' as const, mode, detail });
}

function fail(r: MigrateResult, detail: string, hint: string): MigrateResult {
  return Object.assign(r, { status: 'failed' as const, detail, hint });
}

function formatUtc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
