import { isInWindow, nextWindowStart, parseWindow, WindowError } from '../../src/migrate/window';

const at = (iso: string) => new Date(iso);

describe('migration-window', () => {
  const weekend = parseWindow('Sat,Sun 02:00-05:00 UTC');
  // 2026-11-21 is a Saturday.
  test('inside and outside a simple window', () => {
    expect(isInWindow(weekend, at('2026-11-21T03:00:00Z'))).toBe(true);
    expect(isInWindow(weekend, at('2026-11-21T05:00:00Z'))).toBe(false);
    expect(isInWindow(weekend, at('2026-11-23T03:00:00Z'))).toBe(false); // Monday
  });

  test('the next window start is named', () => {
    expect(nextWindowStart(weekend, at('2026-11-23T10:15:30Z')).toISOString()).toBe(
      '2026-11-28T02:00:00.000Z',
    );
    expect(nextWindowStart(weekend, at('2026-11-21T06:00:00Z')).toISOString()).toBe(
      '2026-11-22T02:00:00.000Z',
    );
  });

  test('a window across midnight belongs to the day it starts', () => {
    const nights = parseWindow('Mon-Fri 22:00-06:00 UTC');
    expect(isInWindow(nights, at('2026-11-23T23:30:00Z'))).toBe(true); // Mon night
    expect(isInWindow(nights, at('2026-11-28T05:59:00Z'))).toBe(true); // Sat early = Fri night
    expect(isInWindow(nights, at('2026-11-29T05:00:00Z'))).toBe(false); // Sun early = Sat night
    expect(isInWindow(nights, at('2026-11-23T12:00:00Z'))).toBe(false);
  });

  test('fixed offsets shift the window', () => {
    const w = parseWindow('Mon 02:00-03:00 +02:00');
    expect(isInWindow(w, at('2026-11-23T00:30:00Z'))).toBe(true);
    expect(isInWindow(w, at('2026-11-23T02:30:00Z'))).toBe(false);
  });

  test('several windows', () => {
    const w = parseWindow('Sat 02:00-03:00 UTC; Wed 12:00-13:00 UTC');
    expect(nextWindowStart(w, at('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-25T12:00:00.000Z');
  });

  test.each([
    'weekends',
    'Sat 25:00-26:00 UTC',
    'Sat 02:00-02:00 UTC',
    'Funday 01:00-02:00 UTC',
    'Sat 02:00-03:00 CEST',
  ])('%s is rejected', (raw) => expect(() => parseWindow(raw)).toThrow(WindowError));
});
