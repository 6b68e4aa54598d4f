import type { MigrationFile } from '../../src/migrate/layout';
import { lintMigrations } from '../../src/migrate/lint/lint';
import type { Finding } from '../../src/migrate/lint/lint';
import { RULE_IDS, RULES } from '../../src/migrate/lint/rules';
import type { RuleId } from '../../src/migrate/lint/rules';
import { prepareFile } from '../../src/migrate/prepare';

/** Migration files named 001.sql, 002.sql … in a directory, as the stage reads them. */
function dir(...sqls: string[]): MigrationFile[] {
  return sqls.map((sql, i) => {
    const name = `${String(i + 1).padStart(3, '0')}.sql`;
    return {
      name,
      path: `/repo/db/${name}`,
      relPath: `db/${name}`,
      sql,
      lineOffset: 0,
      checksum: '',
      layout: 'plain',
    };
  });
}

const active = (findings: Finding[]): Finding[] => findings.filter((f) => !f.allowed);
const rules = (findings: Finding[]): string[] => findings.map((f) => f.rule);
/** Rules found in the last file of a directory linted in order. */
async function lastFileRules(...sqls: string[]): Promise<string[]> {
  const files = dir(...sqls);
  const last = files[files.length - 1]!.relPath;
  return rules((await lintMigrations(files)).filter((f) => f.file === last));
}

describe('every rule has an honest fix', () => {
  test.each(RULE_IDS.map((id) => [id]))('%s: its written-out fix lints clean', async (id) => {
    const example = RULES[id].fixExample;
    expect(example.length).toBeGreaterThan(0);
    // No finding of the rule, nor any other: the fix must not lead into another finding.
    expect(active(await lintMigrations(dir(...example)))).toEqual([]);
  });

  test.each(RULE_IDS.filter((id) => RULES[id].fix.includes('VALIDATE')).map((id) => [id]))(
    '%s: says VALIDATE goes in a separate (later) migration, not a separate statement',
    (id) => {
      expect(RULES[id].fix).toMatch(/(separate|later) migration/);
      expect(RULES[id].fix).not.toMatch(/separate statement/);
    },
  );
});

describe('squawk rule names in allow comments', () => {
  const BAD: Partial<Record<RuleId, string>> = {
    'create-index-non-concurrent': 'CREATE INDEX i ON t (a);',
    'concurrently-in-transaction': 'BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;',
    'drop-index-non-concurrent': 'DROP INDEX i;',
    'reindex-non-concurrent': 'REINDEX INDEX i;',
    'add-column-volatile-default': 'ALTER TABLE t ADD COLUMN u uuid DEFAULT uuid();',
    'add-column-stored-generated': 'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a + 1) STORED;',
    'add-column-not-null-without-default': 'ALTER TABLE t ADD COLUMN n int NOT NULL;',
    'alter-column-type': 'ALTER TABLE t ALTER COLUMN a TYPE bigint;',
    'set-not-null': 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;',
    'add-check-without-not-valid': 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);',
    'add-foreign-key-without-not-valid': 'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id);',
    'validate-in-same-migration':
      'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;',
    'add-unique-without-using-index': 'ALTER TABLE t ADD CONSTRAINT k UNIQUE (a);',
    'add-primary-key-without-using-index': 'ALTER TABLE t ADD PRIMARY KEY (a);',
    'detach-partition-non-concurrent': 'ALTER TABLE t DETACH PARTITION p;',
    'alter-domain-add-constraint': 'ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0);',
    'drop-not-null': 'ALTER TABLE t ALTER COLUMN a DROP NOT NULL;',
    'drop-column': 'ALTER TABLE t DROP COLUMN a;',
    'drop-table': 'DROP TABLE t;',
    'drop-database': 'DROP DATABASE d;',
    truncate: 'TRUNCATE t CASCADE;',
    'rename-column': 'ALTER TABLE t RENAME COLUMN a TO b;',
    'rename-table': 'ALTER TABLE t RENAME TO u;',
    'vacuum-full': 'VACUUM FULL t;',
    cluster: 'CLUSTER t USING t_pkey;',
    'transaction-control': 'BEGIN;\nALTER TABLE t ADD COLUMN n int;',
  };
  const cases = RULE_IDS.flatMap((id) => RULES[id].squawk.map((name) => [id, name] as const)).filter(
    ([id]) => id !== 'syntax-error',
  );

  test('every rule with a squawk name has a case here', () => {
    expect(cases.map(([id]) => id).filter((id) => BAD[id] === undefined)).toEqual([]);
  });

  test.each(cases)('%s is allowed by "-- safe-deploy: allow %s"', async (id, name) => {
    const sql = BAD[id]!;
    // With migrate-command, so that rules the built-in runner refuses anyway may be allowed too.
    const options = { builtInRunner: false };
    const before = rules(await lintMigrations(dir(sql), options));
    expect(before).toContain(id);
    // The comment goes above the statement the finding is on.
    const line = (await lintMigrations(dir(sql), options)).find((f) => f.rule === id)!.line;
    const lines = sql.split('\n');
    lines.splice(line - 1, 0, `-- safe-deploy: allow ${name}`);
    const after = (await lintMigrations(dir(lines.join('\n')), options)).filter((f) => f.rule === id);
    expect(after.map((f) => f.allowed)).toEqual([true]);
  });

  test('an unknown name allows nothing', async () => {
    const [f] = await lintMigrations(dir('-- safe-deploy: allow ban-everything\nDROP TABLE t;'));
    expect(f).toMatchObject({ rule: 'drop-table', allowed: false });
  });
});

