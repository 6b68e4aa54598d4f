import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './inputs/errors';
import {
  type InputGetter,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseKeyValues,
  parseList,
  parseNumber,
} from './inputs/values';
import { parseWindow, WindowError, type MigrationWindow } from './migrate/window';
import {
  parseDeploy,
  parseRollback,
  parseVerify,
  type DeployInputs,
  type RollbackInputs,
  type VerifyInputs,
} from './inputs/deploy';

export type { DeployInputs, RollbackInputs, VerifyInputs } from './inputs/deploy';

export { InputError } from './inputs/errors';
export type { InputGetter } from './inputs/values';

export interface GateInputs {
  lintCommand?: string;
  testCommand?: string;
  coverageFile?: string;
  coverageThreshold?: number;
  junitFiles: string[];
  quarantine: string[];
}

export interface BuildInputs {
  /** The repository, e.g. ghcr.io/acme/api. Unset: no build stage. */
  image?: string;
  context: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  buildTarget?: string;
  labels: Record<string, string>;
  tags: string[];
  registryUsername?: string;
  registryPassword?: string;
  push: boolean;
  rebuild: 'auto' | 'always';
  /** build-secrets: id → value (masked), for `RUN --mount=type=secret,id=<id>`. */
  buildSecrets: Record<string, string>;
  /** registry: import cache from images already pushed and write inline cache; none: neither. */
  buildCache: 'registry' | 'none';
}

export interface MigrateInputs {
  databaseUrl?: string;
  migrationsDir?: string;
  migrateCommand?: string;
  migrateInImage: boolean;
  migrationLint: 'error' | 'warn' | 'off';
  migrationWindow?: MigrationWindow;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  lockRetries: number;
  migrationsTable: string;
}

export interface Inputs {
  environment: string;
  /** Branch globs whose pushes may deploy; undefined means "the repository's default branch". */
  deployOn?: string[];
  dryRun: boolean;
  githubToken: string;
  /** Absolute. Relative paths in other inputs are resolved against it. */
  workingDirectory: string;
  gate: GateInputs;
  build: BuildInputs;
  migrate: MigrateInputs;
  deploy: DeployInputs;
  verify: VerifyInputs;
  rollback: RollbackInputs;
}

/** Inputs whose values are secrets: masked before anything else happens, never echoed. */
export const SECRET_INPUTS = [
  'registry-password',
  'database-url',
  'github-token',
  'ssh-key',
  'notify-webhook',
] as const;

