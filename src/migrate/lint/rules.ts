/**
 * The rule catalogue. Two kinds of harm, which decide how a rule treats a table created earlier in
 * the same file:
 * - locking rules (`locking: true`) hold a lock that blocks a busy table while PostgreSQL scans,
 *   rewrites or indexes it. On a table the file itself created there is nothing to scan and no one
 *   to block, so they stay silent there (`exemptNewTable`). `migration-window` uses `locking`.
 * - breaking rules remove or rename what the previous app version (still serving during the deploy)
 *   reads and writes, or fail outright. They apply to every table.
 */

export const RULE_IDS = [
  'create-index-non-concurrent',
  'concurrently-in-transaction',
  'drop-index-non-concurrent',
  'reindex-non-concurrent',
  'add-column-volatile-default',
  'add-column-stored-generated',
  'add-column-identity',
  'add-column-serial',
  'add-column-not-null-without-default',
  'alter-column-type',
  'set-not-null',
  'add-check-without-not-valid',
  'add-foreign-key-without-not-valid',
  'validate-in-same-migration',
  'add-unique-without-using-index',
  'add-primary-key-without-using-index',
  'detach-partition-non-concurrent',
  'alter-domain-add-constraint',
  'drop-not-null',
  'drop-column',
  'drop-table',
  'drop-schema',
  'drop-database',
  'truncate',
  'rename-column',
  'rename-table',
  'vacuum-full',
  'cluster',
  'json-column',
  'transaction-control',
  'syntax-error',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export interface Rule {
  id: RuleId;
  /** One line: what goes wrong on a live database. */
  why: string;
  /** The safe alternative. */
  fix: string;
  /**
   * The fix written out: migration files in apply order. Linted as a directory it has no
   * unallowed finding at all (a test holds every rule to that), so a fix never leads into another
   * finding. Breaking rules can only be fixed by waiting for a later deploy: their example is that
   * later migration, with the allow comment that says the waiting was done.
   */
  fixExample: readonly string[];
  /**
   * Names of squawk's rules (https://squawkhq.com/docs/rules) that catch the same hazard: an allow
   * comment may name either, so teams moving over keep their annotations.
   */
  squawk: readonly string[];
  /** Takes a lock that blocks a busy table for the length of a scan, rewrite or index build. */
  locking: boolean;
  /** Silent on a table created earlier in the same file. */
  exemptNewTable: boolean;
  /**
   * Breaks the previous app version, which keeps serving during the deploy and is what a rollback
   * returns to: a file with such a finding (allowed or not) is not backward compatible.
   */
  breaksPrevious: boolean;
  /**
   * The built-in runner refuses a file with such a finding whatever the comments say, so an allow
   * comment only counts when migrate-command applies the migrations.
   */
  refusedByRunner: boolean;
}

type RuleText = Omit<Rule, 'id' | 'exemptNewTable' | 'breaksPrevious' | 'refusedByRunner'>;

/** What the built-in runner's file preparation (src/migrate/prepare.ts) refuses to run. */
export const REFUSED_BY_RUNNER = [
  'transaction-control',
  'drop-database',
] as const satisfies readonly RuleId[];
export type RefusedByRunner = (typeof REFUSED_BY_RUNNER)[number];

// Every locking rule is exempt on a new table; add-column-not-null-without-default and
// drop-not-null are too (the previous app version never reads or writes a table this file creates).
const TEXT: Record<RuleId, RuleText> = {
  'create-index-non-concurrent': {
    why: 'CREATE INDEX without CONCURRENTLY blocks all writes to the table until the index is built.',
    fix: 'Use CREATE INDEX CONCURRENTLY (outside a transaction block; the built-in runner runs such a file statement by statement); if it fails, drop the INVALID index and retry.',
    fixExample: ['CREATE INDEX CONCURRENTLY users_email ON users (email);'],
    squawk: ['require-concurrent-index-creation'],
    locking: true,
  },
  'concurrently-in-transaction': {
    why: "CONCURRENTLY cannot run inside a transaction block: PostgreSQL rejects it, so any tool that keeps the file's BEGIN fails the migration (the built-in runner drops a whole-file BEGIN … COMMIT and runs the file statement by statement, so the file is not atomic as the BEGIN suggests).",
    fix: 'Take the CONCURRENTLY statement out of BEGIN … COMMIT, in a migration of its own (the built-in runner runs it outside a transaction).',
    fixExample: ['CREATE INDEX CONCURRENTLY users_email ON users (email);'],
    squawk: ['ban-concurrent-index-creation-in-transaction'],
    locking: false,
  },
  'drop-index-non-concurrent': {
    why: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table, blocking reads and writes.',
    fix: 'Use DROP INDEX CONCURRENTLY (one index per statement, outside a transaction block).',
    fixExample: ['DROP INDEX CONCURRENTLY users_email;'],
    squawk: ['require-concurrent-index-deletion'],
    locking: true,
  },
  'reindex-non-concurrent': {
    why: 'REINDEX without CONCURRENTLY blocks writes to the table (and reads that use the index) until it finishes.',
    fix: 'Use REINDEX … CONCURRENTLY (PostgreSQL 12+, outside a transaction block).',
    fixExample: ['REINDEX TABLE CONCURRENTLY users;'],
    squawk: ['require-concurrent-reindex'],
    locking: true,
  },
  'add-column-volatile-default': {
    why: 'A default that calls a volatile function (random(), gen_random_uuid(), nextval(), clock_timestamp(), or any function that is not a known IMMUTABLE or STABLE built-in: user functions are VOLATILE unless declared otherwise) rewrites the whole table under an ACCESS EXCLUSIVE lock.',
    fix: 'Add the column without a default (or with a constant one), set the default in a second statement (SET DEFAULT only affects new rows), then backfill existing rows in batches. A function of yours declared IMMUTABLE or STABLE does not rewrite: say so with `-- safe-deploy: allow add-column-volatile-default`.',
    fixExample: [
      [
        'ALTER TABLE users ADD COLUMN token uuid;',
        'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
        'UPDATE users SET token = gen_random_uuid() WHERE id IN (SELECT id FROM users WHERE token IS NULL LIMIT 1000);',
      ].join('\n'),
    ],
    squawk: ['adding-field-with-default'],
    locking: true,
  },
  'add-column-stored-generated': {
    why: 'Adding a STORED generated column rewrites the whole table under an ACCESS EXCLUSIVE lock.',
    fix: 'Add a plain column, keep it up to date with a trigger and backfill it in batches (or use a VIRTUAL generated column on PostgreSQL 18+).',
    fixExample: [
      [
        'ALTER TABLE orders ADD COLUMN total numeric;',
        'CREATE FUNCTION orders_total() RETURNS trigger LANGUAGE plpgsql AS $$',
        'BEGIN',
        '  NEW.total := NEW.price * NEW.qty;',
        '  RETURN NEW;',
        'END;',
        '$$;',
        'CREATE TRIGGER orders_total BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION orders_total();',
        'UPDATE orders SET total = price * qty WHERE id IN (SELECT id FROM orders WHERE total IS NULL LIMIT 1000);',
      ].join('\n'),
    ],
    squawk: ['adding-field-with-default'],
    locking: true,
  },
  'add-column-identity': {
    why: 'Adding an identity column fills every existing row, rewriting the table under an ACCESS EXCLUSIVE lock.',
    fix: 'Add a nullable bigint column, create a sequence for it and SET DEFAULT nextval(…) (new rows only), then backfill existing rows in batches.',
    fixExample: [
      [
        'ALTER TABLE events ADD COLUMN seq bigint;',
        'CREATE SEQUENCE events_seq_seq OWNED BY events.seq;',
        "ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq_seq');",
        "UPDATE events SET seq = nextval('events_seq_seq') WHERE id IN (SELECT id FROM events WHERE seq IS NULL LIMIT 1000);",
      ].join('\n'),
    ],
    squawk: [],
    locking: true,
  },
  'add-column-serial': {
    why: 'Adding a serial column fills every existing row from a sequence, rewriting the table under an ACCESS EXCLUSIVE lock.',
    fix: 'Add a nullable bigint column, create the sequence, SET DEFAULT nextval(…) (new rows only), then backfill existing rows in batches.',
    fixExample: [
      [
        'ALTER TABLE events ADD COLUMN seq bigint;',
        'CREATE SEQUENCE events_seq_seq OWNED BY events.seq;',
        "ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq_seq');",
      ].join('\n'),
    ],
    squawk: [],
    locking: true,
  },
  'add-column-not-null-without-default': {
    why: 'A NOT NULL column without a default fails on a table that has rows, and the previous app version inserts without it.',
    fix: 'Add the column with a constant DEFAULT (instant since PostgreSQL 11), or add it nullable, backfill, then make it NOT NULL.',
    fixExample: ["ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';"],
    squawk: ['adding-required-field'],
    locking: false,
  },
  'alter-column-type': {
    why: 'Changing a column type rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (only a few changes are binary-coercible).',
    fix: 'Add a new column of the new type, write both from the app, backfill in batches, then switch reads and drop the old column in a later deploy.',
    fixExample: [
      [
        'ALTER TABLE users ADD COLUMN id_big bigint;',
        'UPDATE users SET id_big = id WHERE id IN (SELECT id FROM users WHERE id_big IS NULL LIMIT 1000);',
      ].join('\n'),
    ],
    squawk: ['changing-column-type'],
    locking: true,
  },
  'set-not-null': {
    why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to check for NULLs (no valid CHECK (col IS NOT NULL) that would spare the scan was seen in this or an earlier migration).',
    fix: 'In one migration ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; in a later migration VALIDATE CONSTRAINT c (no blocking lock), then SET NOT NULL (PostgreSQL 12+ sees the valid CHECK and skips the scan), then drop the CHECK.',
    fixExample: [
      'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;',
      [
        'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
        'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
        'ALTER TABLE users DROP CONSTRAINT users_email_nn;',
      ].join('\n'),
    ],
    squawk: ['adding-not-nullable-field'],
    locking: true,
  },
  'add-check-without-not-valid': {
    why: 'Adding a CHECK constraint scans the whole table under an ACCESS EXCLUSIVE lock.',
    fix: 'ADD CONSTRAINT … CHECK (…) NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a separate migration (it only takes a SHARE UPDATE EXCLUSIVE lock).',
    fixExample: [
      'ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age >= 0) NOT VALID;',
      'ALTER TABLE users VALIDATE CONSTRAINT age_positive;',
    ],
    squawk: ['constraint-missing-not-valid'],
    locking: true,
  },
  'add-foreign-key-without-not-valid': {
    why: 'Adding a foreign key scans the table while blocking writes to it and to the referenced table.',
    fix: 'ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a separate migration.',
    fixExample: [
      'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_user;',
    ],
    squawk: ['adding-foreign-key-constraint', 'constraint-missing-not-valid'],
    locking: true,
  },
  'validate-in-same-migration': {
    why: 'VALIDATE CONSTRAINT in the migration that added the constraint NOT VALID: the file runs in one transaction, so the ADD CONSTRAINT lock (ACCESS EXCLUSIVE for a CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key) is still held while VALIDATE scans the table.',
    fix: 'Move VALIDATE CONSTRAINT to a separate migration (a later file): on its own it only takes a SHARE UPDATE EXCLUSIVE lock.',
    fixExample: [
      'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_user;',
    ],
    squawk: ['constraint-missing-not-valid'],
    locking: true,
  },
  'add-unique-without-using-index': {
    why: 'Adding a UNIQUE constraint builds its index while blocking reads and writes.',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY in one migration, then ADD CONSTRAINT … UNIQUE USING INDEX in a later one.',
    fixExample: [
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;',
    ],
    squawk: ['disallowed-unique-constraint'],
    locking: true,
  },
  'add-primary-key-without-using-index': {
    why: 'Adding a PRIMARY KEY builds its index (and checks NOT NULL) while blocking reads and writes.',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY on columns that are already NOT NULL in one migration, then ADD CONSTRAINT … PRIMARY KEY USING INDEX in a later one.',
    fixExample: [
      'CREATE UNIQUE INDEX CONCURRENTLY users_id_idx ON users (id);',
      'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;',
    ],
    squawk: ['adding-serial-primary-key-field'],
    locking: true,
  },
  'detach-partition-non-concurrent': {
    why: 'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table, blocking reads and writes to every partition.',
    fix: 'Use ALTER TABLE … DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+, outside a transaction block, not with a default partition).',
    fixExample: ['ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;'],
    squawk: ['require-concurrent-partition-detach'],
    locking: true,
  },
  'alter-domain-add-constraint': {
    why: 'ALTER DOMAIN … ADD CONSTRAINT checks every column of every table that uses the domain, blocking writes to those tables while it scans.',
    fix: 'Add it NOT VALID (only new and updated values are checked), then VALIDATE CONSTRAINT in a later migration, inside migration-window (it still reads those tables).',
    fixExample: ['ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;'],
    squawk: ['ban-alter-domain-with-add-constraint'],
    locking: true,
  },
  'drop-not-null': {
    why: 'The previous app version still runs while the deploy does and may not expect NULLs in this column (and the code a rollback returns to never does).',
    fix: 'Deploy code that handles NULL in this column first; drop NOT NULL in a later deploy and say so with `-- safe-deploy: allow drop-not-null`.',
    fixExample: [
      '-- safe-deploy: allow drop-not-null\n-- every running version handles a NULL middle_name since v4.2\nALTER TABLE users ALTER COLUMN middle_name DROP NOT NULL;',
    ],
    squawk: ['ban-drop-not-null'],
    locking: false,
  },
  'drop-column': {
    why: 'The previous app version still reads and writes this column while the deploy runs, and its queries fail once it is gone.',
    fix: 'Stop using the column in one deploy (and ignore it in the ORM), drop it in a later one with `-- safe-deploy: allow drop-column`.',
    fixExample: [
      '-- safe-deploy: allow drop-column\n-- unused since v2.3\nALTER TABLE users DROP COLUMN legacy;',
    ],
    squawk: ['ban-drop-column'],
    locking: false,
  },
  'drop-table': {
    why: 'The previous app version may still use this table while the deploy runs; the data is gone for good.',
    fix: 'Stop using the table in one deploy, drop it in a later one (after a backup if the data matters) with `-- safe-deploy: allow drop-table`.',
    fixExample: ['-- safe-deploy: allow drop-table\n-- unused since v2.3, backed up\nDROP TABLE sessions;'],
    squawk: ['ban-drop-table'],
    locking: false,
  },
  'drop-schema': {
    why: 'Dropping a schema removes every object in it, possibly still used by the previous app version.',
    fix: 'Stop using the schema in one deploy, drop it in a later one (after a backup if the data matters) with `-- safe-deploy: allow drop-schema`.',
    fixExample: [
      '-- safe-deploy: allow drop-schema\n-- unused since v2.3, backed up\nDROP SCHEMA legacy CASCADE;',
    ],
    squawk: [],
    locking: false,
  },
  'drop-database': {
    why: 'DROP DATABASE cannot run in a transaction, cannot be undone, and takes every app version down with it: the built-in runner refuses a file that contains it (an allow comment only counts with migrate-command).',
    fix: 'Remove it from the migration; drop the database by hand, after a backup, once nothing uses it.',
    fixExample: ['-- old_reports is dropped by hand after its backup (see the runbook)\n'],
    squawk: ['ban-drop-database'],
    locking: false,
  },
  truncate: {
    why: 'TRUNCATE deletes every row at once and takes an ACCESS EXCLUSIVE lock; the previous app version still uses the table.',
    fix: 'Delete in batches, or stop using the table first; allow it explicitly if emptying it is intended.',
    fixExample: [
      'DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() LIMIT 1000);',
    ],
    squawk: ['ban-truncate-cascade'],
    locking: false,
  },
  'rename-column': {
    why: 'The previous app version still uses the old column name while the deploy runs, and its queries fail.',
    fix: 'Add a new column, write both, backfill, switch reads, then drop the old column in a later deploy.',
    fixExample: [
      [
        'ALTER TABLE users ADD COLUMN full_name text;',
        'UPDATE users SET full_name = name WHERE id IN (SELECT id FROM users WHERE full_name IS NULL LIMIT 1000);',
      ].join('\n'),
    ],
    squawk: ['renaming-column'],
    locking: false,
  },
  'rename-table': {
    why: 'The previous app version still uses the old table name while the deploy runs, and its queries fail.',
    fix: 'In the same migration, create a view with the old name (CREATE VIEW old AS SELECT * FROM new: simple views are updatable); drop the view in a later deploy.',
    fixExample: ['ALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts;'],
    squawk: ['renaming-table'],
    locking: false,
  },
  'vacuum-full': {
    why: 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole time.',
    fix: 'Use plain VACUUM, or rebuild the table online with pg_repack.',
    fixExample: ['VACUUM (ANALYZE) users;'],
    squawk: ['prefer-repack'],
    locking: true,
  },
  cluster: {
    why: 'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole time.',
    fix: 'Rebuild the table online with pg_repack, or allow the CLUSTER (`-- safe-deploy: allow cluster`) and set migration-window so it only runs in a quiet hour.',
    fixExample: [
      '-- safe-deploy: allow cluster\n-- runs only inside migration-window (Sun 03:00-04:00 UTC)\nCLUSTER users USING users_pkey;',
    ],
    squawk: ['prefer-repack'],
    locking: true,
  },
  'json-column': {
    why: 'json stores text and re-parses it on every access, has no equality operator and cannot be indexed with GIN.',
    fix: 'Use jsonb.',
    fixExample: ['ALTER TABLE users ADD COLUMN prefs jsonb;'],
    squawk: [],
    locking: false,
  },
  'transaction-control': {
    why: 'The built-in runner applies each file in one transaction of its own and records it in the same one, so it refuses a file with any other transaction control (an allow comment does not change that); other migration tools would commit part of the file, or leave it uncommitted.',
    fix: 'Remove it: safe-deploy wraps each file in a transaction (a BEGIN … COMMIT around the whole file is accepted); work that needs a transaction of its own goes in a separate migration file.',
    fixExample: ['BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;'],
    squawk: ['transaction-nesting', 'ban-uncommitted-transaction'],
    locking: false,
  },
  'syntax-error': {
    why: 'PostgreSQL cannot parse this migration: it would fail when applied, and no other rule could check the file.',
    fix: 'Fix the SQL (it is parsed with the PostgreSQL 18 grammar).',
    fixExample: ['ALTER TABLE users ADD COLUMN x int;'],
    squawk: ['syntax-error'],
    locking: false,
  },
};

const EXEMPT_BREAKING: ReadonlySet<RuleId> = new Set<RuleId>([
  'add-column-not-null-without-default',
  'drop-not-null',
]);

const BREAKS_PREVIOUS: ReadonlySet<RuleId> = new Set<RuleId>([
  'drop-column',
  'drop-table',
  'drop-schema',
  'drop-database',
  'drop-not-null',
  'truncate',
  'rename-column',
  'rename-table',
  'add-column-not-null-without-default',
  'set-not-null',
  'alter-column-type',
  'transaction-control',
  'syntax-error',
]);

export const RULES: Readonly<Record<RuleId, Rule>> = Object.fromEntries(
  RULE_IDS.map((id) => [
    id,
    {
      id,
      ...TEXT[id],
      exemptNewTable: TEXT[id].locking || EXEMPT_BREAKING.has(id),
      breaksPrevious: BREAKS_PREVIOUS.has(id),
      refusedByRunner: (REFUSED_BY_RUNNER as readonly RuleId[]).includes(id),
    },
  ]),
) as Record<RuleId, Rule>;

export function isRuleId(s: string): s is RuleId {
  return (RULE_IDS as readonly string[]).includes(s);
}

/** Whether an allow comment's rule names cover `rule`, by its own name or a squawk rule's. */
export function isAllowed(rule: RuleId, names: ReadonlySet<string>): boolean {
  return names.has(rule) || RULES[rule].squawk.some((s) => names.has(s));
}
