import type { TestCaseFailure } from '../../src/gate/junit';
import { applyQuarantine } from '../../src/gate/quarantine';

const failure = (name: string, classname?: string): TestCaseFailure => ({
  name,
  ...(classname === undefined ? {} : { classname }),
  message: 'boom',
  reportFile: 'junit.xml',
});

// One of each shape the parsers produce.
const jestCase = failure('cart applies a discount code', 'cart applies a discount code'); // jest-junit
const jestDescribe = failure('applies a discount code', 'cart'); // jest-junit with a custom titleTemplate
const surefire = failure('roundsHalfEven', 'com.acme.billing.InvoiceTest');
const pytest = failure('test_refund_over_limit', 'tests.test_orders');
const bare = failure('standalone');
const all = [jestCase, jestDescribe, surefire, pytest, bare];

const names = (list: TestCaseFailure[]) => list.map((f) => f.name);

describe('applyQuarantine', () => {
  it('quarantines nothing with an empty list', () => {
    expect(applyQuarantine(all, [])).toEqual({ blocking: all, quarantined: [] });
  });

  it('matches on the bare test name', () => {
    const { blocking, quarantined } = applyQuarantine(all, ['roundsHalfEven', 'standalone']);
    expect(names(quarantined)).toEqual(['roundsHalfEven', 'standalone']);
    expect(names(blocking)).toEqual([
      'cart applies a discount code',
      'applies a discount code',
      'test_refund_over_limit',
    ]);
  });

  it('matches the jest-junit full title both as a name and as classname + space + name', () => {
    const { blocking, quarantined } = applyQuarantine(all, ['cart applies a discount code']);
    expect(quarantined).toEqual([jestCase, jestDescribe]);
    expect(blocking).toEqual([surefire, pytest, bare]);
  });

  it.each([
    ['classname + space', 'cart applies a discount code'],
    ['classname + dot', 'cart.applies a discount code'],
    ['classname › name (jest console)', 'cart › applies a discount code'],
  ])('matches %s', (_label, entry) => {
    const { blocking, quarantined } = applyQuarantine([jestDescribe, surefire], [entry]);
    expect(quarantined).toEqual([jestDescribe]);
    expect(blocking).toEqual([surefire]);
  });

  it('matches the JUnit and pytest dotted forms', () => {
    const { blocking, quarantined } = applyQuarantine(all, [
      'com.acme.billing.InvoiceTest.roundsHalfEven',
      'tests.test_orders.test_refund_over_limit',
    ]);
    expect(quarantined).toEqual([surefire, pytest]);
    expect(blocking).toEqual([jestCase, jestDescribe, bare]);
  });

  it('trims entries and ignores blank ones', () => {
    const { quarantined } = applyQuarantine(all, ['  roundsHalfEven\t', '', '   ']);
    expect(quarantined).toEqual([surefire]);
  });

  it('is exact and case-sensitive: no prefixes, globs or other separators', () => {
    const { blocking, quarantined } = applyQuarantine(all, [
      'RoundsHalfEven',
      'com.acme.billing.InvoiceTest', // a whole class is not quarantined by its name
      'com.acme.billing.*',
      'tests.test_orders::test_refund_over_limit',
      'standalone ', // trimmed: still matches
      '.standalone', // no classname, so only the bare name matches
    ]);
    expect(quarantined).toEqual([bare]);
    expect(blocking).toEqual([jestCase, jestDescribe, surefire, pytest]);
  });

  it('quarantines every failure of a test that failed in several reports', () => {
    const again = { ...surefire, reportFile: 'other.xml' };
    const { blocking, quarantined } = applyQuarantine([surefire, again], ['roundsHalfEven']);
    expect(quarantined).toEqual([surefire, again]);
    expect(blocking).toEqual([]);
  });
});
