import type { FuncName } from './ast';
import { NON_VOLATILE_BUILTINS_TEXT } from './builtin-functions';

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

const NON_VOLATILE: ReadonlySet<string> = new Set([
  ...NON_VOLATILE_BUILTINS_TEXT.split(/\s+/).filter(Boolean),
  ...LATER_NON_VOLATILE,
]);

export function isKnownNonVolatile(f: FuncName): boolean {
  // A function qualified with another schema is not the built-in of that name.
  return (f.schema === undefined || f.schema === 'pg_catalog') && NON_VOLATILE.has(f.name);
}
