// The runner edge writes at most GitHub's per-step cap of annotations of each level (10), in order,
// so what the gate's summary says was annotated is what the run shows.
import { jest } from '@jest/globals';
import { writeAnnotations } from '../../src/report/write';
import { ANNOTATION_CAP, type Annotation } from '../../src/types';

function written(annotations: Annotation[]): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk).trim());
    return true;
  });
  try {
    writeAnnotations(annotations, '/work/repo', '/work/repo');
  } finally {
    spy.mockRestore();
  }
  return lines;
}

test('at most 10 errors, 10 warnings and 10 notices are written, the first of each', () => {
  const of = (level: Annotation['level'], n: number): Annotation[] =>
    Array.from({ length: n }, (_, i) => ({ level, message: `${level} ${i}`, file: 'a.ts', line: i + 1 }));
  const lines = written([...of('error', 15), ...of('warning', 12), ...of('notice', 3), ...of('error', 2)]);
  expect(ANNOTATION_CAP).toBe(10);
  const errors = lines.filter((l) => l.startsWith('::error'));
  expect(errors).toHaveLength(10);
  expect(errors[0]).toBe('::error file=a.ts,line=1::error 0');
  expect(errors[9]).toBe('::error file=a.ts,line=10::error 9');
  expect(lines.filter((l) => l.startsWith('::warning'))).toHaveLength(10);
  expect(lines.filter((l) => l.startsWith('::notice'))).toHaveLength(3);
});
