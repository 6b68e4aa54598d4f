import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeStatus } from '../../src/build/buildkit-proto';
import { BuildProgress } from '../../src/build/progress';

// Fed with records the engine wrote (see __tests__/fixtures/buildkit/README.md).
function replay(name: string): { lines: string[]; progress: BuildProgress } {
  const progress = new BuildProgress();
  const lines: string[] = [];
  const file = fileURLToPath(new URL(`../fixtures/buildkit/${name}.jsonl`, import.meta.url));
  for (const raw of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(raw) as { id?: string; aux?: unknown };
    if (e.id === 'moby.buildkit.trace' && typeof e.aux === 'string')
      lines.push(...progress.feed(decodeStatus(e.aux)));
  }
  return { lines, progress };
}

describe('BuildKit progress decoding', () => {
  test.each([
    [
      'ok-first',
      [
        '#3 [2/4] RUN echo "step one x1" && echo "second line"',
        '#3 step one x1',
        '#3 second line',
        '#4 [3/4] COPY a.txt /a.txt',
        "#5 [4/4] RUN printf 'partial ' && sleep 1 && echo 'line done'",
        // A line written in two pieces is joined before it is shown.
        '#5 partial line done',
      ],
    ],
    [
      'ok-partial-cache',
      ['#3 [2/4] RUN echo "step one x1" && echo "second line"', '#3 CACHED', '#5 partial line done'],
    ],
    [
      'fail',
      [
        '#2 fixture-fail: preparing',
        '#2 fixture-fail: something broke',
        '#2 ERROR: executor failed running [/bin/sh -c echo "fixture-fail: preparing" && echo "fixture-fail: something broke" >&2 && exit 3]: exit code: 3',
      ],
    ],
  ])('%s reads as numbered step lines', (name, expected) => {
    const { lines } = replay(name);
    // In this order, possibly with other lines between.
    let at = -1;
    for (const want of expected) {
      const found = lines.indexOf(want, at + 1);
      expect({ want, found: found > at }).toEqual({ want, found: true });
      at = found;
    }
    expect(lines.some((l) => l.includes('[internal]'))).toBe(false);
  });

  test.each([
    ['ok-first', [false, false, false], []],
    ['ok-partial-cache', [true, false, false], []],
    ['cold-import', [true, true, true], ['127.0.0.1:5000/sd-test/h9cap:one']],
    ['fail', [false], []],
  ])('%s: cached steps %j, cache imported from %j', (name, cached, imports) => {
    const report = replay(name).progress.report();
    expect(report.steps.map((s) => s.cached)).toEqual(cached);
    expect(report.steps.every((s) => !/FROM/.test(s.name))).toBe(true);
    expect(report.cacheImports).toEqual(imports);
  });

  test('the failing step and its last output lines are kept; a missing cache ref is not a failure', () => {
    expect(replay('fail').progress.report().failed).toEqual({
      name: '[2/2] RUN echo "fixture-fail: preparing" && echo "fixture-fail: something broke" >&2 && exit 3',
      error:
        'executor failed running [/bin/sh -c echo "fixture-fail: preparing" && echo "fixture-fail: something broke" >&2 && exit 3]: exit code: 3',
      lines: ['fixture-fail: preparing', 'fixture-fail: something broke'],
    });
    expect(replay('cold-import').progress.report().failed).toBeUndefined();
    expect(replay('ok-first').progress.report().failed).toBeUndefined();
  });
});