// Docker's reference grammar, repository part only (the tag is always the commit SHA).
const IMAGE_RE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const ENV_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const TABLE_RE = /^(?:[a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,62}$/;

/**
 * Parses every input once into a typed, validated object. Throws InputError, whose message is the
 * one line the user sees, on the first bad value. `onSecret` is called with each secret value
 * before any validation, so nothing later can print it.
 */
export function parseInputs(get: InputGetter, onSecret: (value: string) => void = () => {}): Inputs {
  for (const name of SECRET_INPUTS) {
    const v = get(name);
    if (v) onSecret(v);
  }
  const opt = (name: string): string | undefined => get(name) || undefined;

  const environment = get('environment') || 'production';
  if (!ENV_NAME_RE.test(environment)) {
    throw new InputError(
      'environment',
      environment,
      'expected letters, digits, ".", "_" or "-" (at most 63)',
    );
  }

  const workingDirectory = path.resolve(get('working-directory') || '.');
  mustBeDir('working-directory', get('working-directory') || '.', workingDirectory);

  const deployOnRaw = get('deploy-on');
  const inputs: Inputs = {
    environment,
    deployOn: deployOnRaw ? parseList(deployOnRaw, true) : undefined,
    dryRun: parseBoolean('dry-run', get('dry-run') || 'false'),
    githubToken: get('github-token'),
    workingDirectory,
    gate: parseGate(get, opt),
    build: parseBuild(get, opt, workingDirectory, onSecret),
    migrate: parseMigrate(get, opt),
    deploy: parseDeploy(get, workingDirectory, onSecret),
    verify: parseVerify(get),
    rollback: parseRollback(get),
  };
  crossCheck(inputs);
  return inputs;
}

function parseGate(get: InputGetter, opt: (n: string) => string | undefined): GateInputs {
  const threshold = opt('coverage-threshold');
  return {
    lintCommand: opt('lint-command'),
    testCommand: opt('test-command'),
    coverageFile: opt('coverage-file'),
    coverageThreshold:
      threshold === undefined
        ? undefined
        : parseNumber('coverage-threshold', threshold.replace(/%$/, ''), 0, 100),
    junitFiles: parseList(get('junit-files'), true),
    quarantine: parseList(get('quarantine')),
  };
}

function parseBuild(
  get: InputGetter,
  opt: (n: string) => string | undefined,
  workDir: string,
  onSecret: (value: string) => void,
): BuildInputs {
  const buildSecrets = parseKeyValues('build-secrets', get('build-secrets'), { secret: true });
  for (const v of Object.values(buildSecrets)) onSecret(v);
  for (const [id, v] of Object.entries(buildSecrets)) {
    // An unset GitHub secret expands to nothing: say so rather than mount an empty file.
    if (v === '')
      throw new InputError(
        'build-secrets',
        `${id}=`,
        `secret ${id} has an empty value (is the secret it comes from set?)`,
      );
  }
  const image = opt('image');
  if (image !== undefined && !IMAGE_RE.test(image)) {
    const allowed =
      /:[^/]*$/.test(image) && !/:\d+$/.test(image)
        ? 'expected a repository without a tag (the tag is always the commit SHA; use `tags` for more), e.g. ghcr.io/acme/api'
        : 'expected a lower-case image repository such as ghcr.io/acme/api or 127.0.0.1:5000/app';
    throw new InputError('image', image, allowed);
  }
  const tags = parseList(get('tags'), true);
  for (const t of tags) {
    if (!TAG_RE.test(t))
      throw new InputError('tags', t, 'expected tags of letters, digits, "_", "." or "-" (at most 128)');
  }
  const build: BuildInputs = {
    image,
    context: get('context') || '.',
    dockerfile: get('dockerfile') || 'Dockerfile',
    buildArgs: parseKeyValues('build-args', get('build-args')),
    buildTarget: opt('build-target'),
    labels: parseKeyValues('labels', get('labels')),
    tags,
    registryUsername: opt('registry-username'),
    registryPassword: opt('registry-password'),
    push: parseBoolean('push', get('push') || 'true'),
    rebuild: parseEnum('rebuild', get('rebuild') || 'auto', ['auto', 'always'] as const),
    buildSecrets,
    buildCache: parseEnum('build-cache', get('build-cache') || 'registry', ['registry', 'none'] as const),
  };
  if (build.registryPassword && !build.registryUsername) {
    throw new InputError('registry-username', '', 'required when registry-password is set');
  }
  if (image) {
    const ctx = path.resolve(workDir, build.context);
    mustBeDir('context', build.context, ctx);
    const dockerfile = path.resolve(ctx, build.dockerfile);
    if (!fs.existsSync(dockerfile)) {
      throw new InputError(
        'dockerfile',
        build.dockerfile,
        `expected a file inside the context (${ctx}); none found there`,
      );
    }
  }
  return build;
}

function parseMigrate(get: InputGetter, opt: (n: string) => string | undefined): MigrateInputs {
  const databaseUrl = opt('database-url');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    throw new InputError('database-url', databaseUrl, 'expected a postgres:// or postgresql:// URL', {
      secret: true,
    });
  }
  const table = get('migrations-table') || 'safe_deploy_migrations';
  if (!TABLE_RE.test(table)) {
    throw new InputError(
      'migrations-table',
      table,
      'expected a lower-case SQL identifier, optionally schema-qualified',
    );
  }
  const window = opt('migration-window');
  return {
    databaseUrl,
    migrationsDir: opt('migrations-dir'),
    migrateCommand: opt('migrate-command'),
    migrateInImage: parseBoolean('migrate-in-image', get('migrate-in-image') || 'false'),
    migrationLint: parseEnum('migration-lint', get('migration-lint') || 'error', [
      'error',
      'warn',
      'off',
    ] as const),
    migrationWindow: window === undefined ? undefined : windowInput(window),
    lockTimeoutMs: parseDuration('lock-timeout', get('lock-timeout') || '5s'),
    statementTimeoutMs: parseDuration('statement-timeout', get('statement-timeout') || '15m'),
    lockRetries: parseNumber('lock-retries', get('lock-retries') || '3', 0, 20, true),
    migrationsTable: table,
  };
}

/** Combinations that make no sense fail here, before any work. */
function windowInput(raw: string): MigrationWindow {
  try {
    return parseWindow(raw);
  } catch (err) {
    if (err instanceof WindowError) throw new InputError('migration-window', err.given, err.allowed);
    throw err;
  }
}

function crossCheck(i: Inputs): void {
  if (i.gate.coverageThreshold !== undefined && !i.gate.coverageFile) {
    throw new InputError(
      'coverage-threshold',
      String(i.gate.coverageThreshold),
      'needs coverage-file to be set',
    );
  }
  if (i.gate.quarantine.length > 0 && i.gate.junitFiles.length === 0) {
    throw new InputError('quarantine', i.gate.quarantine.join(', '), 'needs junit-files to be set');
  }
  if (i.migrate.migrateInImage && !i.build.image) {
    throw new InputError(
      'migrate-in-image',
      'true',
      'needs image to be set (it runs migrate-command inside the new image)',
    );
  }
  if (i.deploy.deployTo && !i.build.image) {
    throw new InputError(
      'deploy-to',
      i.deploy.deployTo,
      'needs image to be set (deploy runs the image this run builds)',
    );
  }
  if (i.deploy.deployTo === 'command' && !i.deploy.deployCommand) {
    throw new InputError('deploy-to', 'command', 'needs deploy-command to be set');
  }
  if (i.rollback.rollbackTo && !i.deploy.deployTo) {
    throw new InputError(
      'rollback-to',
      i.rollback.rollbackTo,
      'needs deploy-to to be set (it deploys an already-built version)',
    );
  }
  if (i.migrate.migrateInImage && !i.migrate.migrateCommand) {
    throw new InputError('migrate-in-image', 'true', 'needs migrate-command to be set');
  }
}

function mustBeDir(name: string, given: string, resolved: string): void {
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) {
    throw new InputError(name, given, `expected an existing directory (looked for ${resolved})`);
  }
}