describe('volatile defaults: anything not a known IMMUTABLE or STABLE built-in', () => {
  test.each([
    'myjsonb()',
    'uuid()',
    'public.now()',
    'app.next_code()',
    'gen_random_uuid()',
    'uuid_generate_v4()',
    "nextval('s')",
    'random() * 10',
    'clock_timestamp()',
    'coalesce(my_func(), 1)',
    "(to_char(now(), 'YYYY') || my_suffix())",
  ])('DEFAULT %s rewrites the table', async (expr) => {
    expect(await lastFileRules(`ALTER TABLE t ADD COLUMN c text DEFAULT ${expr};`)).toEqual([
      'add-column-volatile-default',
    ]);
  });

  test.each([
    "'x'",
    '42',
    'now()',
    'pg_catalog.now()',
    'CURRENT_TIMESTAMP',
    'current_user',
    "lower('A')",
    "'{}'::jsonb",
    "jsonb_build_object('a', 1)",
    "to_char(now(), 'YYYY')",
    'make_interval(days => 1)',
    'ARRAY[]::text[]',
    "coalesce(NULL, 'a')",
    "date_add(now(), '1 day')",
    // SQL-standard syntax the parser turns into pg_catalog calls:
    'EXTRACT(year FROM CURRENT_DATE)',
    "substring('abcdef' FROM 2 FOR 3)",
    "trim(both ' ' FROM ' x ')",
    "position('b' IN 'abc')",
    "(now() AT TIME ZONE 'UTC')",
    "'a' || 'b'",
  ])('DEFAULT %s is stored once (no rewrite)', async (expr) => {
    expect(await lastFileRules(`ALTER TABLE t ADD COLUMN c text DEFAULT ${expr};`)).toEqual([]);
  });
});

