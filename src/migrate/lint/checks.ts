import type {
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  DropStmt,
  Node,
  RangeVar,
  ReindexStmt,
} from 'libpg-query';
import { calledFunctions, colType, optionOn, qualifiedKey, rangeVarKey, strings } from './ast';
import { ColumnTypes, isBinaryCoercible } from './column-types';
import type { RuleId } from './rules';

/** A rule a statement breaks; `newTable` when it targets a table created earlier in the file. */
export interface Hit {
  rule: RuleId;
  newTable: boolean;
}

/** What earlier statements of the file established. */
export class FileState {
  readonly newTables = new Set<string>();
  /** Indexes created (in this file) on tables created in this file. */
  readonly newIndexes = new Set<string>();
  inTransaction = false;
  constructor(readonly columns: ColumnTypes) {}
}

/**
 * Functions whose result differs per row, so a DEFAULT using them cannot be stored once in the
 * catalogue (PostgreSQL 11's fast default) and every row is rewritten. now(), current_timestamp
 * and friends are STABLE and fine. User-defined functions are not known here and pass.
 */
const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'currval',
  'setval',
  'txid_current',
  'pg_current_xact_id',
  'gen_random_bytes',
  'gen_salt',
]);

const SERIAL_TYPES: ReadonlySet<string> = new Set([
  'serial',
  'serial2',
  'serial4',
  'serial8',
  'smallserial',
  'bigserial',
]);

export function checkStatement(node: Node, st: FileState): Hit[] {
  if ('IndexStmt' in node) {
    const s = node.IndexStmt;
    const key = rangeVarKey(s.relation);
    const isNew = st.newTables.has(key);
    if (isNew && s.idxname) st.newIndexes.add(s.idxname);
    if (s.concurrent) return st.inTransaction ? [hit('concurrently-in-transaction')] : [];
    return [hit('create-index-non-concurrent', isNew)];
  }
  if ('DropStmt' in node) return checkDrop(node.DropStmt, st);
  if ('ReindexStmt' in node) return checkReindex(node.ReindexStmt, st);
  if ('AlterTableStmt' in node) return checkAlterTable(node.AlterTableStmt, st);
  if ('CreateStmt' in node) return checkCreateTable(node.CreateStmt, st);
  if ('CreateTableAsStmt' in node) {
    createdTable(node.CreateTableAsStmt.into?.rel, st);
    return [];
  }
  if ('SelectStmt' in node) {
    if (node.SelectStmt.intoClause) createdTable(node.SelectStmt.intoClause.rel, st);
    return [];
  }
  if ('TransactionStmt' in node) {
    const kind = node.TransactionStmt.kind;
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') st.inTransaction = true;
    if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') {
      st.inTransaction = false;
    }
    return [];
  }
  if ('VacuumStmt' in node) {
    const s = node.VacuumStmt;
    if (!s.is_vacuumcmd || !optionOn(s.options, 'full')) return [];
    const rels = (s.rels ?? []).map((r) =>
      'VacuumRelation' in r ? rangeVarKey(r.VacuumRelation.relation) : '',
    );
    return [hit('vacuum-full', rels.length > 0 && rels.every((k) => st.newTables.has(k)))];
  }
  if ('ClusterStmt' in node) {
    const rel = node.ClusterStmt.relation;
    return [hit('cluster', rel !== undefined && st.newTables.has(rangeVarKey(rel)))];
  }
  if ('TruncateStmt' in node) return [hit('truncate')];
  if ('RenameStmt' in node) {
    const s = node.RenameStmt;
    const key = rangeVarKey(s.relation);
    if (s.renameType === 'OBJECT_COLUMN' && s.relationType === 'OBJECT_TABLE') {
      st.columns.renameColumn(key, s.subname ?? '', s.newname ?? '');
      return [hit('rename-column', st.newTables.has(key))];
    }
    if (s.renameType === 'OBJECT_TABLE') {
      const to = rangeVarKey({ schemaname: s.relation?.schemaname, relname: s.newname });
      st.columns.renameTable(key, to);
      if (st.newTables.has(key)) st.newTables.add(to);
      return [hit('rename-table', st.newTables.has(key))];
    }
  }
  return [];
}

function hit(rule: RuleId, newTable = false): Hit {
  return { rule, newTable };
}

function createdTable(rel: RangeVar | undefined, st: FileState): string {
  const key = rangeVarKey(rel);
  st.newTables.add(key);
  st.columns.resetTable(key);
  return key;
}

function checkCreateTable(s: CreateStmt, st: FileState): Hit[] {
  const key = createdTable(s.relation, st);
  const hits: Hit[] = [];
  for (const elt of s.tableElts ?? []) {
    if (!('ColumnDef' in elt)) continue;
    const col = elt.ColumnDef;
    const type = colType(col.typeName);
    if (col.colname) st.columns.set(key, col.colname, type);
    if (type.name === 'json') hits.push(hit('json-column', true));
  }
  return hits;
}

