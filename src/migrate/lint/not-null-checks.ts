/**
 * CHECK constraints that prove a column NOT NULL (`CHECK (col IS NOT NULL)`), per table, and
 * whether each is validated yet. PostgreSQL 12+ skips SET NOT NULL's full-table scan when a valid
 * such CHECK exists, so `set-not-null` stays silent then. Carried from one migration to the next:
 * the safe sequence puts ADD … NOT VALID and VALIDATE in different files.
 */
interface Check {
  columns: string[];
  valid: boolean;
}

export class NotNullChecks {
  private readonly tables = new Map<string, Map<string, Check>>();

  add(table: string, name: string, columns: string[], valid: boolean): void {
    let checks = this.tables.get(table);
    if (!checks) this.tables.set(table, (checks = new Map()));
    checks.set(name, { columns, valid });
  }

  validate(table: string, name: string): void {
    const check = this.tables.get(table)?.get(name);
    if (check) check.valid = true;
  }

  drop(table: string, name: string): void {
    this.tables.get(table)?.delete(name);
  }

  hasValid(table: string, column: string): boolean {
    for (const check of this.tables.get(table)?.values() ?? [])
      if (check.valid && check.columns.includes(column)) return true;
    return false;
  }

  /** Forget a table's checks (CREATE TABLE starts from scratch; DROP TABLE ends it). */
  resetTable(table: string): void {
    this.tables.delete(table);
  }

  renameColumn(table: string, from: string, to: string): void {
    for (const check of this.tables.get(table)?.values() ?? [])
      check.columns = check.columns.map((c) => (c === from ? to : c));
  }

  renameTable(from: string, to: string): void {
    const checks = this.tables.get(from);
    this.tables.delete(from);
    this.tables.delete(to);
    if (checks) this.tables.set(to, checks);
  }
}