describe('NOT VALID and VALIDATE', () => {
  test('in the same file: the VALIDATE is reported, with "separate migration" in the fix', async () => {
    const findings = await lintMigrations(
      dir(
        'BEGIN;\nALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b) REFERENCES b (id) NOT VALID;\n' +
          'ALTER TABLE a VALIDATE CONSTRAINT a_b;\nCOMMIT;',
      ),
    );
    expect(findings.map((f) => [f.rule, f.line, f.locking])).toEqual([
      ['validate-in-same-migration', 3, true],
    ]);
    expect(findings[0]!.fix).toMatch(/separate migration/);
  });

  test('in one ALTER TABLE: reported', async () => {
    expect(
      await lastFileRules('ALTER TABLE a ADD CONSTRAINT c CHECK (x > 0) NOT VALID, VALIDATE CONSTRAINT c;'),
    ).toEqual(['validate-in-same-migration']);
  });

  test('in consecutive files: silent', async () => {
    expect(
      rules(
        await lintMigrations(
          dir(
            'ALTER TABLE a ADD CONSTRAINT c CHECK (x > 0) NOT VALID;',
            'ALTER TABLE a VALIDATE CONSTRAINT c;',
          ),
        ),
      ),
    ).toEqual([]);
  });

  test('on a table the file created: silent (nothing to scan)', async () => {
    expect(
      await lastFileRules(
        'CREATE TABLE a (x int);\nALTER TABLE a ADD CONSTRAINT c CHECK (x > 0) NOT VALID;\nALTER TABLE a VALIDATE CONSTRAINT c;',
      ),
    ).toEqual([]);
  });
});

