import type { TestCaseFailure } from './junit';

/**
 * Splits failures into those that block the gate and those on the quarantine list (known-flaky
 * tests that are reported but do not block).
 *
 * An entry matches a failure when, after trimming both sides, it equals exactly (case-sensitive,
 * no globs, so an entry can never quarantine more than the author meant) one of:
 *   - `name`                       jest-junit already puts "describe title" in name
 *   - `classname + ' ' + name`
 *   - `classname + '.' + name`     JUnit/surefire and pytest style: com.acme.FooTest.testBar
 *   - `classname + ' › ' + name`   how jest prints a test in its console output
 * Blank entries are ignored.
 */
export function applyQuarantine(
  failures: TestCaseFailure[],
  quarantine: string[],
): { blocking: TestCaseFailure[]; quarantined: TestCaseFailure[] } {
  const entries = new Set(quarantine.map((e) => e.trim()).filter((e) => e !== ''));
  const blocking: TestCaseFailure[] = [];
  const quarantined: TestCaseFailure[] = [];
  for (const f of failures) {
    const matched = idsOf(f).some((id) => entries.has(id));
    (matched ? quarantined : blocking).push(f);
  }
  return { blocking, quarantined };
}

/** The names a quarantine entry may use for this failure. */
function idsOf(f: TestCaseFailure): string[] {
  const name = f.name.trim();
  const cls = f.classname?.trim();
  if (!cls) return [name];
  return [name, `${cls} ${name}`, `${cls}.${name}`, `${cls} › ${name}`];
}
