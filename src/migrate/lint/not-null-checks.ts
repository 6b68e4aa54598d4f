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
  /** Constraints validated without their ADD in sight (added by hand, or in a squashed history). */
  private readonly unseen = new Map<string, Set<string>>();

  add(table: string, name: string, columns: string[], valid: boolean): void {
    let checks = this.tables.get(table);
    if (!checks) this.tables.set(table, (checks = new Map()));
    checks.set(name, { columns, valid });
  }

  validate(table: string, name: string): void {
    const check = this.tables.get(table)?.get(name);
    if (check) check.valid = true;
    else {
      let names = this.unseen.get(table);
      if (!names) this.unseen.set(table, (names = new Set()));
      names.add(name);
    }
  }

  drop(table: string, name: string): void {
    this.tables.get(table)?.delete(name);
    this.unseen.get(table)?.delete(name);
  }

  hasValid(table: string, column: string): boolean {
    for (const check of this.tables.get(table)?.values() ?? [])
      if (check.valid && check.columns.includes(column)) return true;
    // A constraint we never saw added, validated right before SET NOT NULL, named after the column
    // and after NOT NULL (`users_email_not_null`, `email_nn`): the documented sequence, split across
    // a history the lint cannot see. Trusted by its name; any other unseen constraint is not.
    for (const name of this.unseen.get(table) ?? []) {
      const tokens = `_${name.toLowerCase()}_`;
      if (tokens.includes(`_${column.toLowerCase()}_`) && /_(not_?null|nn)_/.test(tokens)) return true;
    }
    return false;
  }

  /** Forget a table's checks (CREATE TABLE starts from scratch; DROP TABLE ends it). */
  resetTable(table: string): void {
    this.tables.delete(table);
    this.unseen.delete(table);
  }

  renameColumn(table: string, from: string, to: string): void {
    for (const check of this.tables.get(table)?.values() ?? [])
      check.columns = check.columns.map((c) => (c === from ? to : c));
  }

  renameTable(from: string, to: string): void {
    for (const map of [this.tables, this.unseen] as Map<string, unknown>[]) {
      const entry = map.get(from);
      map.delete(from);
      map.delete(to);
      if (entry) map.set(to, entry);
    }
  }
}