function checkDrop(s: DropStmt, st: FileState): Hit[] {
  const objects = (s.objects ?? []).map((o) => ('List' in o ? strings(o.List.items) : strings([o])));
  switch (s.removeType) {
    case 'OBJECT_INDEX': {
      if (s.concurrent) return st.inTransaction ? [hit('concurrently-in-transaction')] : [];
      const allNew = objects.every((parts) => st.newIndexes.has(parts[parts.length - 1] ?? ''));
      return [hit('drop-index-non-concurrent', allNew)];
    }
    case 'OBJECT_TABLE':
      for (const parts of objects) st.columns.resetTable(qualifiedKey(parts));
      return [
        hit(
          'drop-table',
          objects.every((parts) => st.newTables.has(qualifiedKey(parts))),
        ),
      ];
    case 'OBJECT_SCHEMA':
      return [hit('drop-schema')];
    default:
      return [];
  }
}

function checkReindex(s: ReindexStmt, st: FileState): Hit[] {
  if (optionOn(s.params, 'concurrently')) return st.inTransaction ? [hit('concurrently-in-transaction')] : [];
  const isNew =
    (s.kind === 'REINDEX_OBJECT_TABLE' && st.newTables.has(rangeVarKey(s.relation))) ||
    (s.kind === 'REINDEX_OBJECT_INDEX' && st.newIndexes.has(s.relation?.relname ?? ''));
  return [hit('reindex-non-concurrent', isNew)];
}

function checkAlterTable(s: AlterTableStmt, st: FileState): Hit[] {
  if (s.objtype !== 'OBJECT_TABLE') return [];
  const key = rangeVarKey(s.relation);
  const isNew = st.newTables.has(key);
  const hits: Hit[] = [];
  const add = (rule: RuleId): void => {
    hits.push(hit(rule, isNew));
  };
  for (const c of s.cmds ?? []) {
    if (!('AlterTableCmd' in c)) continue;
    const cmd = c.AlterTableCmd;
    const def = cmd.def;
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        if (def && 'ColumnDef' in def) addColumn(def.ColumnDef, key, st, add);
        break;
      case 'AT_AlterColumnType':
        if (def && 'ColumnDef' in def) alterType(def.ColumnDef, key, cmd.name ?? '', st, add);
        break;
      case 'AT_SetNotNull':
        add('set-not-null');
        break;
      case 'AT_AddConstraint':
        if (def && 'Constraint' in def) addConstraint(def.Constraint, add);
        break;
      case 'AT_DropColumn':
        st.columns.dropColumn(key, cmd.name ?? '');
        add('drop-column');
        break;
      case 'AT_DetachPartition':
        if (def && 'PartitionCmd' in def && def.PartitionCmd.concurrent && st.inTransaction) {
          add('concurrently-in-transaction');
        }
        break;
      default:
        break;
    }
  }
  return hits;
}

function addColumn(col: ColumnDef, table: string, st: FileState, add: (rule: RuleId) => void): void {
  const type = colType(col.typeName);
  if (col.colname) st.columns.set(table, col.colname, type);
  if (type.name === 'json') add('json-column');
  const serial = SERIAL_TYPES.has(type.name) && !type.array;
  if (serial) add('add-column-serial');
  let providesValue = serial;
  let notNull = false;
  for (const n of col.constraints ?? []) {
    if (!('Constraint' in n)) continue;
    const c = n.Constraint;
    switch (c.contype) {
      case 'CONSTR_DEFAULT':
        providesValue = true;
        if (calledFunctions(c.raw_expr).some((f) => VOLATILE_FUNCTIONS.has(f)))
          add('add-column-volatile-default');
        break;
      case 'CONSTR_GENERATED':
        providesValue = true;
        // PostgreSQL 18 virtual generated columns are computed on read: nothing is rewritten.
        if (c.generated_kind !== 'v') add('add-column-stored-generated');
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
    }
  }
  if (notNull && !providesValue) add('add-column-not-null-without-default');
}

function alterType(
  col: ColumnDef,
  table: string,
  column: string,
  st: FileState,
  add: (rule: RuleId) => void,
): void {
  const to = colType(col.typeName);
  const from = st.columns.get(table, column);
  // USING always rewrites: PostgreSQL evaluates the expression for every row.
  if (col.raw_default !== undefined || !from || !isBinaryCoercible(from, to)) add('alter-column-type');
  if (to.name === 'json') add('json-column');
  st.columns.set(table, column, to);
}

function addConstraint(c: Constraint, add: (rule: RuleId) => void): void {
  switch (c.contype) {
    case 'CONSTR_CHECK':
      if (!c.skip_validation) add('add-check-without-not-valid');
      break;
    case 'CONSTR_FOREIGN':
      if (!c.skip_validation) add('add-foreign-key-without-not-valid');
      break;
    case 'CONSTR_UNIQUE':
      if (!c.indexname) add('add-unique-without-using-index');
      break;
    case 'CONSTR_PRIMARY':
      if (!c.indexname) add('add-primary-key-without-using-index');
      break;
    case 'CONSTR_NOTNULL':
      // PostgreSQL 18: ADD CONSTRAINT … NOT NULL col scans like SET NOT NULL unless NOT VALID.
      if (!c.skip_validation) add('set-not-null');
      break;
    default:
      break;
  }
}
