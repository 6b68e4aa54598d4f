import type { DefElem, Node, RangeVar, TypeName } from 'libpg-query';

/** Small readers over the libpg-query AST, which is all optional fields and one-key wrapper objects. */

/** The `sval`s of a list of `String` nodes, e.g. a qualified name. */
export function strings(nodes: Node[] | undefined): string[] {
  const out: string[] = [];
  for (const n of nodes ?? []) if ('String' in n) out.push(n.String.sval ?? '');
  return out;
}

/**
 * A table's key for "created in this file" and column-type knowledge. `public` is the default
 * schema, so `public.t` and `t` are the same table; other schemas stay qualified.
 */
export function tableKey(schema: string | undefined, name: string | undefined): string {
  return schema && schema !== 'public' ? `${schema}.${name ?? ''}` : (name ?? '');
}

export function rangeVarKey(rv: RangeVar | undefined): string {
  return tableKey(rv?.schemaname, rv?.relname);
}

/** A qualified-name list (`["s", "t"]`) as a table key. */
export function qualifiedKey(parts: string[]): string {
  return parts.length > 1
    ? tableKey(parts[parts.length - 2], parts[parts.length - 1])
    : tableKey(undefined, parts[0]);
}

export interface ColType {
  /** The type's own name, without `pg_catalog.`: `varchar`, `int4`, `timestamptz`, `serial` … */
  name: string;
  /** Integer type modifiers (`varchar(20)` → [20]); undefined for a non-integer modifier. */
  mods: (number | undefined)[];
  array: boolean;
}

export function colType(tn: TypeName | undefined): ColType {
  const names = strings(tn?.names);
  const mods = (tn?.typmods ?? []).map((m) => {
    if (!('A_Const' in m)) return undefined;
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
export function optionOn(options: Node[] | undefined, name: string): boolean {
  for (const n of options ?? []) {
    if (!('DefElem' in n) || n.DefElem.defname !== name) continue;
    return defElemTrue(n.DefElem);
  }
  return false;
}

function defElemTrue(d: DefElem): boolean {
  const arg = d.arg;
  if (!arg) return true;
  if ('Integer' in arg) return (arg.Integer.ival ?? 0) !== 0;
  if ('Boolean' in arg) return arg.Boolean.boolval === true;
  if ('String' in arg) return !['false', 'off', 'no', '0'].includes((arg.String.sval ?? '').toLowerCase());
  return true;
}

/** A called function's name: `schema` only when the call qualified it. Lower-cased. */
export interface FuncName {
  schema?: string;
  name: string;
}

/** Every function called anywhere inside an expression tree. */
export function calledFunctions(expr: unknown, out: FuncName[] = []): FuncName[] {
  if (Array.isArray(expr)) {
    for (const e of expr) calledFunctions(e, out);
  } else if (expr !== null && typeof expr === 'object') {
    for (const [key, value] of Object.entries(expr)) {
      if (key === 'FuncCall') {
        const parts = strings((value as { funcname?: Node[] }).funcname).map((p) => p.toLowerCase());
        const name = parts.pop();
        if (name) out.push(parts.length > 0 ? { schema: parts[parts.length - 1], name } : { name });
      }
      calledFunctions(value, out);
    }
  }
  return out;
}

/** Columns a CHECK expression proves NOT NULL: `col IS NOT NULL`, alone or as a top-level AND term. */
export function notNullColumns(expr: Node | undefined): string[] {
  if (!expr) return [];
  if ('BoolExpr' in expr && expr.BoolExpr.boolop === 'AND_EXPR')
    return (expr.BoolExpr.args ?? []).flatMap((a) => notNullColumns(a));
  if ('NullTest' in expr && expr.NullTest.nulltesttype === 'IS_NOT_NULL') {
    const arg = expr.NullTest.arg;
    if (arg && 'ColumnRef' in arg) {
      const fields = strings(arg.ColumnRef.fields);
      const col = fields[fields.length - 1];
      if (col && fields.length === (arg.ColumnRef.fields ?? []).length) return [col];
    }
  }
  return [];
}