describe('SET NOT NULL after a valid CHECK (col IS NOT NULL)', () => {
  const add = 'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;';
  const validate = 'ALTER TABLE users VALIDATE CONSTRAINT email_nn;';
  const setNotNull = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;';

  test.each([
    [
      'added NOT VALID, validated in a later file, SET NOT NULL there too',
      [add, `${validate}\n${setNotNull}`],
    ],
    ['added, validated and SET NOT NULL in three files', [add, validate, setNotNull]],
    [
      'the CHECK ANDs the NULL test with another condition',
      [
        "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL AND email <> '') NOT VALID;",
        validate,
        setNotNull,
      ],
    ],
    [
      'the CHECK came with CREATE TABLE',
      ['CREATE TABLE users (id int, email text CONSTRAINT email_nn CHECK (email IS NOT NULL));', setNotNull],
    ],
    [
      'the column was renamed since',
      [
        add,
        validate,
        '-- safe-deploy: allow rename-column\nALTER TABLE users RENAME COLUMN email TO mail;',
        'ALTER TABLE users ALTER COLUMN mail SET NOT NULL;',
      ],
    ],
    [
      'a NOT NULL check validated whose ADD the lint never saw, named after the column',
      ['ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;', setNotNull],
    ],
  ])('silent: %s', async (_, sqls) => {
    expect(rules(active(await lintMigrations(dir(...sqls))))).toEqual([]);
  });

  test.each([
    ['the CHECK is not validated yet', [add, setNotNull]],
    ['the CHECK is on another column', [add, validate, 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;']],
    ['the CHECK was dropped', [add, validate, 'ALTER TABLE users DROP CONSTRAINT email_nn;', setNotNull]],
    [
      'the CHECK ORs the NULL test',
      [
        'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL OR id < 0) NOT VALID;',
        validate,
        setNotNull,
      ],
    ],
    [
      'the table was dropped and created again',
      [add, validate, 'DROP TABLE users;\nCREATE TABLE users (email text);', setNotNull],
    ],
    [
      'an unseen validated constraint named after the column but not after NOT NULL',
      ['ALTER TABLE users VALIDATE CONSTRAINT users_email_format;', setNotNull],
    ],
    [
      'an unseen validated NOT NULL constraint named after another column',
      ['ALTER TABLE users VALIDATE CONSTRAINT users_emails_not_null;', setNotNull],
    ],
  ])('reported: %s', async (_, sqls) => {
    expect(await lastFileRules(...sqls)).toEqual(['set-not-null']);
  });

  test('applied migrations (context) count as earlier files', async () => {
    const [a, b, c] = dir(add, validate, setNotNull);
    expect(await lintMigrations([c!], { context: [a!, b!] })).toEqual([]);
  });
});

describe('transaction control, as the runner treats it', () => {
  // The lint reports transaction-control exactly where the runner's file preparation refuses.
  test.each([
    ['a whole-file wrapper', 'BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;', []],
    ['START TRANSACTION … END wrapper', 'START TRANSACTION;\nCREATE TABLE a (x int);\nEND;', []],
    ['BEGIN without COMMIT', 'BEGIN;\nCREATE TABLE a (x int);', [[1, 'A BEGIN never committed']]],
    ['a lone COMMIT', 'CREATE TABLE a (x int);\nCOMMIT;', [[2, 'A COMMIT without a BEGIN']]],
    [
      'a nested BEGIN',
      'BEGIN;\nBEGIN;\nCREATE TABLE a (x int);\nCOMMIT;\nCOMMIT;',
      [
        [2, 'A transaction of its own'],
        [4, 'The end of a transaction'],
      ],
    ],
    [
      'two transactions in one file',
      'BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (x int);\nCOMMIT;',
      [
        // The runner takes the first BEGIN and the last COMMIT for a whole-file wrapper.
        [3, 'A COMMIT without a BEGIN'],
        [4, 'A BEGIN never committed'],
      ],
    ],
    ['a ROLLBACK', 'CREATE TABLE a (x int);\nROLLBACK;', [[2, 'It would end']]],
    ['savepoints', 'SAVEPOINT s;\nCREATE TABLE a (x int);\nROLLBACK TO SAVEPOINT s;\nRELEASE s;', []],
    [
      'BEGIN inside a function body',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;',
      [],
    ],
    ['BEGIN ATOMIC', 'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC\n  SELECT 1;\nEND;', []],
  ] as const)('%s', async (_, sql, expected) => {
    const findings = (await lintMigrations(dir(sql))).filter((f) => f.rule === 'transaction-control');
    expect(
      findings.map((f) => [f.line, f.why.slice(0, expected.find((e) => e[0] === f.line)?.[1].length ?? 0)]),
    ).toEqual(expected);
    const prepared = prepareFile(sql);
    expect(prepared.mode === 'invalid' && prepared.problem === 'transaction-control').toBe(
      expected.length > 0,
    );
  });

  test('the finding names what the runner will refuse, and is not locking', async () => {
    const [f] = await lintMigrations(dir('CREATE TABLE a (x int);\nCOMMIT;'));
    expect(f).toMatchObject({ rule: 'transaction-control', statement: 'COMMIT', locking: false });
    expect(f!.why).toMatch(/built-in runner .* refuses/);
  });
});

describe('DROP DATABASE', () => {
  test('is an error finding and the runner refuses the file', async () => {
    const sql = 'CREATE TABLE a (x int);\n\nDROP DATABASE old_reports;';
    expect((await lintMigrations(dir(sql))).map((f) => [f.rule, f.line, f.allowed])).toEqual([
      ['drop-database', 3, false],
    ]);
    expect(prepareFile(sql)).toMatchObject({
      mode: 'invalid',
      problem: 'drop-database',
      offset: sql.indexOf('DROP'),
    });
  });

  test('an allow comment counts only with migrate-command: the built-in runner refuses the file anyway', async () => {
    const sql = '-- safe-deploy: allow drop-database\nDROP DATABASE IF EXISTS old_reports;';
    expect((await lintMigrations(dir(sql))).map((f) => f.allowed)).toEqual([false]);
    expect(prepareFile(sql).mode).toBe('invalid');
    expect((await lintMigrations(dir(sql), { builtInRunner: false })).map((f) => f.allowed)).toEqual([true]);
  });

  test.each([
    ['BEGIN;\nCREATE TABLE a (x int);', 1],
    ['CREATE TABLE a (x int);\nCOMMIT;', 2],
  ])('so is transaction control: %j', async (sql, line) => {
    const lines = sql.split('\n');
    lines.splice(line - 1, 0, '-- safe-deploy: allow transaction-control');
    const allowed = lines.join('\n');
    expect((await lintMigrations(dir(allowed))).map((f) => [f.rule, f.allowed])).toEqual([
      ['transaction-control', false],
    ]);
    expect((await lintMigrations(dir(allowed), { builtInRunner: false })).map((f) => f.allowed)).toEqual([
      true,
    ]);
  });
});
