import type {
  AlterDomainStmt,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  DropStmt,
  Node,
  RangeVar,
  ReindexStmt,
} from 'libpg-query';
import {
  calledFunctions,
  colType,
  notNullColumns,
  optionOn,
  qualifiedKey,
  rangeVarKey,
  strings,
} from './ast';
import { ColumnTypes, isBinaryCoercible } from './column-types';
import { NotNullChecks } from './not-null-checks';
import type { RuleId } from './rules';
import { isKnownNonVolatile } from './volatility';

/** A rule a statement breaks; `newTable` when it targets a table created earlier in the file. */
export interface Hit {
  rule: RuleId;
  newTable: boolean;
}

/**
 * What earlier migrations established, carried through a directory linted in order: column types
 * (for alter-column-type) and NOT NULL checks (for set-not-null).
 */
export class Knowledge {
  readonly columns = new ColumnTypes();
  readonly checks = new NotNullChecks();

  resetTable(table: string): void {
    this.columns.resetTable(table);
    this.checks.resetTable(table);
  }
}

/** What earlier statements of the file established. */
export class FileState {
  readonly newTables = new Set<string>();
  /** Indexes created (in this file) on tables created in this file. */
  readonly newIndexes = new Set<string>();
  /** `table\0constraint` for constraints this file added NOT VALID: validating them here is too soon. */
  readonly notValidHere = new Set<string>();
  inTransaction = false;
  /**
   * @param viewsCreated views the whole file creates: a table renamed to make room for a view of
   *   its old name stays readable and writable (simple views are updatable) within one transaction.
   */
  constructor(
    readonly known: Knowledge,
    readonly viewsCreated: ReadonlySet<string> = new Set(),
  ) {}
}

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
  if ('DropdbStmt' in node) return [hit('drop-database')];
  if ('AlterDomainStmt' in node) return checkAlterDomain(node.AlterDomainStmt);
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
      if (st.newTables.has(key)) st.newTables.add(to);
      if (st.viewsCreated.has(key)) return [];
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
  st.known.resetTable(key);
  return key;
}

function checkCreateTable(s: CreateStmt, st: FileState): Hit[] {
  const key = createdTable(s.relation, st);
  const hits: Hit[] = [];
  for (const elt of s.tableElts ?? []) {
    if ('Constraint' in elt) {
      recordCheck(elt.Constraint, key, st);
      continue;
    }
    if (!('ColumnDef' in elt)) continue;
    const col = elt.ColumnDef;
    for (const c of col.constraints ?? []) if ('Constraint' in c) recordCheck(c.Constraint, key, st);
    const type = colType(col.typeName);
    if (col.colname) st.known.columns.set(key, col.colname, type);
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
      for (const parts of objects) st.known.resetTable(qualifiedKey(parts));
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
  // REINDEX SYSTEM has no CONCURRENTLY form (system catalogs cannot be reindexed concurrently).
  if (s.kind === 'REINDEX_OBJECT_SYSTEM') return [];
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
        // PostgreSQL 12+ proves NOT NULL from a valid CHECK (col IS NOT NULL) and skips the scan.
        if (!st.known.checks.hasValid(key, cmd.name ?? '')) add('set-not-null');
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
        if (st.notValidHere.has(`${key}\0${cmd.name ?? ''}`)) add('validate-in-same-migration');
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
          if (st.inTransaction) add('concurrently-in-transaction');
        } else add('detach-partition-non-concurrent');
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
function recordCheck(c: Constraint, table: string, st: FileState): void {
  if (!c.conname) return;
  const columns = c.contype === 'CONSTR_CHECK' ? notNullColumns(c.raw_expr) : [];
  st.known.checks.add(table, c.conname, columns, !c.skip_validation);
}

function checkAlterDomain(s: AlterDomainStmt): Hit[] {
  // 'C': ADD CONSTRAINT. NOT VALID skips the check of existing values (CHECK only).
  if (s.subtype !== 'C' || !s.def || !('Constraint' in s.def)) return [];
  return s.def.Constraint.skip_validation ? [] : [hit('alter-domain-add-constraint')];
}

function addColumn(col: ColumnDef, table: string, st: FileState, add: (rule: RuleId) => void): void {
  const type = colType(col.typeName);
  if (col.colname) st.known.columns.set(table, col.colname, type);
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
        if (calledFunctions(c.raw_expr).some((f) => !isKnownNonVolatile(f)))
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
        recordCheck(c, table, st);
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
  const from = st.known.columns.get(table, column);
  // USING always rewrites: PostgreSQL evaluates the expression for every row.
  if (col.raw_default !== undefined || !from || !isBinaryCoercible(from, to)) add('alter-column-type');
  if (to.name === 'json') add('json-column');
  st.known.columns.set(table, column, to);
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
