import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, parseInputs } from '../../src/inputs';
import { parseDuration, parseKeyValues, parseList } from '../../src/inputs/values';

const getter = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseInputs', () => {
  test('defaults make a valid, empty run', () => {
    const i = parseInputs(getter({}));
    expect(i.environment).toBe('production');
    expect(i.deployOn).toBeUndefined();
    expect(i.dryRun).toBe(false);
    expect(i.build).toMatchObject({
      image: undefined,
      context: '.',
      dockerfile: 'Dockerfile',
      push: true,
      rebuild: 'auto',
      tags: [],
    });
    expect(i.migrate).toMatchObject({
      migrationLint: 'error',
      lockTimeoutMs: 5000,
      statementTimeoutMs: 900_000,
      lockRetries: 3,
      migrationsTable: 'safe_deploy_migrations',
    });
  });

  test('parses lists, key-values, durations and numbers', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-inputs-'));
    fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
    const i = parseInputs(
      getter({
        'working-directory': ws,
        'deploy-on': 'main, release/*\nhotfix/**',
        image: '127.0.0.1:5000/acme/api',
        'build-args': 'A=1\nB=x=y',
        tags: 'latest, stable',
        'coverage-file': 'lcov.info',
        'coverage-threshold': '87.5%',
        'junit-files': 'reports/*.xml',
        quarantine: 'flaky one\n# comment\nflaky two',
        'lock-timeout': '500ms',
        'statement-timeout': '2m',
        'migration-window': 'Sat,Sun 02:00-05:00 UTC',
      }),
    );
    expect(i.deployOn).toEqual(['main', 'release/*', 'hotfix/**']);
    expect(i.build.buildArgs).toEqual({ A: '1', B: 'x=y' });
    expect(i.build.tags).toEqual(['latest', 'stable']);
    expect(i.gate.coverageThreshold).toBe(87.5);
    expect(i.gate.quarantine).toEqual(['flaky one', 'flaky two']);
    expect(i.migrate.lockTimeoutMs).toBe(500);
    expect(i.migrate.statementTimeoutMs).toBe(120_000);
    expect(i.migrate.migrationWindow?.spans).toHaveLength(1);
  });

  test('secrets are handed over before any validation, and never echoed', () => {
    const seen: string[] = [];
    const bad = 'mysql://root:hunter2@db/prod';
    expect(() =>
      parseInputs(
        getter({ 'database-url': bad, 'registry-username': 'u', 'registry-password': 'pw-123' }),
        (s) => seen.push(s),
      ),
    ).toThrow("Input 'database-url' is (hidden: secret input): expected a postgres:// or postgresql:// URL.");
    expect(seen).toEqual(expect.arrayContaining([bad, 'pw-123']));
  });

  // Every bad value: one line naming the input, what was given and what is allowed.
  test.each([
    [
      { 'coverage-threshold': 'abc', 'coverage-file': 'x' },
      `Input 'coverage-threshold' is "abc": expected a number from 0 to 100.`,
    ],
    [
      { 'coverage-threshold': '150', 'coverage-file': 'x' },
      `Input 'coverage-threshold' is "150": expected a number from 0 to 100.`,
    ],
    [{ 'coverage-threshold': '80' }, `Input 'coverage-threshold' is "80": needs coverage-file to be set.`],
    [{ quarantine: 'a test' }, `Input 'quarantine' is "a test": needs junit-files to be set.`],
    [{ rebuild: 'sometimes' }, `Input 'rebuild' is "sometimes": expected one of auto, always.`],
    [{ push: 'maybe' }, `Input 'push' is "maybe": expected true or false.`],
    [{ 'dry-run': 'yes please' }, `Input 'dry-run' is "yes please": expected true or false.`],
    [
      { image: 'ghcr.io/acme/api:latest' },
      `Input 'image' is "ghcr.io/acme/api:latest": expected a repository without a tag`,
    ],
    [{ image: 'Acme/API' }, `Input 'image' is "Acme/API": expected a lower-case image repository`],
    [{ tags: 'ok, not ok' }, `Input 'tags' is "not ok": expected tags of letters`],
    [{ environment: 'prod env' }, `Input 'environment' is "prod env": expected letters, digits`],
    [{ 'build-args': 'NOVALUE' }, `Input 'build-args' is "NOVALUE": expected KEY=VALUE lines`],
    [
      { 'lock-timeout': '5 minutes' },
      `Input 'lock-timeout' is "5 minutes": expected a duration such as 500ms, 30s, 5m, 1h`,
    ],
    [{ 'lock-retries': '-1' }, `Input 'lock-retries' is "-1": expected a whole number from 0 to 20.`],
    [{ 'migration-lint': 'strict' }, `Input 'migration-lint' is "strict": expected one of error, warn, off.`],
    [{ 'migration-window': 'weekends' }, `Input 'migration-window' is "weekends": expected windows such as`],
    [
      { 'migrations-table': 'drop table x' },
      `Input 'migrations-table' is "drop table x": expected a lower-case SQL identifier`,
    ],
    [
      { 'working-directory': '/nonexistent/dir' },
      `Input 'working-directory' is "/nonexistent/dir": expected an existing directory`,
    ],
    [
      { 'registry-password': 'secret-pw' },
      `Input 'registry-username' is "": required when registry-password is set.`,
    ],
    [
      { 'migrate-in-image': 'true', 'migrate-command': 'x' },
      `Input 'migrate-in-image' is "true": needs image to be set`,
    ],
    [
      { 'deploy-to': 'swarm', image: 'app', 'working-directory': 'examples/hello-app' },
      `Input 'deploy-to' is "swarm": expected docker, kubernetes or command`,
    ],
    [
      { 'deploy-to': 'heroku' },
      `Input 'deploy-to' is "heroku": expected one of docker, swarm, kubernetes, command.`,
    ],
    [{ 'deploy-to': 'docker' }, `Input 'deploy-to' is "docker": needs image to be set`],
    [
      { 'deploy-to': 'command', image: 'app', 'working-directory': 'examples/hello-app' },
      `Input 'deploy-to' is "command": needs deploy-command to be set.`,
    ],
    [{ 'rollback-to': 'yesterday' }, `Input 'rollback-to' is "yesterday": expected previous or a commit SHA`],
    [{ 'rollback-to': 'previous' }, `Input 'rollback-to' is "previous": needs deploy-to to be set`],
    [{ 'allow-rollback': 'maybe' }, `Input 'allow-rollback' is "maybe": expected true or false.`],
    [
      { 'notify-on': 'sometimes' },
      `Input 'notify-on' is "sometimes": expected one of failure, always, never.`,
    ],
    [
      { 'notify-webhook': 'hooks.slack.com/x' },
      `Input 'notify-webhook' is (hidden: secret input): expected an http(s)://`,
    ],
    [{ 'health-status': 'ok' }, `Input 'health-status' is "ok": expected status codes or ranges`],
    [{ 'health-path': 'health' }, `Input 'health-path' is "health": expected a path starting with /.`],
    [{ 'health-timeout': 'soon' }, `Input 'health-timeout' is "soon": expected a duration`],
    [{ port: '70000' }, `Input 'port' is "70000": expected a whole number from 1 to 65535.`],
    [{ retain: '-2' }, `Input 'retain' is "-2": expected a whole number from 0 to 100.`],
    [{ app: 'My App' }, `Input 'app' is "My App": expected lower-case letters`],
    [{ 'docker-host': 'localhost:2375' }, `Input 'docker-host' is "localhost:2375": expected unix://`],
    [{ proxy: 'nginx' }, `Input 'proxy' is "nginx": expected one of caddy, none.`],
    [{ env: 'NOEQUALS' }, `Input 'env' is (hidden: secret input): expected KEY=VALUE lines`],
    [{ 'env-file': 'missing.env' }, `Input 'env-file' is "missing.env": expected an existing file`],
  ])('%j is rejected', (values, message) => {
    let err: unknown;
    try {
      parseInputs(getter(values as Record<string, string>));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).not.toContain('\n');
  });

  test('a missing Dockerfile is caught before any work', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-inputs-'));
    expect(() => parseInputs(getter({ 'working-directory': ws, image: 'app' }))).toThrow(
      /^Input 'dockerfile' is "Dockerfile": expected a file inside the context/,
    );
  });
});

describe('value parsers', () => {
  test.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['12', 12_000],
    ['1.5s', 1500],
  ])('duration %s = %d ms', (raw, ms) => expect(parseDuration('x', raw)).toBe(ms));

  test('lists drop blanks and comments; commas only where allowed', () => {
    expect(parseList('a\n\n# c\n b ')).toEqual(['a', 'b']);
    expect(parseList('a,b\nc', true)).toEqual(['a', 'b', 'c']);
    expect(parseList('a,b')).toEqual(['a,b']);
  });

  test('secret key-values never echo the bad line', () => {
    expect(() => parseKeyValues('env', 'TOKEN', { secret: true })).toThrow(
      "Input 'env' is (hidden: secret input)",
    );
  });
});
