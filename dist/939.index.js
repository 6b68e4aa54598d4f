"use strict";
exports.id = 939;
exports.ids = [939];
exports.modules = {

/***/ 2160:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMigrate: () => (/* binding */ runMigrate)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ../../node_modules/dockerode/lib/docker.js
var docker = __webpack_require__(5292);
var docker_default = /*#__PURE__*/__webpack_require__.n(docker);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ../migrate/changed-files.ts


/**
 * Without a database to ask (a pull request), the pending migrations are the files this change adds
 * or modifies: against the pull request's base, or a push's previous commit. When git cannot tell
 * (a shallow clone without the base), every file is linted and the reason is returned.
 */
function changedMigrations(files, ctx, workDir) {
    const pr = ctx.payload.pull_request;
    const before = typeof ctx.payload.before === 'string' && !/^0+$/.test(ctx.payload.before)
        ? ctx.payload.before
        : undefined;
    const base = pr?.base?.sha ?? before ?? 'HEAD~1';
    const git = (...args) => (0,external_node_child_process_.execFileSync)('git', args, { cwd: workDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    try {
        const top = git('rev-parse', '--show-toplevel').trim();
        const mergeBase = pr ? git('merge-base', base, 'HEAD').trim() : base;
        const changed = new Set(git('diff', '--name-only', '--diff-filter=AM', mergeBase, 'HEAD')
            .split('\n')
            .filter(Boolean)
            .map((f) => external_node_path_default().resolve(top, f)));
        return {
            files: files.filter((f) => changed.has(f.path)),
            basis: `changed since ${mergeBase.slice(0, 12)}`,
        };
    }
    catch {
        return {
            files,
            basis: `all files (git could not compare with ${base.slice(0, 12)}; fetch more history to lint only the changed ones)`,
        };
    }
}

;// CONCATENATED MODULE: ../migrate/lint/rules.ts
/**
 * The rule catalogue. Two kinds of harm, which decide how a rule treats a table created earlier in
 * the same file:
 * - locking rules (`locking: true`) hold a lock that blocks a busy table while PostgreSQL scans,
 *   rewrites or indexes it. On a table the file itself created there is nothing to scan and no one
 *   to block, so they stay silent there (`exemptNewTable`). `migration-window` uses `locking`.
 * - breaking rules remove or rename what the previous app version (still serving during the deploy)
 *   reads and writes, or fail outright. They apply to every table.
 */
const RULE_IDS = [
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
];
/** What the built-in runner's file preparation (src/migrate/prepare.ts) refuses to run. */
const REFUSED_BY_RUNNER = [
    'transaction-control',
    'drop-database',
];
// Every locking rule is exempt on a new table; add-column-not-null-without-default and
// drop-not-null are too (the previous app version never reads or writes a table this file creates).
const TEXT = {
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
const EXEMPT_BREAKING = new Set([
    'add-column-not-null-without-default',
    'drop-not-null',
]);
const BREAKS_PREVIOUS = new Set([
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
const RULES = Object.fromEntries(RULE_IDS.map((id) => [
    id,
    {
        id,
        ...TEXT[id],
        exemptNewTable: TEXT[id].locking || EXEMPT_BREAKING.has(id),
        breaksPrevious: BREAKS_PREVIOUS.has(id),
        refusedByRunner: REFUSED_BY_RUNNER.includes(id),
    },
]));
function isRuleId(s) {
    return RULE_IDS.includes(s);
}
/** Whether an allow comment's rule names cover `rule`, by its own name or a squawk rule's. */
function isAllowed(rule, names) {
    return names.has(rule) || RULES[rule].squawk.some((s) => names.has(s));
}

;// CONCATENATED MODULE: ../migrate/compat.ts

/** name → backward compatible (no finding of a rule that breaks the previous app version), per file. */
function compatibility(files, findings) {
    const broken = new Set(findings.filter((f) => isRuleId(f.rule) && RULES[f.rule].breaksPrevious).map((f) => f.file));
    return new Map(files.map((f) => [f.name, !broken.has(f.relPath)]));
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ../migrate/in-image.ts

/**
 * Runs `command` inside the freshly built image (`docker run --rm --network host` with
 * DATABASE_URL), so the migration tool and its dependencies are exactly the ones that ship.
 * The command runs with `sh -c`: the image needs a shell.
 */
async function runInImage(docker, image, command, env, onLine) {
    const container = await docker.createContainer({
        Image: image,
        Cmd: ['sh', '-c', command],
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        Labels: { 'safe-deploy.role': 'migrate' },
        HostConfig: { NetworkMode: 'host' },
    });
    const tail = [];
    try {
        const stream = await container.attach({ stream: true, stdout: true, stderr: true });
        const out = new external_node_stream_.PassThrough();
        container.modem.demuxStream(stream, out, out);
        let partial = '';
        out.on('data', (chunk) => {
            const lines = (partial + chunk.toString()).split('\n');
            partial = lines.pop() ?? '';
            for (const l of lines) {
                onLine(l);
                tail.push(l);
                if (tail.length > 30)
                    tail.shift();
            }
        });
        await container.start();
        const { StatusCode } = (await container.wait());
        if (partial) {
            onLine(partial);
            tail.push(partial);
        }
        return { exitCode: StatusCode, tail };
    }
    finally {
        await container.remove({ force: true }).catch(() => undefined);
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ../migrate/layout.ts



const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__.+\.sql$/i;
const FLYWAY_OTHER = /^(?:U\d+(?:[._]\d+)*|R)__.+\.sql$/i;
const DBMATE_UP = /^[ \t]*--[ \t]*migrate:up\b/;
const DBMATE_DOWN = /^[ \t]*--[ \t]*migrate:down\b/;
async function readMigrations(dir, workingDirectory) {
    const cwd = external_node_path_default().resolve(workingDirectory);
    const root = external_node_path_default().resolve(cwd, dir);
    const rootStat = await external_node_fs_.promises.stat(root).catch((err) => {
        if (err.code === 'ENOENT') {
            throw new Error(`migrations-dir "${dir}" does not exist (looked for ${root})`, { cause: err });
        }
        throw err;
    });
    if (!rootStat.isDirectory())
        throw new Error(`migrations-dir "${dir}" is not a directory (${root})`);
    const { flat, prismaFolders } = await listEntries(root);
    if (prismaFolders.length > 0) {
        if (flat.length > 0) {
            throw new Error(`migrations-dir "${dir}" mixes Prisma migration folders (${prismaFolders[0]}/migration.sql) ` +
                `with flat .sql files (${flat[0]}): keep one layout so the apply order is unambiguous`);
        }
        const names = [...prismaFolders].sort(byCodePoint).map((f) => `${f}/migration.sql`);
        return Promise.all(names.map((name) => readOne(root, cwd, name, 'prisma')));
    }
    const versioned = flat.filter((f) => FLYWAY_VERSIONED.test(f));
    if (versioned.length > 0) {
        const others = flat.filter((f) => !FLYWAY_VERSIONED.test(f) && !FLYWAY_OTHER.test(f));
        if (others.length > 0) {
            throw new Error(`migrations-dir "${dir}" mixes Flyway files (${versioned[0]}) with other .sql files ` +
                `(${others[0]}): keep one naming scheme so the apply order is unambiguous`);
        }
        return Promise.all(sortFlyway(dir, versioned).map((name) => readOne(root, cwd, name, 'flyway')));
    }
    const plain = flat.filter((f) => !/\.down\.sql$/i.test(f)).sort(byCodePoint);
    return Promise.all(plain.map((name) => readOne(root, cwd, name, 'plain')));
}
async function listEntries(root) {
    const flat = [];
    const prismaFolders = [];
    for (const entry of await external_node_fs_.promises.readdir(root, { withFileTypes: true })) {
        if (entry.name.startsWith('.'))
            continue;
        // stat (not the dirent type) so symlinked files and folders count like real ones.
        const full = external_node_path_default().join(root, entry.name);
        const st = await external_node_fs_.promises.stat(full).catch(() => undefined);
        if (st?.isFile() && /\.sql$/i.test(entry.name))
            flat.push(entry.name);
        else if (st?.isDirectory()) {
            const inner = await external_node_fs_.promises.stat(external_node_path_default().join(full, 'migration.sql')).catch(() => undefined);
            if (inner?.isFile())
                prismaFolders.push(entry.name);
        }
    }
    return { flat, prismaFolders };
}
function sortFlyway(dir, names) {
    const keyed = names.map((name) => ({ name, version: flywayVersion(name) }));
    keyed.sort((a, b) => compareVersions(a.version, b.version) || byCodePoint(a.name, b.name));
    for (let i = 1; i < keyed.length; i++) {
        const prev = keyed[i - 1];
        const cur = keyed[i];
        if (compareVersions(prev.version, cur.version) === 0) {
            throw new Error(`migrations-dir "${dir}" has two Flyway migrations with the same version: ${prev.name}, ${cur.name}`);
        }
    }
    return keyed.map((k) => k.name);
}
/** `V1_2__x.sql` → [1n, 2n]. Trailing zero parts are dropped: Flyway treats 1.0 and 1 as the same version. */
function flywayVersion(name) {
    const raw = FLYWAY_VERSIONED.exec(name)?.[1] ?? '0';
    const parts = raw.split(/[._]/).map((p) => BigInt(p));
    while (parts.length > 1 && parts[parts.length - 1] === 0n)
        parts.pop();
    return parts;
}
function compareVersions(a, b) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const x = a[i] ?? 0n;
        const y = b[i] ?? 0n;
        if (x !== y)
            return x < y ? -1 : 1;
    }
    return 0;
}
function byCodePoint(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
async function readOne(root, cwd, name, layout) {
    const abs = external_node_path_default().join(root, ...name.split('/'));
    const bytes = await external_node_fs_.promises.readFile(abs);
    const checksum = (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
    // A BOM is an editor artefact, not SQL: PostgreSQL's parser would reject it.
    const content = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const relPath = external_node_path_default().relative(cwd, abs).split((external_node_path_default()).sep).join('/');
    const base = { name, path: abs, relPath, checksum };
    if (layout === 'plain') {
        const up = dbmateUpSection(content);
        if (up)
            return { ...base, ...up, layout: 'dbmate' };
    }
    return { ...base, sql: content, lineOffset: 0, layout };
}
/** The `-- migrate:up` … `-- migrate:down` section of a dbmate file, or undefined when it has no up marker. */
function dbmateUpSection(content) {
    const starts = [0];
    for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1))
        starts.push(i + 1);
    const lineAt = (n) => content.slice(starts[n], (starts[n + 1] ?? content.length + 1) - 1);
    const up = starts.findIndex((_, n) => DBMATE_UP.test(lineAt(n)));
    if (up < 0)
        return undefined;
    let down = starts.length;
    for (let n = up + 1; n < starts.length; n++) {
        if (DBMATE_DOWN.test(lineAt(n))) {
            down = n;
            break;
        }
    }
    const from = starts[up + 1] ?? content.length;
    const to = starts[down] ?? content.length;
    return { sql: content.slice(from, Math.max(from, to)), lineOffset: up + 1 };
}

// EXTERNAL MODULE: ../../node_modules/libpg-query/wasm/index.cjs
var wasm = __webpack_require__(4951);
;// CONCATENATED MODULE: ../migrate/lint/allow.ts
/**
 * Allow comments: `-- safe-deploy: allow <rule>[, <rule>]` (rules separated by commas and/or
 * spaces, case-insensitive). It counts when it sits in the run of `--` comment lines that ends on
 * the line directly above the statement's first line: a blank line or code breaks the run, so a
 * comment cannot leak onto a statement further down. Several allow lines, and explanatory comments
 * between the allow line and the statement, are fine.
 */
const ALLOW_RE = /^\s*--\s*safe-deploy:\s*allow\b(.*)$/i;
const COMMENT_LINE_RE = /^\s*--/;
/** Rules allowed for a statement whose first line is `lineIndex` (0-based) of `lines`. */
function allowedAbove(lines, lineIndex) {
    const allowed = new Set();
    for (let i = lineIndex - 1; i >= 0; i--) {
        const line = lines[i] ?? '';
        if (!COMMENT_LINE_RE.test(line))
            break;
        addRules(line, allowed);
    }
    return allowed;
}
/**
 * Rules allowed anywhere in the file. Only `syntax-error` uses it: when the file does not parse
 * there are no statements to attach a comment to.
 */
function allowedInFile(lines) {
    const allowed = new Set();
    for (const line of lines)
        addRules(line, allowed);
    return allowed;
}
function addRules(line, into) {
    const m = ALLOW_RE.exec(line);
    if (!m)
        return;
    for (const rule of (m[1] ?? '').split(/[\s,]+/))
        if (rule)
            into.add(rule.toLowerCase());
}

;// CONCATENATED MODULE: ../migrate/split.ts
/**
 * A small SQL lexer that splits a migration into statements the way psql does: semicolons inside
 * strings, quoted identifiers, dollar quotes, comments, parentheses and `BEGIN ATOMIC … END`
 * function bodies do not end a statement. It never judges syntax: PostgreSQL does that, with its
 * own messages and positions. We only need statement boundaries and the bare words of each one
 * (to spot `CONCURRENTLY` and transaction control outside comments and strings).
 */
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
function splitStatements(sql) {
    const out = [];
    let start = -1; // offset of the current statement's first token; -1 while only whitespace/comments
    let words = [];
    let parenDepth = 0;
    let beginDepth = 0;
    const flush = (end) => {
        if (start >= 0)
            out.push({ text: sql.slice(start, end).trimEnd(), start, words });
        start = -1;
        words = [];
        parenDepth = 0;
        beginDepth = 0;
    };
    const mark = (i) => {
        if (start < 0)
            start = i;
    };
    // psql's heuristic: only in CREATE [OR REPLACE] FUNCTION|PROCEDURE do BEGIN/CASE/END nest.
    const inRoutineDefinition = () => {
        const [a, b, c, d] = words;
        return (a === 'create' &&
            (b === 'function' ||
                b === 'procedure' ||
                (b === 'or' && c === 'replace' && (d === 'function' || d === 'procedure'))));
    };
    let i = 0;
    while (i < sql.length) {
        const ch = sql[i];
        const next = sql[i + 1];
        if (ch === '-' && next === '-') {
            const nl = sql.indexOf('\n', i);
            i = nl < 0 ? sql.length : nl + 1;
        }
        else if (ch === '/' && next === '*') {
            i = skipBlockComment(sql, i);
        }
        else if (ch === "'") {
            mark(i);
            // E'…' strings allow backslash escapes; the E was already consumed as a word.
            const prev = sql[i - 1];
            const escapes = (prev === 'E' || prev === 'e') && !IDENT_CHAR.test(sql[i - 2] ?? ' ');
            i = skipQuoted(sql, i, "'", escapes);
        }
        else if (ch === '"') {
            mark(i);
            i = skipQuoted(sql, i, '"', false);
        }
        else if (ch === '$' && !IDENT_CHAR.test(sql[i - 1] ?? ' ') && DOLLAR_TAG.test(sql.slice(i, i + 64))) {
            mark(i);
            const tag = DOLLAR_TAG.exec(sql.slice(i))[0];
            const close = sql.indexOf(tag, i + tag.length);
            i = close < 0 ? sql.length : close + tag.length;
        }
        else if (IDENT_START.test(ch)) {
            mark(i);
            let j = i + 1;
            while (j < sql.length && IDENT_CHAR.test(sql[j]))
                j++;
            const word = sql.slice(i, j).toLowerCase();
            // A word glued to a quote is a string prefix (E'', U&'', B'', X''), not a keyword.
            if (sql[j] !== "'")
                words.push(word);
            if (parenDepth === 0 && inRoutineDefinition()) {
                if (word === 'begin')
                    beginDepth++;
                else if (word === 'case' && beginDepth > 0)
                    beginDepth++;
                else if (word === 'end' && beginDepth > 0)
                    beginDepth--;
            }
            i = j;
        }
        else if (ch === ';' && parenDepth === 0 && beginDepth === 0) {
            flush(i);
            i++;
        }
        else {
            if (ch === '(')
                parenDepth++;
            else if (ch === ')' && parenDepth > 0)
                parenDepth--;
            if (!/\s/.test(ch))
                mark(i);
            i++;
        }
    }
    flush(sql.length);
    return out;
}
function skipBlockComment(sql, i) {
    // PostgreSQL block comments nest.
    let depth = 0;
    while (i < sql.length) {
        if (sql.startsWith('/*', i)) {
            depth++;
            i += 2;
        }
        else if (sql.startsWith('*/', i)) {
            depth--;
            i += 2;
            if (depth === 0)
                return i;
        }
        else
            i++;
    }
    return i;
}
function skipQuoted(sql, i, quote, backslashEscapes) {
    i++;
    while (i < sql.length) {
        const ch = sql[i];
        if (backslashEscapes && ch === '\\')
            i += 2;
        else if (ch === quote && sql[i + 1] === quote)
            i += 2; // doubled quote: an escaped quote
        else if (ch === quote)
            return i + 1;
        else
            i++;
    }
    return i;
}
/**
 * Statements PostgreSQL refuses to run inside a transaction block. `CONCURRENTLY` covers CREATE/DROP/
 * REINDEX INDEX, DETACH PARTITION and REFRESH MATERIALIZED VIEW (which could run in one, but
 * running it alone is harmless); the rest are the other common ones.
 */
function needsNoTransaction(stmt) {
    const [a, b] = stmt.words;
    if (stmt.words.includes('concurrently'))
        return true;
    if (a === 'vacuum')
        return true;
    if ((a === 'create' || a === 'drop') && (b === 'database' || b === 'tablespace'))
        return true;
    if (a === 'alter' && b === 'system')
        return true;
    if (a === 'reindex' && (b === 'system' || b === 'database'))
        return true;
    return false;
}
/**
 * Top-level transaction control: BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, PREPARE
 * TRANSACTION. Savepoints (SAVEPOINT, ROLLBACK TO, RELEASE) keep the runner's transaction intact.
 */
function transactionControl(stmt) {
    const [a, b] = stmt.words;
    if (a === 'begin' || (a === 'start' && b === 'transaction'))
        return 'begin';
    if (a === 'commit' || a === 'end')
        return stmt.words.includes('prepared') ? 'other' : 'commit';
    if (a === 'rollback' || a === 'abort')
        return stmt.words.includes('to') ? undefined : 'other';
    if (a === 'prepare' && b === 'transaction')
        return 'other';
    return undefined;
}

;// CONCATENATED MODULE: ../migrate/prepare.ts

function prepareFile(sql) {
    const body = analyse(sql);
    const [stray] = body.stray;
    if (stray) {
        return {
            mode: 'invalid',
            problem: 'transaction-control',
            offset: stray.statement.start,
            message: `contains transaction control ("${firstLine(stray.statement.text)}"): ${stray.what}; safe-deploy runs each file ` +
                'in its own transaction and records it in the same one; remove it (a whole-file BEGIN … COMMIT wrapper is allowed)',
        };
    }
    const dropDb = body.statements.find(isDropDatabase);
    if (dropDb) {
        // Without this it would run statement by statement, outside any transaction: nothing undoes it.
        return {
            mode: 'invalid',
            problem: 'drop-database',
            offset: dropDb.start,
            message: `contains DROP DATABASE ("${firstLine(dropDb.text)}"): safe-deploy never drops a database from a migration ` +
                '(it cannot run in a transaction and cannot be undone); remove it and drop the database by hand after a backup',
        };
    }
    const outside = body.statements.find((s) => needsNoTransaction(s));
    if (outside) {
        return {
            mode: 'statements',
            statements: body.statements,
            reason: `"${firstLine(outside.text)}" cannot run in a transaction`,
        };
    }
    return { mode: 'transaction', text: body.text };
}
/** Every transaction-control statement of `sql` the runner refuses (it stops at the first). */
function strayTransactionControl(sql) {
    return analyse(sql).stray;
}
function analyse(sql) {
    const statements = splitStatements(sql);
    const control = statements.map((s) => transactionControl(s));
    let text = sql;
    let body = statements;
    // A file wrapped in its own BEGIN … COMMIT is common and means what the runner does anyway:
    // blank the wrapper out (same length, so pg positions still map to lines) rather than let its
    // COMMIT end the runner's transaction before the file is recorded.
    const first = statements[0];
    const last = statements[statements.length - 1];
    if (statements.length >= 2 &&
        first &&
        last &&
        control[0] === 'begin' &&
        control[control.length - 1] === 'commit') {
        text = blank(blank(text, first), last);
        body = statements.slice(1, -1);
        control.splice(0, 1);
        control.splice(-1, 1);
    }
    return { text, statements: body, stray: describeStray(body, control) };
}
/** Names each refused statement the way a reader thinks of it: nested, never committed, lone. */
function describeStray(body, control) {
    const out = [];
    let open = false;
    control.forEach((c, i) => {
        const statement = body[i];
        if (!c || !statement)
            return;
        let what;
        if (c === 'begin') {
            const closes = control.slice(i + 1).some((later) => later === 'commit' || later === 'other');
            what = open
                ? 'a nested BEGIN'
                : closes
                    ? 'a transaction of its own inside the file'
                    : 'a BEGIN never committed';
            open = true;
        }
        else if (c === 'commit' && open) {
            what = 'the end of a transaction inside the file';
            open = false;
        }
        else {
            what =
                c === 'commit'
                    ? "a COMMIT without a BEGIN, which would end the runner's transaction halfway through the file"
                    : "it would end the runner's transaction halfway through the file";
            open = false;
        }
        out.push({ statement, what });
    });
    return out;
}
function isDropDatabase(stmt) {
    const [a, b] = stmt.words;
    return a === 'drop' && b === 'database';
}
function blank(text, stmt) {
    const end = stmt.start + stmt.text.length;
    return text.slice(0, stmt.start) + text.slice(stmt.start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}
function firstLine(text) {
    const line = (text.split('\n')[0] ?? '').trim();
    return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

;// CONCATENATED MODULE: ../migrate/lint/ast.ts
/** Small readers over the libpg-query AST, which is all optional fields and one-key wrapper objects. */
/** The `sval`s of a list of `String` nodes, e.g. a qualified name. */
function strings(nodes) {
    const out = [];
    for (const n of nodes ?? [])
        if ('String' in n)
            out.push(n.String.sval ?? '');
    return out;
}
/**
 * A table's key for "created in this file" and column-type knowledge. `public` is the default
 * schema, so `public.t` and `t` are the same table; other schemas stay qualified.
 */
function tableKey(schema, name) {
    return schema && schema !== 'public' ? `${schema}.${name ?? ''}` : (name ?? '');
}
function rangeVarKey(rv) {
    return tableKey(rv?.schemaname, rv?.relname);
}
/** A qualified-name list (`["s", "t"]`) as a table key. */
function qualifiedKey(parts) {
    return parts.length > 1
        ? tableKey(parts[parts.length - 2], parts[parts.length - 1])
        : tableKey(undefined, parts[0]);
}
function colType(tn) {
    const names = strings(tn?.names);
    const mods = (tn?.typmods ?? []).map((m) => {
        if (!('A_Const' in m))
            return undefined;
        const c = m.A_Const;
        // The JSON AST omits zero-valued fields: an integer 0 arrives as `ival: {}`.
        return c.ival !== undefined ? (c.ival.ival ?? 0) : undefined;
    });
    return {
        name: (names[names.length - 1] ?? '').toLowerCase(),
        mods,
        array: (tn?.arrayBounds?.length ?? 0) > 0,
    };
}
/** Whether a `DefElem` option such as `FULL` or `CONCURRENTLY` is on (bare, or with a true-ish value). */
function optionOn(options, name) {
    for (const n of options ?? []) {
        if (!('DefElem' in n) || n.DefElem.defname !== name)
            continue;
        return defElemTrue(n.DefElem);
    }
    return false;
}
function defElemTrue(d) {
    const arg = d.arg;
    if (!arg)
        return true;
    if ('Integer' in arg)
        return (arg.Integer.ival ?? 0) !== 0;
    if ('Boolean' in arg)
        return arg.Boolean.boolval === true;
    if ('String' in arg)
        return !['false', 'off', 'no', '0'].includes((arg.String.sval ?? '').toLowerCase());
    return true;
}
/** Every function called anywhere inside an expression tree. */
function calledFunctions(expr, out = []) {
    if (Array.isArray(expr)) {
        for (const e of expr)
            calledFunctions(e, out);
    }
    else if (expr !== null && typeof expr === 'object') {
        for (const [key, value] of Object.entries(expr)) {
            if (key === 'FuncCall') {
                const parts = strings(value.funcname).map((p) => p.toLowerCase());
                const name = parts.pop();
                if (name)
                    out.push(parts.length > 0 ? { schema: parts[parts.length - 1], name } : { name });
            }
            calledFunctions(value, out);
        }
    }
    return out;
}
/** Columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, alone or as a top-level AND term. */
function notNullColumns(expr) {
    if (!expr)
        return [];
    if ('BoolExpr' in expr && expr.BoolExpr.boolop === 'AND_EXPR')
        return (expr.BoolExpr.args ?? []).flatMap((a) => notNullColumns(a));
    if ('NullTest' in expr && expr.NullTest.nulltesttype === 'IS_NOT_NULL') {
        const arg = expr.NullTest.arg;
        if (arg && 'ColumnRef' in arg) {
            const fields = strings(arg.ColumnRef.fields);
            const col = fields[fields.length - 1];
            if (col && fields.length === (arg.ColumnRef.fields ?? []).length)
                return [col];
        }
    }
    return [];
}

;// CONCATENATED MODULE: ../migrate/lint/column-types.ts
/**
 * What the linted migrations say about column types, so `alter-column-type` can tell a
 * binary-coercible change (no rewrite) from one that rewrites the table. The old type is only
 * known when an earlier statement in the linted files declared it; otherwise the change is
 * reported (the allow comment is the way out).
 */
class ColumnTypes {
    tables = new Map();
    get(table, column) {
        return this.tables.get(table)?.get(column);
    }
    set(table, column, type) {
        let cols = this.tables.get(table);
        if (!cols)
            this.tables.set(table, (cols = new Map()));
        cols.set(column, type);
    }
    /** Forget a table's columns (CREATE TABLE starts from scratch; DROP TABLE ends it). */
    resetTable(table) {
        this.tables.delete(table);
    }
    dropColumn(table, column) {
        this.tables.get(table)?.delete(column);
    }
    renameColumn(table, from, to) {
        const cols = this.tables.get(table);
        const type = cols?.get(from);
        cols?.delete(from);
        if (cols && type)
            cols.set(to, type);
    }
    renameTable(from, to) {
        const cols = this.tables.get(from);
        this.tables.delete(from);
        this.tables.delete(to);
        if (cols)
            this.tables.set(to, cols);
    }
}
/** Types whose length/precision modifier can grow (or be removed) without a rewrite. */
const WIDENABLE = new Set([
    'varchar',
    'varbit',
    'timestamp',
    'timestamptz',
    'time',
    'timetz',
]);
/**
 * Changes PostgreSQL makes without rewriting the table or rebuilding its indexes:
 * - no change at all (same type and modifiers);
 * - varchar(n) → varchar(m ≥ n), varchar, text; varchar → text; text → varchar (no length);
 * - varbit(n) → varbit(m ≥ n), varbit;
 * - numeric(p, s) → numeric(q ≥ p, s), numeric (no modifiers);
 * - timestamp, timestamptz, time, timetz: precision (p) → (q ≥ p) or no precision;
 * - cidr → inet.
 * Not listed, so reported: arrays of any of these, anything with USING, shrinking a modifier, and
 * timestamp → timestamptz (binary-coercible only when the session time zone is UTC).
 */
function isBinaryCoercible(from, to) {
    if (from.array !== to.array)
        return false;
    if (from.name === to.name && sameMods(from.mods, to.mods))
        return true;
    if (from.array)
        return false;
    const [fromMod] = from.mods;
    const [toMod] = to.mods;
    if (from.name === 'varchar' && to.name === 'text')
        return true;
    if (from.name === 'text' && to.name === 'varchar')
        return to.mods.length === 0;
    if (from.name === 'cidr' && to.name === 'inet')
        return true;
    if (from.name !== to.name)
        return false;
    if (to.mods.length === 0)
        return WIDENABLE.has(to.name) || to.name === 'numeric';
    if (WIDENABLE.has(to.name)) {
        return from.mods.length === 1 && to.mods.length === 1 && atLeast(toMod, fromMod);
    }
    if (to.name === 'numeric') {
        return from.mods.length >= 1 && atLeast(toMod, fromMod) && (from.mods[1] ?? 0) === (to.mods[1] ?? 0);
    }
    return false;
}
function atLeast(a, b) {
    return a !== undefined && b !== undefined && a >= b;
}
function sameMods(a, b) {
    return a.length === b.length && a.every((m, i) => m !== undefined && m === b[i]);
}

;// CONCATENATED MODULE: ../migrate/lint/not-null-checks.ts
class NotNullChecks {
    tables = new Map();
    /** Constraints validated without their ADD in sight (added by hand, or in a squashed history). */
    unseen = new Map();
    add(table, name, columns, valid) {
        let checks = this.tables.get(table);
        if (!checks)
            this.tables.set(table, (checks = new Map()));
        checks.set(name, { columns, valid });
    }
    validate(table, name) {
        const check = this.tables.get(table)?.get(name);
        if (check)
            check.valid = true;
        else {
            let names = this.unseen.get(table);
            if (!names)
                this.unseen.set(table, (names = new Set()));
            names.add(name);
        }
    }
    drop(table, name) {
        this.tables.get(table)?.delete(name);
        this.unseen.get(table)?.delete(name);
    }
    hasValid(table, column) {
        for (const check of this.tables.get(table)?.values() ?? [])
            if (check.valid && check.columns.includes(column))
                return true;
        // A constraint we never saw added, validated right before SET NOT NULL, named after the column
        // and after NOT NULL (`users_email_not_null`, `email_nn`): the documented sequence, split across
        // a history the lint cannot see. Trusted by its name; any other unseen constraint is not.
        for (const name of this.unseen.get(table) ?? []) {
            const tokens = `_${name.toLowerCase()}_`;
            if (tokens.includes(`_${column.toLowerCase()}_`) && /_(not_?null|nn)_/.test(tokens))
                return true;
        }
        return false;
    }
    /** Forget a table's checks (CREATE TABLE starts from scratch; DROP TABLE ends it). */
    resetTable(table) {
        this.tables.delete(table);
        this.unseen.delete(table);
    }
    renameColumn(table, from, to) {
        for (const check of this.tables.get(table)?.values() ?? [])
            check.columns = check.columns.map((c) => (c === from ? to : c));
    }
    renameTable(from, to) {
        for (const map of [this.tables, this.unseen]) {
            const entry = map.get(from);
            map.delete(from);
            map.delete(to);
            if (entry)
                map.set(to, entry);
        }
    }
}

;// CONCATENATED MODULE: ../migrate/lint/builtin-functions.ts
// Generated by scripts/pg-builtin-functions.sh from PostgreSQL 15.18 (Debian 15.18-0+deb12u1)'s pg_proc: do not edit.
// pg_catalog functions with no VOLATILE overload (IMMUTABLE or STABLE), callable from SQL.
const PG_CATALOG_VERSION = '15.18';
const NON_VOLATILE_BUILTINS_TEXT = `
abbrev abs aclcontains acldefault aclexplode aclinsert aclitemeq aclremove acos acosd acosh age anyarray_send
anycompatiblearray_send anytextcat area array_append array_cat array_dims array_eq array_fill array_ge
array_gt array_larger array_le array_length array_lower array_lt array_ndims array_ne array_position
array_positions array_prepend array_remove array_replace array_send array_smaller array_to_json
array_to_string array_to_tsvector array_upper arraycontained arraycontains arrayoverlap ascii asin asind
asinh atan atan2 atan2d atand atanh bit bit_count bit_length bit_send bitand bitcat bitcmp biteq bitge
bitgt bitle bitlt bitne bitnot bitor bitshiftleft bitshiftright bittypmodin bitxor bool booland_statefunc
booleq boolge boolgt boolle boollt boolne boolor_statefunc boolsend bound_box box box_above box_above_eq
box_add box_below box_below_eq box_center box_contain box_contain_pt box_contained box_distance box_div
box_eq box_ge box_gt box_intersect box_le box_left box_lt box_mul box_overabove box_overbelow box_overlap
box_overleft box_overright box_right box_same box_send box_sub bpchar bpchar_larger bpchar_pattern_ge
bpchar_pattern_gt bpchar_pattern_le bpchar_pattern_lt bpchar_smaller bpcharcmp bpchareq bpcharge
bpchargt bpchariclike bpcharicnlike bpcharicregexeq bpcharicregexne bpcharle bpcharlike bpcharlt
bpcharne bpcharnlike bpcharregexeq bpcharregexne bpcharsend bpchartypmodin brin_bloom_summary_send
brin_minmax_multi_summary_send broadcast btarraycmp btboolcmp btbpchar_pattern_cmp btcharcmp btequalimage
btfloat48cmp btfloat4cmp btfloat84cmp btfloat8cmp btint24cmp btint28cmp btint2cmp btint42cmp btint48cmp
btint4cmp btint82cmp btint84cmp btint8cmp btnamecmp btnametextcmp btoidcmp btoidvectorcmp btrecordcmp
btrecordimagecmp btrim bttext_pattern_cmp bttextcmp bttextnamecmp bttidcmp btvarstrequalimage byteacat
byteacmp byteaeq byteage byteagt byteale bytealike bytealt byteane byteanlike byteasend cardinality
cash_cmp cash_div_cash cash_div_flt4 cash_div_flt8 cash_div_int2 cash_div_int4 cash_div_int8 cash_eq
cash_ge cash_gt cash_le cash_lt cash_mi cash_mul_flt4 cash_mul_flt8 cash_mul_int2 cash_mul_int4
cash_mul_int8 cash_ne cash_pl cash_send cash_words cashlarger cashsmaller cbrt ceil ceiling center char
char_length character_length chareq charge chargt charle charlt charne charsend chr cideq cidr cidr_send
cidsend circle circle_above circle_add_pt circle_below circle_center circle_contain circle_contain_pt
circle_contained circle_distance circle_div_pt circle_eq circle_ge circle_gt circle_le circle_left
circle_lt circle_mul_pt circle_ne circle_overabove circle_overbelow circle_overlap circle_overleft
circle_overright circle_right circle_same circle_send circle_sub_pt close_ls close_lseg close_pb close_pl
close_ps close_sb col_description concat concat_ws convert convert_from convert_to cos cosd cosh cot
cotd current_database current_schema current_schemas current_setting current_user database_to_xml
database_to_xml_and_xmlschema database_to_xmlschema date date_bin date_cmp date_cmp_timestamp
date_cmp_timestamptz date_eq date_eq_timestamp date_eq_timestamptz date_ge date_ge_timestamp
date_ge_timestamptz date_gt date_gt_timestamp date_gt_timestamptz date_larger date_le date_le_timestamp
date_le_timestamptz date_lt date_lt_timestamp date_lt_timestamptz date_mi date_mi_interval date_mii
date_ne date_ne_timestamp date_ne_timestamptz date_part date_pl_interval date_pli date_send date_smaller
date_trunc datemultirange daterange daterange_canonical daterange_subdiff datetime_pl datetimetz_pl dcbrt
decode degrees dexp diagonal diameter dist_bp dist_bs dist_cpoint dist_cpoly dist_lp dist_ls dist_pathp
dist_pb dist_pc dist_pl dist_polyc dist_polyp dist_ppath dist_ppoly dist_ps dist_sb dist_sl dist_sp div
dlog1 dlog10 dpow dround dsqrt dtrunc elem_contained_by_multirange elem_contained_by_range encode enum_cmp
enum_eq enum_first enum_ge enum_gt enum_larger enum_last enum_le enum_lt enum_ne enum_range enum_send
enum_smaller exp extract factorial family float4 float48div float48eq float48ge float48gt float48le
float48lt float48mi float48mul float48ne float48pl float4_accum float4abs float4div float4eq float4ge
float4gt float4larger float4le float4lt float4mi float4mul float4ne float4pl float4send float4smaller
float4um float4up float8 float84div float84eq float84ge float84gt float84le float84lt float84mi float84mul
float84ne float84pl float8_accum float8_avg float8_combine float8_corr float8_covar_pop float8_covar_samp
float8_regr_accum float8_regr_avgx float8_regr_avgy float8_regr_combine float8_regr_intercept float8_regr_r2
float8_regr_slope float8_regr_sxx float8_regr_sxy float8_regr_syy float8_stddev_pop float8_stddev_samp
float8_var_pop float8_var_samp float8abs float8div float8eq float8ge float8gt float8larger float8le float8lt
float8mi float8mul float8ne float8pl float8send float8smaller float8um float8up floor flt4_mul_cash
flt8_mul_cash fmgr_c_validator fmgr_internal_validator fmgr_sql_validator format format_type gcd
generate_series generate_subscripts get_bit get_byte get_current_ts_config getdatabaseencoding getpgusername
gin_cmp_tslexeme gin_compare_jsonb has_any_column_privilege has_column_privilege has_database_privilege
has_foreign_data_wrapper_privilege has_function_privilege has_language_privilege has_parameter_privilege
has_schema_privilege has_sequence_privilege has_server_privilege has_table_privilege has_tablespace_privilege
has_type_privilege hash_aclitem hash_aclitem_extended hash_array hash_array_extended hash_multirange
hash_multirange_extended hash_numeric hash_numeric_extended hash_range hash_range_extended
hash_record hash_record_extended hashbpchar hashbpcharextended hashchar hashcharextended hashenum
hashenumextended hashfloat4 hashfloat4extended hashfloat8 hashfloat8extended hashinet hashinetextended
hashint2 hashint2extended hashint4 hashint4extended hashint8 hashint8extended hashmacaddr hashmacaddr8
hashmacaddr8extended hashmacaddrextended hashname hashnameextended hashoid hashoidextended hashoidvector
hashoidvectorextended hashtext hashtextextended hashtid hashtidextended height host hostmask in_range
inet_client_addr inet_client_port inet_merge inet_same_family inet_send inet_server_addr inet_server_port
inetand inetmi inetmi_int8 inetnot inetor inetpl initcap int2 int24div int24eq int24ge int24gt int24le
int24lt int24mi int24mul int24ne int24pl int28div int28eq int28ge int28gt int28le int28lt int28mi int28mul
int28ne int28pl int2_avg_accum int2_avg_accum_inv int2_mul_cash int2_sum int2abs int2and int2div int2eq
int2ge int2gt int2int4_sum int2larger int2le int2lt int2mi int2mod int2mul int2ne int2not int2or int2pl
int2send int2shl int2shr int2smaller int2um int2up int2vectorsend int2xor int4 int42div int42eq int42ge
int42gt int42le int42lt int42mi int42mul int42ne int42pl int48div int48eq int48ge int48gt int48le int48lt
int48mi int48mul int48ne int48pl int4_avg_accum int4_avg_accum_inv int4_avg_combine int4_mul_cash int4_sum
int4abs int4and int4div int4eq int4ge int4gt int4inc int4larger int4le int4lt int4mi int4mod int4mul
int4multirange int4ne int4not int4or int4pl int4range int4range_canonical int4range_subdiff int4send
int4shl int4shr int4smaller int4um int4up int4xor int8 int82div int82eq int82ge int82gt int82le int82lt
int82mi int82mul int82ne int82pl int84div int84eq int84ge int84gt int84le int84lt int84mi int84mul int84ne
int84pl int8_avg int8_mul_cash int8_sum int8abs int8and int8dec int8dec_any int8div int8eq int8ge int8gt
int8inc int8inc_any int8inc_float8_float8 int8larger int8le int8lt int8mi int8mod int8mul int8multirange
int8ne int8not int8or int8pl int8pl_inet int8range int8range_canonical int8range_subdiff int8send
int8shl int8shr int8smaller int8um int8up int8xor integer_pl_date inter_lb inter_sb inter_sl interval
interval_accum interval_accum_inv interval_avg interval_cmp interval_combine interval_div interval_eq
interval_ge interval_gt interval_hash interval_hash_extended interval_larger interval_le interval_lt
interval_mi interval_mul interval_ne interval_pl interval_pl_date interval_pl_time interval_pl_timestamp
interval_pl_timestamptz interval_pl_timetz interval_send interval_smaller interval_um intervaltypmodin
is_normalized isclosed isempty isfinite ishorizontal isopen isparallel isperp isvertical json_array_element
json_array_element_text json_array_elements json_array_elements_text json_array_length json_build_array
json_build_object json_each json_each_text json_extract_path json_extract_path_text json_object
json_object_field json_object_field_text json_object_keys json_populate_record json_populate_recordset
json_send json_strip_nulls json_to_record json_to_recordset json_to_tsvector json_typeof jsonb_array_element
jsonb_array_element_text jsonb_array_elements jsonb_array_elements_text jsonb_array_length
jsonb_build_array jsonb_build_object jsonb_cmp jsonb_concat jsonb_contained jsonb_contains jsonb_delete
jsonb_delete_path jsonb_each jsonb_each_text jsonb_eq jsonb_exists jsonb_exists_all jsonb_exists_any
jsonb_extract_path jsonb_extract_path_text jsonb_ge jsonb_gt jsonb_hash jsonb_hash_extended jsonb_insert
jsonb_le jsonb_lt jsonb_ne jsonb_object jsonb_object_field jsonb_object_field_text jsonb_object_keys
jsonb_path_exists jsonb_path_exists_opr jsonb_path_exists_tz jsonb_path_match jsonb_path_match_opr
jsonb_path_match_tz jsonb_path_query jsonb_path_query_array jsonb_path_query_array_tz jsonb_path_query_first
jsonb_path_query_first_tz jsonb_path_query_tz jsonb_populate_record jsonb_populate_recordset jsonb_pretty
jsonb_send jsonb_set jsonb_set_lax jsonb_strip_nulls jsonb_to_record jsonb_to_recordset jsonb_to_tsvector
jsonb_typeof jsonpath_send justify_days justify_hours justify_interval lcm left length like like_escape
line line_distance line_eq line_horizontal line_interpt line_intersect line_parallel line_perp line_send
line_vertical ln log log10 lower lower_inc lower_inf lpad lseg lseg_center lseg_distance lseg_eq lseg_ge
lseg_gt lseg_horizontal lseg_interpt lseg_intersect lseg_le lseg_length lseg_lt lseg_ne lseg_parallel
lseg_perp lseg_send lseg_vertical ltrim macaddr macaddr8 macaddr8_and macaddr8_cmp macaddr8_eq macaddr8_ge
macaddr8_gt macaddr8_le macaddr8_lt macaddr8_ne macaddr8_not macaddr8_or macaddr8_send macaddr8_set7bit
macaddr_and macaddr_cmp macaddr_eq macaddr_ge macaddr_gt macaddr_le macaddr_lt macaddr_ne macaddr_not
macaddr_or macaddr_send make_date make_interval make_time make_timestamp make_timestamptz makeaclitem masklen
md5 min_scale mod money mul_d_interval multirange multirange_adjacent_multirange multirange_adjacent_range
multirange_after_multirange multirange_after_range multirange_before_multirange multirange_before_range
multirange_cmp multirange_contained_by_multirange multirange_contained_by_range multirange_contains_elem
multirange_contains_multirange multirange_contains_range multirange_eq multirange_ge multirange_gt
multirange_intersect multirange_intersect_agg_transfn multirange_le multirange_lt multirange_minus
multirange_ne multirange_overlaps_multirange multirange_overlaps_range multirange_overleft_multirange
multirange_overleft_range multirange_overright_multirange multirange_overright_range multirange_send
multirange_union mxid_age name nameconcatoid nameeq nameeqtext namege namegetext namegt namegttext nameiclike
nameicnlike nameicregexeq nameicregexne namele nameletext namelike namelt namelttext namene namenetext
namenlike nameregexeq nameregexne namesend netmask network network_cmp network_eq network_ge network_gt
network_larger network_le network_lt network_ne network_overlap network_smaller network_sub network_subeq
network_sup network_supeq normalize notlike now npoints num_nonnulls num_nulls numeric numeric_abs
numeric_add numeric_cmp numeric_div numeric_div_trunc numeric_eq numeric_exp numeric_ge numeric_gt
numeric_inc numeric_larger numeric_le numeric_ln numeric_log numeric_lt numeric_mod numeric_mul numeric_ne
numeric_pl_pg_lsn numeric_power numeric_send numeric_smaller numeric_sqrt numeric_sub numeric_uminus
numeric_uplus numerictypmodin nummultirange numnode numrange numrange_subdiff obj_description octet_length
oid oideq oidge oidgt oidlarger oidle oidlt oidne oidsend oidsmaller oidvectoreq oidvectorge oidvectorgt
oidvectorle oidvectorlt oidvectorne oidvectorsend oidvectortypes on_pb on_pl on_ppath on_ps on_sb
on_sl overlaps overlay parse_ident path path_add path_add_pt path_contain_pt path_distance path_div_pt
path_inter path_length path_mul_pt path_n_eq path_n_ge path_n_gt path_n_le path_n_lt path_npoints path_send
path_sub_pt pclose pg_available_extension_versions pg_available_extensions pg_backend_pid pg_char_to_encoding
pg_client_encoding pg_collation_for pg_collation_is_visible pg_column_compression pg_column_is_updatable
pg_column_size pg_conf_load_time pg_config pg_conversion_is_visible pg_current_snapshot pg_current_xact_id
pg_current_xact_id_if_assigned pg_cursor pg_ddl_command_send pg_dependencies_send pg_describe_object
pg_encoding_max_length pg_encoding_to_char pg_event_trigger_ddl_commands pg_event_trigger_dropped_objects
pg_event_trigger_table_rewrite_oid pg_event_trigger_table_rewrite_reason pg_extension_update_paths
pg_filenode_relation pg_function_is_visible pg_get_catalog_foreign_keys pg_get_constraintdef
pg_get_expr pg_get_function_arg_default pg_get_function_arguments pg_get_function_identity_arguments
pg_get_function_result pg_get_function_sqlbody pg_get_functiondef pg_get_indexdef pg_get_keywords
pg_get_object_address pg_get_partition_constraintdef pg_get_partkeydef pg_get_publication_tables
pg_get_replica_identity_index pg_get_replication_slots pg_get_ruledef pg_get_serial_sequence
pg_get_statisticsobjdef pg_get_statisticsobjdef_columns pg_get_statisticsobjdef_expressions
pg_get_triggerdef pg_get_userbyid pg_get_viewdef pg_has_role pg_identify_object pg_identify_object_as_address
pg_index_column_has_property pg_index_has_property pg_indexam_has_property pg_indexam_progress_phasename
pg_is_other_temp_schema pg_listening_channels pg_lsn pg_lsn_cmp pg_lsn_eq pg_lsn_ge pg_lsn_gt pg_lsn_hash
pg_lsn_hash_extended pg_lsn_larger pg_lsn_le pg_lsn_lt pg_lsn_mi pg_lsn_mii pg_lsn_ne pg_lsn_pli
pg_lsn_send pg_lsn_smaller pg_mcv_list_items pg_mcv_list_send pg_my_temp_schema pg_ndistinct_send
pg_node_tree_send pg_opclass_is_visible pg_operator_is_visible pg_opfamily_is_visible
pg_options_to_table pg_partition_root pg_postmaster_start_time pg_prepared_statement
pg_relation_filenode pg_relation_filepath pg_relation_is_publishable pg_relation_is_updatable
pg_replication_origin_oid pg_sequence_parameters pg_settings_get_flags pg_show_all_settings
pg_size_bytes pg_size_pretty pg_snapshot_send pg_snapshot_xip pg_snapshot_xmax pg_snapshot_xmin
pg_stat_get_activity pg_stat_get_analyze_count pg_stat_get_archiver pg_stat_get_autoanalyze_count
pg_stat_get_autovacuum_count pg_stat_get_backend_activity pg_stat_get_backend_activity_start
pg_stat_get_backend_client_addr pg_stat_get_backend_client_port pg_stat_get_backend_dbid
pg_stat_get_backend_idset pg_stat_get_backend_pid pg_stat_get_backend_start pg_stat_get_backend_userid
pg_stat_get_backend_wait_event pg_stat_get_backend_wait_event_type pg_stat_get_backend_xact_start
pg_stat_get_bgwriter_buf_written_checkpoints pg_stat_get_bgwriter_buf_written_clean
pg_stat_get_bgwriter_maxwritten_clean pg_stat_get_bgwriter_requested_checkpoints
pg_stat_get_bgwriter_stat_reset_time pg_stat_get_bgwriter_timed_checkpoints pg_stat_get_blocks_fetched
pg_stat_get_blocks_hit pg_stat_get_buf_alloc pg_stat_get_buf_fsync_backend pg_stat_get_buf_written_backend
pg_stat_get_checkpoint_sync_time pg_stat_get_checkpoint_write_time pg_stat_get_db_active_time
pg_stat_get_db_blk_read_time pg_stat_get_db_blk_write_time pg_stat_get_db_blocks_fetched
pg_stat_get_db_blocks_hit pg_stat_get_db_checksum_failures pg_stat_get_db_checksum_last_failure
pg_stat_get_db_conflict_all pg_stat_get_db_conflict_bufferpin pg_stat_get_db_conflict_lock
pg_stat_get_db_conflict_snapshot pg_stat_get_db_conflict_startup_deadlock pg_stat_get_db_conflict_tablespace
pg_stat_get_db_deadlocks pg_stat_get_db_idle_in_transaction_time pg_stat_get_db_numbackends
pg_stat_get_db_session_time pg_stat_get_db_sessions pg_stat_get_db_sessions_abandoned
pg_stat_get_db_sessions_fatal pg_stat_get_db_sessions_killed pg_stat_get_db_stat_reset_time
pg_stat_get_db_temp_bytes pg_stat_get_db_temp_files pg_stat_get_db_tuples_deleted
pg_stat_get_db_tuples_fetched pg_stat_get_db_tuples_inserted pg_stat_get_db_tuples_returned
pg_stat_get_db_tuples_updated pg_stat_get_db_xact_commit pg_stat_get_db_xact_rollback
pg_stat_get_dead_tuples pg_stat_get_function_calls pg_stat_get_function_self_time
pg_stat_get_function_total_time pg_stat_get_ins_since_vacuum pg_stat_get_last_analyze_time
pg_stat_get_last_autoanalyze_time pg_stat_get_last_autovacuum_time pg_stat_get_last_vacuum_time
pg_stat_get_live_tuples pg_stat_get_mod_since_analyze pg_stat_get_numscans pg_stat_get_progress_info
pg_stat_get_replication_slot pg_stat_get_slru pg_stat_get_snapshot_timestamp pg_stat_get_subscription
pg_stat_get_subscription_stats pg_stat_get_tuples_deleted pg_stat_get_tuples_fetched
pg_stat_get_tuples_hot_updated pg_stat_get_tuples_inserted pg_stat_get_tuples_returned
pg_stat_get_tuples_updated pg_stat_get_vacuum_count pg_stat_get_wal pg_stat_get_wal_receiver
pg_stat_get_wal_senders pg_statistics_obj_is_visible pg_table_is_visible pg_tablespace_databases
pg_tablespace_location pg_timezone_abbrevs pg_timezone_names pg_trigger_depth pg_ts_config_is_visible
pg_ts_dict_is_visible pg_ts_parser_is_visible pg_ts_template_is_visible pg_type_is_visible pg_typeof
pg_visible_in_snapshot pg_wal_lsn_diff pg_walfile_name pg_walfile_name_offset phraseto_tsquery pi
plainto_tsquery point point_above point_add point_below point_distance point_div point_eq point_horiz
point_left point_mul point_ne point_right point_send point_sub point_vert poly_above poly_below poly_center
poly_contain poly_contain_pt poly_contained poly_distance poly_left poly_npoints poly_overabove
poly_overbelow poly_overlap poly_overleft poly_overright poly_right poly_same poly_send polygon
popen position postgresql_fdw_validator pow power pt_contained_circle pt_contained_poly querytree
quote_ident quote_literal quote_nullable radians radius range_adjacent range_adjacent_multirange
range_after range_after_multirange range_before range_before_multirange range_cmp range_contained_by
range_contained_by_multirange range_contains range_contains_elem range_contains_multirange range_eq range_ge
range_gt range_intersect range_intersect_agg_transfn range_le range_lt range_merge range_minus range_ne
range_overlaps range_overlaps_multirange range_overleft range_overleft_multirange range_overright
range_overright_multirange range_send range_union record_eq record_ge record_gt record_image_eq
record_image_ge record_image_gt record_image_le record_image_lt record_image_ne record_le record_lt
record_ne record_send regclass regclasssend regcollationsend regconfigsend regdictionarysend
regexp_count regexp_instr regexp_like regexp_match regexp_matches regexp_replace regexp_split_to_array
regexp_split_to_table regexp_substr regnamespacesend regoperatorsend regopersend regproceduresend
regprocsend regrolesend regtypesend repeat replace reverse right round row_security_active row_to_json
rpad rtrim satisfies_hash_partition scale schema_to_xml schema_to_xml_and_xmlschema schema_to_xmlschema
session_user set_bit set_byte set_masklen setweight sha224 sha256 sha384 sha512 shobj_description sign
similar_escape similar_to_escape sin sind sinh slope spg_poly_quad_compress split_part sqrt starts_with
statement_timestamp string_to_array string_to_table strip strpos substr substring table_to_xml
table_to_xml_and_xmlschema table_to_xmlschema tan tand tanh text text_ge text_gt text_larger text_le
text_lt text_pattern_ge text_pattern_gt text_pattern_le text_pattern_lt text_smaller textanycat textcat
texteq texteqname textgename textgtname texticlike texticnlike texticregexeq texticregexne textlen
textlename textlike textltname textne textnename textnlike textregexeq textregexne textsend tideq tidge
tidgt tidlarger tidle tidlt tidne tidsend tidsmaller time time_cmp time_eq time_ge time_gt time_hash
time_hash_extended time_larger time_le time_lt time_mi_interval time_mi_time time_ne time_pl_interval
time_send time_smaller timedate_pl timestamp timestamp_cmp timestamp_cmp_date timestamp_cmp_timestamptz
timestamp_eq timestamp_eq_date timestamp_eq_timestamptz timestamp_ge timestamp_ge_date
timestamp_ge_timestamptz timestamp_gt timestamp_gt_date timestamp_gt_timestamptz timestamp_hash
timestamp_hash_extended timestamp_larger timestamp_le timestamp_le_date timestamp_le_timestamptz timestamp_lt
timestamp_lt_date timestamp_lt_timestamptz timestamp_mi timestamp_mi_interval timestamp_ne timestamp_ne_date
timestamp_ne_timestamptz timestamp_pl_interval timestamp_send timestamp_smaller timestamptypmodin timestamptz
timestamptz_cmp timestamptz_cmp_date timestamptz_cmp_timestamp timestamptz_eq timestamptz_eq_date
timestamptz_eq_timestamp timestamptz_ge timestamptz_ge_date timestamptz_ge_timestamp timestamptz_gt
timestamptz_gt_date timestamptz_gt_timestamp timestamptz_larger timestamptz_le timestamptz_le_date
timestamptz_le_timestamp timestamptz_lt timestamptz_lt_date timestamptz_lt_timestamp timestamptz_mi
timestamptz_mi_interval timestamptz_ne timestamptz_ne_date timestamptz_ne_timestamp timestamptz_pl_interval
timestamptz_send timestamptz_smaller timestamptztypmodin timetypmodin timetz timetz_cmp timetz_eq timetz_ge
timetz_gt timetz_hash timetz_hash_extended timetz_larger timetz_le timetz_lt timetz_mi_interval timetz_ne
timetz_pl_interval timetz_send timetz_smaller timetzdate_pl timetztypmodin timezone to_ascii to_char to_date
to_hex to_json to_jsonb to_number to_regclass to_regcollation to_regnamespace to_regoper to_regoperator
to_regproc to_regprocedure to_regrole to_regtype to_timestamp to_tsquery to_tsvector transaction_timestamp
translate trim_array trim_scale trunc ts_debug ts_delete ts_filter ts_headline ts_lexize ts_match_qv
ts_match_tq ts_match_tt ts_match_vq ts_parse ts_rank ts_rank_cd ts_token_type tsmultirange tsq_mcontained
tsq_mcontains tsquery_and tsquery_cmp tsquery_eq tsquery_ge tsquery_gt tsquery_le tsquery_lt tsquery_ne
tsquery_not tsquery_or tsquery_phrase tsquerysend tsrange tsrange_subdiff tstzmultirange tstzrange
tstzrange_subdiff tsvector_cmp tsvector_concat tsvector_eq tsvector_ge tsvector_gt tsvector_le tsvector_lt
tsvector_ne tsvector_to_array tsvectorsend txid_current txid_current_if_assigned txid_current_snapshot
txid_snapshot_send txid_snapshot_xip txid_snapshot_xmax txid_snapshot_xmin txid_visible_in_snapshot unistr
unknownsend unnest upper upper_inc upper_inf uuid_cmp uuid_eq uuid_ge uuid_gt uuid_hash uuid_hash_extended
uuid_le uuid_lt uuid_ne uuid_send varbit varbit_send varbitcmp varbiteq varbitge varbitgt varbitle varbitlt
varbitne varbittypmodin varchar varcharsend varchartypmodin version void_send websearch_to_tsquery
width width_bucket xid xid8_larger xid8_smaller xid8cmp xid8eq xid8ge xid8gt xid8le xid8lt xid8ne
xid8send xideq xideqint4 xidneq xidneqint4 xidsend xml xml_is_well_formed xml_is_well_formed_content
xml_is_well_formed_document xml_send xmlcomment xmlconcat2 xmlexists xmlvalidate xpath xpath_exists
`;

;// CONCATENATED MODULE: ../migrate/lint/volatility.ts

/**
 * Whether a column DEFAULT may call a function without rewriting the table. PostgreSQL 11+ stores
 * a non-volatile default once in the catalogue (evaluated at ALTER time); a VOLATILE one must be
 * evaluated per row, so every row is rewritten under an ACCESS EXCLUSIVE lock. Functions are
 * VOLATILE unless declared otherwise, and the lint cannot see how a user function was declared:
 * only built-ins known to be IMMUTABLE or STABLE pass. The list comes from a real catalogue
 * (builtin-functions.ts, generated); LATER_NON_VOLATILE adds the few from releases after it.
 */
/** IMMUTABLE or STABLE functions added in PostgreSQL 16–18 (release notes; pg_proc of those versions). */
const LATER_NON_VOLATILE = [
    // 16
    'date_add',
    'date_subtract',
    'erf',
    'erfc',
    'pg_input_is_valid',
    'pg_input_error_info',
    // 17
    'to_bin',
    'to_oct',
    'uuid_extract_timestamp',
    'uuid_extract_version',
    'pg_basetype',
    // 18
    'casefold',
    'array_sort',
    'array_reverse',
    'crc32',
    'crc32c',
    'gamma',
    'lgamma',
];
const NON_VOLATILE = new Set([
    ...NON_VOLATILE_BUILTINS_TEXT.split(/\s+/).filter(Boolean),
    ...LATER_NON_VOLATILE,
]);
function isKnownNonVolatile(f) {
    // A function qualified with another schema is not the built-in of that name.
    return (f.schema === undefined || f.schema === 'pg_catalog') && NON_VOLATILE.has(f.name);
}

;// CONCATENATED MODULE: ../migrate/lint/checks.ts




/**
 * What earlier migrations established, carried through a directory linted in order: column types
 * (for alter-column-type) and NOT NULL checks (for set-not-null).
 */
class checks_Knowledge {
    columns = new ColumnTypes();
    checks = new NotNullChecks();
    resetTable(table) {
        this.columns.resetTable(table);
        this.checks.resetTable(table);
    }
}
/** What earlier statements of the file established. */
class FileState {
    known;
    viewsCreated;
    newTables = new Set();
    /** Indexes created (in this file) on tables created in this file. */
    newIndexes = new Set();
    /** `table\0constraint` for constraints this file added NOT VALID: validating them here is too soon. */
    notValidHere = new Set();
    inTransaction = false;
    /**
     * @param viewsCreated views the whole file creates: a table renamed to make room for a view of
     *   its old name stays readable and writable (simple views are updatable) within one transaction.
     */
    constructor(known, viewsCreated = new Set()) {
        this.known = known;
        this.viewsCreated = viewsCreated;
    }
}
const SERIAL_TYPES = new Set([
    'serial',
    'serial2',
    'serial4',
    'serial8',
    'smallserial',
    'bigserial',
]);
function checkStatement(node, st) {
    if ('IndexStmt' in node) {
        const s = node.IndexStmt;
        const key = rangeVarKey(s.relation);
        const isNew = st.newTables.has(key);
        if (isNew && s.idxname)
            st.newIndexes.add(s.idxname);
        if (s.concurrent)
            return st.inTransaction ? [hit('concurrently-in-transaction')] : [];
        return [hit('create-index-non-concurrent', isNew)];
    }
    if ('DropStmt' in node)
        return checkDrop(node.DropStmt, st);
    if ('ReindexStmt' in node)
        return checkReindex(node.ReindexStmt, st);
    if ('AlterTableStmt' in node)
        return checkAlterTable(node.AlterTableStmt, st);
    if ('CreateStmt' in node)
        return checkCreateTable(node.CreateStmt, st);
    if ('CreateTableAsStmt' in node) {
        createdTable(node.CreateTableAsStmt.into?.rel, st);
        return [];
    }
    if ('SelectStmt' in node) {
        if (node.SelectStmt.intoClause)
            createdTable(node.SelectStmt.intoClause.rel, st);
        return [];
    }
    if ('TransactionStmt' in node) {
        const kind = node.TransactionStmt.kind;
        if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START')
            st.inTransaction = true;
        if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') {
            st.inTransaction = false;
        }
        return [];
    }
    if ('VacuumStmt' in node) {
        const s = node.VacuumStmt;
        if (!s.is_vacuumcmd || !optionOn(s.options, 'full'))
            return [];
        const rels = (s.rels ?? []).map((r) => 'VacuumRelation' in r ? rangeVarKey(r.VacuumRelation.relation) : '');
        return [hit('vacuum-full', rels.length > 0 && rels.every((k) => st.newTables.has(k)))];
    }
    if ('ClusterStmt' in node) {
        const rel = node.ClusterStmt.relation;
        return [hit('cluster', rel !== undefined && st.newTables.has(rangeVarKey(rel)))];
    }
    if ('TruncateStmt' in node)
        return [hit('truncate')];
    if ('DropdbStmt' in node)
        return [hit('drop-database')];
    if ('AlterDomainStmt' in node)
        return checkAlterDomain(node.AlterDomainStmt);
    if ('RenameStmt' in node) {
        const s = node.RenameStmt;
        const key = rangeVarKey(s.relation);
        if (s.renameType === 'OBJECT_COLUMN' && s.relationType === 'OBJECT_TABLE') {
            st.known.columns.renameColumn(key, s.subname ?? '', s.newname ?? '');
            st.known.checks.renameColumn(key, s.subname ?? '', s.newname ?? '');
            return [hit('rename-column', st.newTables.has(key))];
        }
        if (s.renameType === 'OBJECT_TABLE') {
            const to = rangeVarKey({ schemaname: s.relation?.schemaname, relname: s.newname });
            st.known.columns.renameTable(key, to);
            st.known.checks.renameTable(key, to);
            if (st.newTables.has(key))
                st.newTables.add(to);
            if (st.viewsCreated.has(key))
                return [];
            return [hit('rename-table', st.newTables.has(key))];
        }
    }
    return [];
}
function hit(rule, newTable = false) {
    return { rule, newTable };
}
function createdTable(rel, st) {
    const key = rangeVarKey(rel);
    st.newTables.add(key);
    st.known.resetTable(key);
    return key;
}
function checkCreateTable(s, st) {
    const key = createdTable(s.relation, st);
    const hits = [];
    for (const elt of s.tableElts ?? []) {
        if ('Constraint' in elt) {
            recordCheck(elt.Constraint, key, st);
            continue;
        }
        if (!('ColumnDef' in elt))
            continue;
        const col = elt.ColumnDef;
        for (const c of col.constraints ?? [])
            if ('Constraint' in c)
                recordCheck(c.Constraint, key, st);
        const type = colType(col.typeName);
        if (col.colname)
            st.known.columns.set(key, col.colname, type);
        if (type.name === 'json')
            hits.push(hit('json-column', true));
    }
    return hits;
}
function checkDrop(s, st) {
    const objects = (s.objects ?? []).map((o) => ('List' in o ? strings(o.List.items) : strings([o])));
    switch (s.removeType) {
        case 'OBJECT_INDEX': {
            if (s.concurrent)
                return st.inTransaction ? [hit('concurrently-in-transaction')] : [];
            const allNew = objects.every((parts) => st.newIndexes.has(parts[parts.length - 1] ?? ''));
            return [hit('drop-index-non-concurrent', allNew)];
        }
        case 'OBJECT_TABLE':
            for (const parts of objects)
                st.known.resetTable(qualifiedKey(parts));
            return [
                hit('drop-table', objects.every((parts) => st.newTables.has(qualifiedKey(parts)))),
            ];
        case 'OBJECT_SCHEMA':
            return [hit('drop-schema')];
        default:
            return [];
    }
}
function checkReindex(s, st) {
    if (optionOn(s.params, 'concurrently'))
        return st.inTransaction ? [hit('concurrently-in-transaction')] : [];
    // REINDEX SYSTEM has no CONCURRENTLY form (system catalogs cannot be reindexed concurrently).
    if (s.kind === 'REINDEX_OBJECT_SYSTEM')
        return [];
    const isNew = (s.kind === 'REINDEX_OBJECT_TABLE' && st.newTables.has(rangeVarKey(s.relation))) ||
        (s.kind === 'REINDEX_OBJECT_INDEX' && st.newIndexes.has(s.relation?.relname ?? ''));
    return [hit('reindex-non-concurrent', isNew)];
}
function checkAlterTable(s, st) {
    if (s.objtype !== 'OBJECT_TABLE')
        return [];
    const key = rangeVarKey(s.relation);
    const isNew = st.newTables.has(key);
    const hits = [];
    const add = (rule) => {
        hits.push(hit(rule, isNew));
    };
    for (const c of s.cmds ?? []) {
        if (!('AlterTableCmd' in c))
            continue;
        const cmd = c.AlterTableCmd;
        const def = cmd.def;
        switch (cmd.subtype) {
            case 'AT_AddColumn':
                if (def && 'ColumnDef' in def)
                    addColumn(def.ColumnDef, key, st, add);
                break;
            case 'AT_AlterColumnType':
                if (def && 'ColumnDef' in def)
                    alterType(def.ColumnDef, key, cmd.name ?? '', st, add);
                break;
            case 'AT_SetNotNull':
                // PostgreSQL 12+ proves NOT NULL from a valid CHECK (col IS NOT NULL) and skips the scan.
                if (!st.known.checks.hasValid(key, cmd.name ?? ''))
                    add('set-not-null');
                break;
            case 'AT_DropNotNull':
                add('drop-not-null');
                break;
            case 'AT_AddConstraint':
                if (def && 'Constraint' in def) {
                    addConstraint(def.Constraint, add);
                    recordCheck(def.Constraint, key, st);
                    if (def.Constraint.skip_validation && def.Constraint.conname)
                        st.notValidHere.add(`${key}\0${def.Constraint.conname}`);
                }
                break;
            case 'AT_ValidateConstraint':
                if (st.notValidHere.has(`${key}\0${cmd.name ?? ''}`))
                    add('validate-in-same-migration');
                st.known.checks.validate(key, cmd.name ?? '');
                break;
            case 'AT_DropConstraint':
                st.known.checks.drop(key, cmd.name ?? '');
                break;
            case 'AT_DropColumn':
                st.known.columns.dropColumn(key, cmd.name ?? '');
                add('drop-column');
                break;
            case 'AT_DetachPartition':
                if (def && 'PartitionCmd' in def && def.PartitionCmd.concurrent) {
                    if (st.inTransaction)
                        add('concurrently-in-transaction');
                }
                else
                    add('detach-partition-non-concurrent');
                break;
            default:
                break;
        }
    }
    return hits;
}
/**
 * Remembers a named constraint: a CHECK with the columns it proves NOT NULL (valid unless added
 * NOT VALID); any other with none, so that validating it later is not mistaken for an unseen one.
 */
function recordCheck(c, table, st) {
    if (!c.conname)
        return;
    const columns = c.contype === 'CONSTR_CHECK' ? notNullColumns(c.raw_expr) : [];
    st.known.checks.add(table, c.conname, columns, !c.skip_validation);
}
function checkAlterDomain(s) {
    // 'C': ADD CONSTRAINT. NOT VALID skips the check of existing values (CHECK only).
    if (s.subtype !== 'C' || !s.def || !('Constraint' in s.def))
        return [];
    return s.def.Constraint.skip_validation ? [] : [hit('alter-domain-add-constraint')];
}
function addColumn(col, table, st, add) {
    const type = colType(col.typeName);
    if (col.colname)
        st.known.columns.set(table, col.colname, type);
    if (type.name === 'json')
        add('json-column');
    const serial = SERIAL_TYPES.has(type.name) && !type.array;
    if (serial)
        add('add-column-serial');
    let providesValue = serial;
    let notNull = false;
    for (const n of col.constraints ?? []) {
        if (!('Constraint' in n))
            continue;
        const c = n.Constraint;
        switch (c.contype) {
            case 'CONSTR_DEFAULT':
                providesValue = true;
                if (calledFunctions(c.raw_expr).some((f) => !isKnownNonVolatile(f)))
                    add('add-column-volatile-default');
                break;
            case 'CONSTR_GENERATED':
                providesValue = true;
                // PostgreSQL 18 virtual generated columns are computed on read: nothing is rewritten.
                if (c.generated_kind !== 'v')
                    add('add-column-stored-generated');
                break;
            case 'CONSTR_IDENTITY':
                providesValue = true;
                add('add-column-identity');
                break;
            case 'CONSTR_NOTNULL':
                notNull = true;
                break;
            default:
                addConstraint(c, add);
                recordCheck(c, table, st);
        }
    }
    if (notNull && !providesValue)
        add('add-column-not-null-without-default');
}
function alterType(col, table, column, st, add) {
    const to = colType(col.typeName);
    const from = st.known.columns.get(table, column);
    // USING always rewrites: PostgreSQL evaluates the expression for every row.
    if (col.raw_default !== undefined || !from || !isBinaryCoercible(from, to))
        add('alter-column-type');
    if (to.name === 'json')
        add('json-column');
    st.known.columns.set(table, column, to);
}
function addConstraint(c, add) {
    switch (c.contype) {
        case 'CONSTR_CHECK':
            if (!c.skip_validation)
                add('add-check-without-not-valid');
            break;
        case 'CONSTR_FOREIGN':
            if (!c.skip_validation)
                add('add-foreign-key-without-not-valid');
            break;
        case 'CONSTR_UNIQUE':
            if (!c.indexname)
                add('add-unique-without-using-index');
            break;
        case 'CONSTR_PRIMARY':
            if (!c.indexname)
                add('add-primary-key-without-using-index');
            break;
        case 'CONSTR_NOTNULL':
            // PostgreSQL 18: ADD CONSTRAINT … NOT NULL col scans like SET NOT NULL unless NOT VALID.
            if (!c.skip_validation)
                add('set-not-null');
            break;
        default:
            break;
    }
}

;// CONCATENATED MODULE: ../migrate/lint/source.ts
/**
 * Offsets in a migration's SQL → lines. libpg-query reports statement locations in UTF-8 bytes
 * (the C parser's view) but syntax-error positions in characters (code points), while JS strings
 * index UTF-16 code units: each gets its own conversion.
 */
class SqlSource {
    sql;
    lines;
    lineStarts = [0];
    ascii;
    bytes;
    constructor(sql) {
        this.sql = sql;
        for (let i = sql.indexOf('\n'); i >= 0; i = sql.indexOf('\n', i + 1))
            this.lineStarts.push(i + 1);
        this.lines = sql.split('\n');
        // eslint-disable-next-line no-control-regex
        this.ascii = /^[\x00-\x7f]*$/.test(sql);
    }
    /** 0-based line of a UTF-16 index. */
    lineOf(index) {
        let lo = 0;
        let hi = this.lineStarts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if ((this.lineStarts[mid] ?? 0) <= index)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }
    fromByte(byteOffset) {
        if (this.ascii)
            return byteOffset;
        this.bytes ??= Buffer.from(this.sql, 'utf8');
        return this.bytes.subarray(0, byteOffset).toString('utf8').length;
    }
    fromCodePoint(cp) {
        if (this.ascii)
            return cp;
        let index = 0;
        for (let n = 0; n < cp && index < this.sql.length; n++)
            index += (this.sql.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
        return index;
    }
    /**
     * The first real token at or after `index`: a statement's reported start includes the
     * whitespace and comments after the previous `;` (among them any allow comment).
     */
    skipTrivia(index, end = this.sql.length) {
        const s = this.sql;
        let i = index;
        while (i < end) {
            const ch = s.charCodeAt(i);
            if (ch === 32 || (ch >= 9 && ch <= 13))
                i++;
            else if (s.startsWith('--', i)) {
                const nl = s.indexOf('\n', i);
                i = nl < 0 ? end : nl + 1;
            }
            else if (s.startsWith('/*', i))
                i = source_skipBlockComment(s, i);
            else
                break;
        }
        return Math.min(i, end);
    }
}
/** PostgreSQL block comments nest. */
function source_skipBlockComment(s, start) {
    let depth = 0;
    let i = start;
    while (i < s.length) {
        if (s.startsWith('/*', i)) {
            depth++;
            i += 2;
        }
        else if (s.startsWith('*/', i)) {
            depth--;
            i += 2;
            if (depth === 0)
                return i;
        }
        else
            i++;
    }
    return s.length;
}

;// CONCATENATED MODULE: ../migrate/lint/lint.ts







const STATEMENT_CHARS = 200;
let ready;
/** The parser is WebAssembly, instantiated once; after that parsing is synchronous and cheap. */
function loadParser() {
    ready ??= (0,wasm.loadModule)();
    return ready;
}
/**
 * Lint one migration. `known` carries what earlier migrations did (see `lintMigrations`); a fresh
 * one knows only what this file does.
 */
async function lintMigration(file, known = new Knowledge(), options = {}) {
    await loadParser();
    return lintParsed(file, known, options);
}
/**
 * Lint several migrations in apply order, carrying what each did into the next: column types (a
 * varchar widened in 002 after 001 created it is not reported) and validated NOT NULL checks (a
 * SET NOT NULL in 003 after 001 added CHECK (col IS NOT NULL) NOT VALID and 002 validated it is
 * not reported). `context` files (e.g. the migrations already applied) only contribute that
 * knowledge and are not reported on.
 */
async function lintMigrations(files, options = {}) {
    await loadParser();
    const known = new checks_Knowledge();
    for (const file of options.context ?? [])
        lintParsed(file, known, options);
    return files.flatMap((file) => lintParsed(file, known, options));
}
function lintParsed(file, known, options) {
    const src = new SqlSource(file.sql);
    if (src.sql.trim() === '')
        return [];
    let tree;
    try {
        tree = (0,wasm.parseSync)(src.sql);
    }
    catch (err) {
        return [syntaxError(file, src, err)];
    }
    const views = new Set();
    for (const raw of tree.stmts ?? [])
        if (raw.stmt && 'ViewStmt' in raw.stmt)
            views.add(rangeVarKey(raw.stmt.ViewStmt.view));
    const state = new FileState(known, views);
    const findings = lint_transactionControl(file, src, options);
    for (const raw of tree.stmts ?? []) {
        if (!raw.stmt)
            continue;
        const hits = checkStatement(raw.stmt, state);
        if (hits.length === 0)
            continue;
        const from = src.fromByte(raw.stmt_location ?? 0);
        const to = raw.stmt_len ? src.fromByte((raw.stmt_location ?? 0) + raw.stmt_len) : src.sql.length;
        const start = src.skipTrivia(from, to);
        const lineIndex = src.lineOf(start);
        const allowed = allowedAbove(src.lines, lineIndex);
        const statement = oneLine(src.sql.slice(start, to));
        const seen = new Set();
        for (const { rule, newTable } of hits) {
            if (seen.has(rule) || (newTable && RULES[rule].exemptNewTable))
                continue;
            seen.add(rule);
            findings.push(finding(file, rule, lineIndex, statement, mayAllow(rule, allowed, options)));
        }
    }
    return findings.sort((a, b) => a.line - b.line || RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule));
}
function syntaxError(file, src, err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = err instanceof wasm.SqlError ? (err.sqlDetails?.cursorPosition ?? 0) : 0;
    const lineIndex = src.lineOf(src.fromCodePoint(position));
    const rule = RULES['syntax-error'];
    return {
        ...finding(file, 'syntax-error', lineIndex, oneLine(src.lines[lineIndex] ?? ''), isAllowed(rule.id, allowedInFile(src.lines))),
        why: `${message}. ${rule.why}`,
    };
}
/**
 * Transaction control as the built-in runner treats it: the runner's own file preparation says
 * which statements it refuses, so the lint reports exactly those.
 */
function lint_transactionControl(file, src, options) {
    return strayTransactionControl(src.sql).map(({ statement, what }) => {
        const lineIndex = src.lineOf(statement.start);
        const f = finding(file, 'transaction-control', lineIndex, oneLine(statement.text), mayAllow('transaction-control', allowedAbove(src.lines, lineIndex), options));
        return { ...f, why: `${capitalise(what)}. ${f.why}` };
    });
}
/** Whether the allow comment's names cover `rule`, and may (see LintOptions.builtInRunner). */
function mayAllow(rule, names, options) {
    if (RULES[rule].refusedByRunner && (options.builtInRunner ?? true))
        return false;
    return isAllowed(rule, names);
}
function capitalise(s) {
    return s.charAt(0).toUpperCase() + s.slice(1);
}
function finding(file, rule, lineIndex, statement, allowed) {
    const r = RULES[rule];
    return {
        rule,
        file: file.relPath,
        line: file.lineOffset + lineIndex + 1,
        statement,
        why: r.why,
        fix: r.fix,
        allowed,
        locking: r.locking,
    };
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim().slice(0, STATEMENT_CHARS);
}

;// CONCATENATED MODULE: ../migrate/history.ts

/**
 * The migrations table: which files were applied, with what content, when and how long they took.
 * One row per file, written in the same transaction as the file itself.
 */
const DEFAULT_MIGRATIONS_TABLE = 'safe_deploy_migrations';
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
function parseHistoryTable(raw) {
    const text = (raw ?? '').trim() || DEFAULT_MIGRATIONS_TABLE;
    const parts = text.split('.');
    // Identifiers only: the name is spliced into SQL (it cannot be a bind parameter), so nothing that
    // would need quoting gets through.
    if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) {
        throw new Error(`migrations-table "${text}" is not a valid table name: use letters, digits and _ (at most 63), optionally schema-qualified as schema.table`);
    }
    const lower = parts.map((p) => p.toLowerCase());
    const name = lower[lower.length - 1];
    const schema = lower.length === 2 ? lower[0] : undefined;
    return {
        schema,
        name,
        sql: lower.map((p) => `"${p}"`).join('.'),
        display: lower.join('.'),
    };
}
/**
 * The advisory-lock key: stable across runs and machines (every runner of the same table must
 * agree), distinct per table so two apps sharing a database with different tables don't wait on
 * each other. Advisory locks are per database already.
 */
function advisoryLockKey(table) {
    const digest = (0,external_node_crypto_.createHash)('sha256').update(`safe-deploy:migrations:${table.display}`).digest();
    return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}
async function historyTableExists(client, table) {
    const res = await client.query('SELECT to_regclass($1)::oid AS oid', [table.sql]);
    return res.rows[0]?.oid != null;
}
async function ensureHistoryTable(client, table) {
    if (table.schema) {
        // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege even when the schema exists, so ask first.
        const res = await client.query('SELECT to_regnamespace($1)::oid AS oid', [
            `"${table.schema}"`,
        ]);
        if (res.rows[0]?.oid == null)
            await client.query(`CREATE SCHEMA IF NOT EXISTS "${table.schema}"`);
    }
    if (await historyTableExists(client, table)) {
        // Tables from before the column existed get it; adding a nullable column is metadata-only.
        await client.query(`ALTER TABLE ${table.sql} ADD COLUMN IF NOT EXISTS backward_compatible boolean`);
        return;
    }
    await client.query(`CREATE TABLE IF NOT EXISTS ${table.sql} (
       name text PRIMARY KEY,
       checksum text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now(),
       duration_ms integer NOT NULL,
       backward_compatible boolean
     )`);
}
async function readApplied(client, table) {
    if (!(await historyTableExists(client, table)))
        return [];
    // SELECT *: a table written by an older version may lack backward_compatible.
    const res = await client.query(`SELECT * FROM ${table.sql} ORDER BY name`);
    return res.rows.map((r) => ({
        name: r.name,
        checksum: r.checksum,
        appliedAt: r.applied_at,
        durationMs: r.duration_ms,
        backwardCompatible: r.backward_compatible ?? undefined,
    }));
}
async function recordApplied(client, table, row) {
    await client.query(`INSERT INTO ${table.sql} (name, checksum, applied_at, duration_ms, backward_compatible) VALUES ($1, $2, now(), $3, $4)`, [row.name, row.checksum, Math.round(row.durationMs), row.backwardCompatible ?? null]);
}

// EXTERNAL MODULE: ../../node_modules/pg/esm/index.mjs
var esm = __webpack_require__(5757);
;// CONCATENATED MODULE: ../migrate/session.ts

class MigrationRunnerError extends Error {
    name = 'MigrationRunnerError';
}
/** `host:port/database` from the URL, never the user or password; a fixed phrase if it won't parse. */
function describeTarget(databaseUrl) {
    try {
        const url = new URL(databaseUrl);
        if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
            return 'the database (unsupported URL scheme)';
        // A socket directory may come as ?host=/path instead of in the authority.
        const host = url.hostname || url.searchParams.get('host') || 'localhost';
        const port = url.port || url.searchParams.get('port') || '5432';
        const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
        return `${host}:${port}/${db}`;
    }
    catch {
        return 'the database (the database URL does not parse)';
    }
}
/** Removes the URL and its password from a message, however a library chose to quote them. */
function redact(message, databaseUrl) {
    const secrets = new Set([databaseUrl]);
    try {
        const url = new URL(databaseUrl);
        if (url.password) {
            secrets.add(url.password);
            secrets.add(decodeURIComponent(url.password));
        }
    }
    catch {
        // Unparseable URL: only the whole string is known to be secret.
    }
    let out = message;
    // Longest first, so the URL is replaced whole before its password part.
    for (const s of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
        out = out.split(s).join('***');
    }
    return out;
}
async function openSession(opts) {
    const target = describeTarget(opts.databaseUrl);
    let client;
    try {
        client = new esm/* default.Client */.Ay.Client({
            connectionString: opts.databaseUrl,
            connectionTimeoutMillis: opts.connectTimeoutMs ?? 30_000,
            application_name: 'safe-deploy migrate',
        });
    }
    catch (err) {
        throw new MigrationRunnerError(`cannot connect to PostgreSQL at ${target}: ${safeMessage(err, opts.databaseUrl)}`);
    }
    // Without a listener, a connection dropped while idle would crash the process with an unhandled
    // 'error' event; the next query reports it instead.
    client.on('error', () => undefined);
    try {
        await client.connect();
    }
    catch (err) {
        await client.end().catch(() => undefined);
        throw new MigrationRunnerError(`cannot connect to PostgreSQL at ${target}: ${safeMessage(err, opts.databaseUrl)}`);
    }
    return client;
}
function safeMessage(err, databaseUrl) {
    const raw = err instanceof Error ? err.message || err.name : String(err);
    return redact(raw, databaseUrl);
}

;// CONCATENATED MODULE: ../migrate/pg-error.ts


const LOCK_NOT_AVAILABLE = '55P03';
function sqlstateOf(err) {
    return err instanceof esm/* default.DatabaseError */.Ay.DatabaseError && typeof err.code === 'string' ? err.code : undefined;
}
function describeSqlError(err, sent, databaseUrl) {
    const message = safeMessage(err, databaseUrl);
    if (!(err instanceof esm/* default.DatabaseError */.Ay.DatabaseError))
        return { message };
    const position = err.position ? Number(err.position) : undefined;
    // A position only means something in the file's own text (not, say, in our history INSERT).
    // Without a position, the line where the statement that failed starts.
    const line = !sent.text
        ? undefined
        : lineAt(sent, position && position > 0 ? position : firstToken(sent.text));
    const extra = [
        err.detail && `detail: ${err.detail}`,
        err.hint && `hint: ${err.hint}`,
        err.where && `where: ${err.where}`,
    ].filter(Boolean);
    const full = [message, ...extra].map((m) => safeMessage(m, databaseUrl)).join('; ');
    return { message: full, sqlstate: err.code, line, position };
}
/** 1-based character position of the first non-blank character. */
function firstToken(text) {
    return Array.from(text).findIndex((ch) => !/\s/.test(ch)) + 1 || 1;
}
/** pg counts positions in characters (code points); JS strings index UTF-16 units. */
function lineAt(sent, position) {
    let index = 0;
    let chars = 0;
    while (index < sent.text.length && chars < position - 1) {
        const cp = sent.text.codePointAt(index);
        index += cp > 0xffff ? 2 : 1;
        chars++;
    }
    const upto = sent.sql.slice(0, sent.offset + index);
    let newlines = 0;
    for (const ch of upto)
        if (ch === '\n')
            newlines++;
    return sent.lineOffset + newlines + 1;
}

;// CONCATENATED MODULE: ../migrate/apply.ts




class StatementFailed extends Error {
    error;
    sent;
    note;
    constructor(error, sent, note) {
        super('statement failed');
        this.error = error;
        this.sent = sent;
        this.note = note;
    }
}
async function applyFile(ctx, file) {
    const prepared = prepareFile(file.sql);
    const at = (offset, text) => ({
        text,
        offset,
        sql: file.sql,
        lineOffset: file.lineOffset,
    });
    if (prepared.mode === 'invalid') {
        const line = file.lineOffset + countNewlines(file.sql.slice(0, prepared.offset)) + 1;
        return { ok: false, kind: 'invalid', attempts: 0, error: { message: prepared.message, line } };
    }
    const started = Date.now();
    const tries = { retries: 0 };
    try {
        if (prepared.mode === 'transaction') {
            await withLockRetries(ctx, tries, file.name, () => runInTransaction(ctx, file, prepared.text, started, at));
        }
        else {
            ctx.log(`${file.name}: running outside a transaction, statement by statement (${prepared.reason})`);
            await runStatements(ctx, tries, file, prepared.statements, at);
            // Recorded after the fact: there is no transaction to record it in.
            await recordApplied(ctx.client, ctx.table, {
                name: file.name,
                checksum: file.checksum,
                durationMs: Date.now() - started,
                backwardCompatible: ctx.backwardCompatible?.(file.name),
            });
        }
    }
    catch (err) {
        const failure = err instanceof StatementFailed ? err : new StatementFailed(err, at(0, ''));
        const error = describeSqlError(failure.error, failure.sent, ctx.databaseUrl);
        if (failure.note)
            error.message += `; ${failure.note}`;
        const attempts = tries.retries + 1;
        const lockTimeout = error.sqlstate === LOCK_NOT_AVAILABLE;
        if (lockTimeout) {
            error.message += `; gave up after ${attempts} attempts (lock-retries ${ctx.lockRetries} exhausted)`;
        }
        return { ok: false, kind: lockTimeout ? 'lock-timeout' : 'sql', attempts, error };
    }
    return { ok: true, durationMs: Date.now() - started, attempts: tries.retries + 1 };
}
async function runInTransaction(ctx, file, text, started, at) {
    const { client } = ctx;
    await client.query('BEGIN');
    try {
        // Statement by statement inside the one transaction (all or nothing still holds): an error
        // pg reports without a position (a duplicate table, a failed cast of existing rows) is then
        // still placed at the line of the statement that failed.
        for (const stmt of splitStatements(text)) {
            try {
                await client.query(stmt.text);
            }
            catch (err) {
                throw new StatementFailed(err, at(stmt.start, stmt.text));
            }
        }
        await recordApplied(client, ctx.table, {
            name: file.name,
            checksum: file.checksum,
            durationMs: Date.now() - started,
            backwardCompatible: ctx.backwardCompatible?.(file.name),
        });
        await client.query('COMMIT');
    }
    catch (err) {
        // The file leaves no trace: everything it did, and its history row, goes.
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
    }
}
async function runStatements(ctx, tries, file, statements, at) {
    for (const [index, stmt] of statements.entries()) {
        const index_ = describeConcurrentIndex(stmt);
        const existedBefore = index_ ? await relationExists(ctx.client, index_) : true;
        await withLockRetries(ctx, tries, `${file.name} statement ${index + 1}`, async () => {
            try {
                await ctx.client.query(stmt.text);
            }
            catch (err) {
                // A CREATE INDEX CONCURRENTLY that fails after its first phase leaves an INVALID index
                // behind; a retry (or the next run, with IF NOT EXISTS) would then "succeed" without one.
                if (index_ && !existedBefore)
                    await dropInvalidIndex(ctx, index_);
                const note = index > 0
                    ? `statements 1-${index} of this file ran outside a transaction and stay applied; the file is not recorded`
                    : undefined;
                throw new StatementFailed(err, at(stmt.start, stmt.text), note);
            }
        });
    }
}
/** Runs `fn`, retrying on lock_timeout (only) with exponential backoff, up to lockRetries times. */
async function withLockRetries(ctx, tries, label, fn) {
    for (let attempt = 1;; attempt++) {
        try {
            await fn();
            return;
        }
        catch (err) {
            const cause = err instanceof StatementFailed ? err.error : err;
            if (sqlstateOf(cause) !== LOCK_NOT_AVAILABLE || attempt > ctx.lockRetries)
                throw err;
            const delay = ctx.retryBaseDelayMs * 2 ** (attempt - 1);
            ctx.log(`${label}: lock timeout (SQLSTATE ${LOCK_NOT_AVAILABLE}) on attempt ${attempt} of ${ctx.lockRetries + 1}; retrying in ${delay} ms`);
            tries.retries++;
            await new Promise((resolve) => setTimeout(resolve, delay));
        }
    }
}
/** The qualified name (as SQL text) of the index a CREATE INDEX CONCURRENTLY builds, when it names one. */
function describeConcurrentIndex(stmt) {
    const [a, b, c] = stmt.words;
    if (a !== 'create' || !(b === 'index' || (b === 'unique' && c === 'index')))
        return undefined;
    const ident = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
    const re = new RegExp(`\\bconcurrently\\s+(?:if\\s+not\\s+exists\\s+)?(${ident})\\s+on\\s+(?:only\\s+)?(${ident})(?:\\s*\\.\\s*(${ident}))?`, 'i');
    const m = re.exec(stmt.text);
    if (!m?.[1])
        return undefined;
    // The index lives in its table's schema: ON schema.table names it.
    return m[3] && m[2] ? `${m[2]}.${m[1]}` : m[1];
}
async function relationExists(client, name) {
    const res = await client.query('SELECT to_regclass($1)::oid AS oid', [name]);
    return res.rows[0]?.oid != null;
}
async function dropInvalidIndex(ctx, name) {
    try {
        const res = await ctx.client.query('SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)', [name]);
        if (res.rows[0] && !res.rows[0].valid) {
            ctx.log(`dropping the invalid index ${name} left by the failed CREATE INDEX CONCURRENTLY`);
            await ctx.client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
        }
    }
    catch (err) {
        ctx.log(`could not drop the invalid index ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
}
function countNewlines(text) {
    let n = 0;
    for (const ch of text)
        if (ch === '\n')
            n++;
    return n;
}

;// CONCATENATED MODULE: ../migrate/plan.ts
function computePlan(files, history) {
    const seen = new Set();
    for (const f of files) {
        if (seen.has(f.name))
            throw new Error(`two migration files share the name ${f.name}`);
        seen.add(f.name);
    }
    const byName = new Map(history.map((row) => [row.name, row]));
    const applied = [];
    const pending = [];
    const checksumMismatch = [];
    for (const file of files) {
        const row = byName.get(file.name);
        if (!row) {
            pending.push(file);
            continue;
        }
        applied.push(row);
        if (row.checksum !== file.checksum) {
            checksumMismatch.push({ name: file.name, expected: row.checksum, actual: file.checksum });
        }
    }
    const last = files[files.length - 1];
    // Rows sorting before the last file are files deleted or squashed since (nothing to do); rows
    // after it were added by a newer commit.
    const unknownApplied = history
        .filter((row) => !seen.has(row.name))
        .filter((row) => !last || compareNames(row.name, last.name, last.layout) > 0);
    return { applied, pending, unknownApplied, checksumMismatch };
}
/**
 * The order layout.ts applies files in: code-point order, except Flyway's numeric versions
 * (V2 < V10). Kept in step with layout.ts by hand; it only decides what counts as "newer".
 */
function compareNames(a, b, layout) {
    if (layout === 'flyway') {
        const va = plan_flywayVersion(a);
        const vb = plan_flywayVersion(b);
        if (va && vb) {
            for (let i = 0; i < Math.max(va.length, vb.length); i++) {
                const x = va[i] ?? 0n;
                const y = vb[i] ?? 0n;
                if (x !== y)
                    return x < y ? -1 : 1;
            }
        }
    }
    return a < b ? -1 : a > b ? 1 : 0;
}
function plan_flywayVersion(name) {
    const raw = /^V(\d+(?:[._]\d+)*)__/i.exec(name)?.[1];
    return raw ? raw.split(/[._]/).map((p) => BigInt(p)) : undefined;
}

;// CONCATENATED MODULE: ../migrate/runner.ts






/** Reads the migrations table (without creating it) and compares it with the files. */
async function planMigrations(files, opts) {
    const table = parseHistoryTable(opts.table);
    const client = await openSession(opts);
    try {
        return computePlan(files, await readApplied(client, table));
    }
    catch (err) {
        throw wrap(err, 'reading the migrations table', opts.databaseUrl);
    }
    finally {
        await client.end().catch(() => undefined);
    }
}
/** Applies the pending files in the order given, stopping at the first failure. */
async function applyMigrations(files, opts) {
    const table = parseHistoryTable(opts.table);
    const lockTimeoutMs = nonNegativeInt(opts.lockTimeoutMs, 'lock-timeout');
    const statementTimeoutMs = nonNegativeInt(opts.statementTimeoutMs, 'statement-timeout');
    const lockRetries = nonNegativeInt(opts.lockRetries, 'lock-retries');
    const retryBaseDelayMs = nonNegativeInt(opts.retryBaseDelayMs ?? 1000, 'retry base delay');
    const log = opts.log;
    const client = await openSession(opts);
    const key = advisoryLockKey(table);
    let locked = false;
    try {
        // Waiting for another run is expected and may take long: no timeout applies to that wait.
        await setTimeouts(client, 0, 0);
        locked = await acquireLock(client, key, table, log);
        await setTimeouts(client, lockTimeoutMs, statementTimeoutMs);
        await ensureHistoryTable(client, table);
        // Planned only now, under the lock: a run we waited for may have applied some files already.
        const plan = computePlan(files, await readApplied(client, table));
        const result = { applied: [], unknownApplied: plan.unknownApplied };
        const changed = plan.checksumMismatch[0];
        if (changed) {
            const others = plan.checksumMismatch.length > 1 ? ` (and ${plan.checksumMismatch.length - 1} more)` : '';
            result.failed = {
                name: changed.name,
                relPath: files.find((f) => f.name === changed.name)?.relPath,
                kind: 'changed',
                error: `migration ${changed.name} was changed after it was applied: expected sha256 ${changed.expected}, ` +
                    `found ${changed.actual}; add a new migration instead${others}`,
            };
            log(result.failed.error);
            return result;
        }
        if (plan.unknownApplied.length > 0) {
            log(`the database has ${plan.unknownApplied.length} migration(s) newer than this commit's files ` +
                `(${plan.unknownApplied.map((m) => m.name).join(', ')}): a re-run of an older commit; applying nothing`);
            return result;
        }
        if (plan.pending.length === 0) {
            log(`migrations: all ${files.length} file(s) already applied`);
            return result;
        }
        log(`migrations: ${plan.pending.length} pending: ${plan.pending.map((f) => f.name).join(', ')}`);
        const ctx = {
            client,
            table,
            lockRetries,
            retryBaseDelayMs,
            databaseUrl: opts.databaseUrl,
            log,
            backwardCompatible: opts.backwardCompatible,
        };
        for (const file of plan.pending) {
            log(`applying ${file.name}`);
            const outcome = await applyFile(ctx, file);
            if (!outcome.ok) {
                const where = outcome.error.line !== undefined ? ` at line ${outcome.error.line}` : '';
                const state = outcome.error.sqlstate ? ` (SQLSTATE ${outcome.error.sqlstate})` : '';
                result.failed = {
                    name: file.name,
                    relPath: file.relPath,
                    kind: outcome.kind,
                    error: `migration ${file.name} failed${where}${state}: ${outcome.error.message}`,
                    sqlstate: outcome.error.sqlstate,
                    line: outcome.error.line,
                    position: outcome.error.position,
                };
                log(result.failed.error);
                return result;
            }
            const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : '';
            log(`applied ${file.name} in ${outcome.durationMs} ms${tries}`);
            result.applied.push({ name: file.name, durationMs: outcome.durationMs, attempts: outcome.attempts });
        }
        return result;
    }
    catch (err) {
        throw wrap(err, 'running migrations', opts.databaseUrl);
    }
    finally {
        // Ending the session would release the lock too; unlocking first keeps that explicit and quick
        // for whoever waits, even if end() is slow.
        if (locked)
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
        await client.end().catch(() => undefined);
    }
}
async function acquireLock(client, key, table, log) {
    const tried = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
    if (tried.rows[0]?.ok)
        return true;
    log(`waiting for another migration run to finish (it holds the lock on ${table.display}${await holder(client, key)})`);
    const started = Date.now();
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    log(`lock acquired after ${Math.round((Date.now() - started) / 1000)} s`);
    return true;
}
/** ", pid 123, safe-deploy migrate" for the session holding the lock, when visible to us. */
async function holder(client, key) {
    const unsigned = BigInt.asUintN(64, BigInt(key));
    const res = await client
        .query(`SELECT l.pid, a.application_name AS app
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid::text = $1 AND l.objid::text = $2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()])
        .catch(() => undefined);
    const row = res?.rows[0];
    return row ? `, pid ${row.pid}${row.app ? `, ${row.app}` : ''}` : '';
}
async function setTimeouts(client, lockMs, statementMs) {
    await client.query("SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)", [`${lockMs}ms`, `${statementMs}ms`]);
}
function nonNegativeInt(value, what) {
    if (!Number.isFinite(value) || value < 0)
        throw new MigrationRunnerError(`${what} must be a non-negative number`);
    return Math.round(value);
}
function wrap(err, doing, databaseUrl) {
    if (err instanceof MigrationRunnerError)
        return err;
    return new MigrationRunnerError(`${doing}: ${safeMessage(err, databaseUrl)}`);
}

// EXTERNAL MODULE: ../migrate/window.ts
var migrate_window = __webpack_require__(2197);
// EXTERNAL MODULE: ../util/shell.ts
var shell = __webpack_require__(1162);
;// CONCATENATED MODULE: ../stages/migrate.ts










const ALLOW_HINT = 'Use the safe alternative shown for each finding, or accept a statement deliberately with `-- safe-deploy: allow <rule>` on the line before it.';
async function runMigrate(m, o) {
    const files = m.migrationsDir
        ? await readMigrations(external_node_path_default().resolve(o.workDir, m.migrationsDir), o.workDir)
        : [];
    const r = {
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
    let pending = files;
    if (useDatabase && files.length > 0) {
        const plan = await planMigrations(files, { databaseUrl: m.databaseUrl, table: m.migrationsTable });
        r.basis = `not yet recorded in ${m.migrationsTable}`;
        const changed = plan.checksumMismatch[0];
        if (changed) {
            return fail(r, `migration ${changed.name} was changed after it was applied (sha256 ${changed.expected.slice(0, 12)}… → ${changed.actual.slice(0, 12)}…)`, 'Restore the applied file as it was and put the change in a new migration.');
        }
        if (plan.unknownApplied.length > 0)
            return holdBack(r, plan.unknownApplied, o.log);
        pending = plan.pending;
    }
    else if (files.length > 0) {
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
        const open = (0,migrate_window/* isInWindow */.oe)(m.migrationWindow, now);
        r.window = { text: m.migrationWindow.text, open, lockingFindings: locking };
        if (!open)
            r.window.nextStart = (0,migrate_window/* nextWindowStart */.G0)(m.migrationWindow, now).toISOString();
        if (locking > 0 && !open && o.mayDeploy && !o.dryRun && blocking.length === 0) {
            return fail(r, `${locking} lock-taking statement(s) may only run inside migration-window (${m.migrationWindow.text}); the next window opens ${formatUtc(r.window.nextStart)}`, 'Re-run this workflow inside the window, or rewrite the statements with their safe alternatives.');
        }
    }
    if (blocking.length > 0) {
        return fail(r, `${blocking.length} finding(s) in pending migrations block the deploy (migration-lint: error)`, ALLOW_HINT);
    }
    // 4. Apply, or say why not.
    if (!o.mayDeploy) {
        return done(r, 'lint-only', `linted ${pending.length} pending migration(s); applied nothing: ${o.notDeployingBecause ?? 'this run does not deploy'}`);
    }
    if (o.dryRun) {
        return done(r, 'dry-run', pending.length ? `would apply ${pending.length}: ${r.pending.join(', ')}` : 'nothing to apply');
    }
    if (m.migrateCommand)
        return runOwnCommand(m, o, r);
    if (!m.databaseUrl || files.length === 0) {
        return done(r, 'lint-only', m.databaseUrl
            ? 'no migration files found'
            : `linted ${pending.length} migration(s); no database-url, so nothing applied`);
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
        return fail(r, run.failed.error, `The database is exactly as it was before ${run.failed.name}.${kept} Fix the migration (or wait for the lock holder) and re-run; the previous app version keeps serving.`);
    }
    if (run.unknownApplied.length > 0)
        return holdBack(r, run.unknownApplied, o.log);
    return done(r, 'applied', run.applied.length
        ? `applied ${run.applied.length}: ${run.applied.map((a) => a.name).join(', ')}`
        : 'database already up to date');
}
async function runOwnCommand(m, o, r) {
    const env = m.databaseUrl ? { DATABASE_URL: m.databaseUrl } : {};
    let exitCode;
    if (m.migrateInImage) {
        o.log.info(`Running migrate-command inside ${o.image}…`);
        const res = o.inImage
            ? await o.inImage(o.image, m.migrateCommand, env, o.log.info)
            : await runInImage(o.docker ?? new (docker_default())(), o.image, m.migrateCommand, env, o.log.info);
        exitCode = res.exitCode;
        r.commandTail = res.tail;
    }
    else {
        o.log.info('Running migrate-command…');
        const res = await (0,shell/* runShell */.E)(m.migrateCommand, { cwd: o.workDir, env });
        exitCode = res.exitCode;
        r.commandTail = res.tail;
    }
    if (exitCode !== 0) {
        return fail(r, `migrate-command exited with code ${exitCode}; deploy blocked`, 'Read the command output below; the previous app version keeps serving. Fix and re-run.');
    }
    return done(r, 'command', `migrate-command succeeded${m.migrateInImage ? ' (inside the new image)' : ''}`);
}
function holdBack(r, newer, log) {
    r.newerInDatabase = newer.map((n) => ({
        name: n.name,
        appliedAt: n.appliedAt.toISOString(),
        backwardCompatible: n.backwardCompatible,
    }));
    const unsafe = newer.filter((n) => n.backwardCompatible === false).length;
    log.info(`The database is ahead of this commit: ${newer.map((n) => n.name).join(', ')} stay applied.`);
    const note = unsafe ? `; ${unsafe} of them did not pass lint as backward compatible` : '';
    return done(r, 'held-back', `database is ahead of this commit (a rollback): applied nothing; ${newer.length} newer migration(s) stay${note}`);
}
function done(r, mode, detail) {
    return Object.assign(r, { status: 'passed', mode, detail });
}
function fail(r, detail, hint) {
    return Object.assign(r, { status: 'failed', detail, hint });
}
function formatUtc(iso) {
    return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}


/***/ }),

/***/ 1162:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ runShell)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3032);

/**
 * Runs a user command the way a workflow `run:` step does (bash, errexit + pipefail), streaming its
 * output to the log. Values reach the command only through `env`, never spliced into its text.
 */
async function runShell(command, opts) {
    const tail = [];
    const keep = opts.tailLines ?? 30;
    const remember = (line) => {
        tail.push(line);
        if (tail.length > keep)
            tail.shift();
    };
    const exitCode = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .exec */ .m)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        ignoreReturnCode: true,
        listeners: { stdline: remember, errline: remember },
    });
    return { exitCode, tail };
}


/***/ }),

/***/ 1214:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


// Stands in for `@grpc/grpc-js` in the bundle only (src/lazy/tsconfig.json maps the name here):
// dockerode requires it when it loads, for its own BuildKit session, which the action never uses;
// our session (src/build/session.ts) loads the real module on first use. Its path below is not
// the mapped name, so it reaches the real one.
let real;
module.exports = new Proxy(
  {},
  { get: (_, key) => (real ??= __webpack_require__(4885))[key] },
);


/***/ }),

/***/ 8972:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


// Stands in for `@grpc/proto-loader` in the bundle only (src/lazy/tsconfig.json maps the name here):
// dockerode requires it when it loads, for its own BuildKit session, which the action never uses.
let real;
module.exports = new Proxy(
  {},
  { get: (_, key) => (real ??= __webpack_require__(4133))[key] },
);


/***/ }),

/***/ 2314:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


// Stands in for `ssh2` in the bundle only (src/lazy/tsconfig.json maps the name here): docker-modem
// requires it when it loads, for ssh:// engines, which most runs never use. The real module loads
// on first use instead. Its path below is not the mapped name, so it reaches the real one.
let real;
const load = () => (real ??= __webpack_require__(972));
// docker-modem takes `require('ssh2').Client` at load time: a constructor that builds the real one.
function Client(...args) {
  return new (load().Client)(...args);
}
module.exports = new Proxy({ Client }, { get: (own, key) => (key === 'Client' ? Client : load()[key]) });


/***/ })

};
;