import { mergeKnown, ReleaseError, resolveRelease, type Version } from '../../src/deploy/release';
import { versionsFromHistory } from '../../src/github/history';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const v = (sha: string, container?: string): Version => ({
  sha,
  image: `reg/app@sha256:${sha.slice(0, 8)}`,
  container,
});

describe('resolveRelease', () => {
  test('a new commit is not a rollback', () => {
    const r = resolveRelease(
      { kind: 'commit', sha: C, image: 'reg/app@sha256:c' },
      { live: v(B), known: [v(B), v(A)] },
    );
    expect(r).toMatchObject({ isRollback: false, version: { sha: C }, live: { sha: B } });
  });

  test('a commit this environment had, over another live one, is a rollback (and reuses its container)', () => {
    const r = resolveRelease(
      { kind: 'commit', sha: A, image: 'img' },
      { live: v(B, 'app-b-1'), known: [v(B, 'app-b-1'), v(A, 'app-a-1')] },
    );
    expect(r.isRollback).toBe(true);
    expect(r.version.container).toBe('app-a-1');
  });

  test('re-deploying the live commit is not a rollback; nothing live is not a rollback', () => {
    expect(
      resolveRelease({ kind: 'commit', sha: B, image: 'i' }, { live: v(B), known: [v(B), v(A)] }).isRollback,
    ).toBe(false);
    expect(resolveRelease({ kind: 'commit', sha: A, image: 'i' }, { known: [v(A)] }).isRollback).toBe(false);
  });

  test('rollback-to previous takes the newest version that is not live', () => {
    const r = resolveRelease(
      { kind: 'rollback-to', to: 'previous' },
      { live: v(C), known: [v(C), v(B), v(A)] },
    );
    expect(r.version.sha).toBe(B);
    expect(r.isRollback).toBe(true);
  });

  test('rollback-to previous with no history says so', () => {
    expect(() =>
      resolveRelease({ kind: 'rollback-to', to: 'previous' }, { live: v(C), known: [v(C)] }),
    ).toThrow(ReleaseError);
  });

  test('rollback-to a short SHA finds the known version; an ambiguous one is refused', () => {
    expect(
      resolveRelease({ kind: 'rollback-to', to: 'aaaaaaa' }, { live: v(B), known: [v(B), v(A)] }).version.sha,
    ).toBe(A);
    const twins = [v('abcdef1' + '0'.repeat(33)), v('abcdef1' + '1'.repeat(33))];
    expect(() => resolveRelease({ kind: 'rollback-to', to: 'abcdef1' }, { known: twins })).toThrow(
      /matches several commits/,
    );
  });

  test('rollback-to a full unknown SHA runs <image>:<sha> from the registry; a short one cannot', () => {
    const r = resolveRelease(
      { kind: 'rollback-to', to: C, repository: 'reg/app' },
      { live: v(B), known: [v(B)] },
    );
    expect(r.version).toEqual({ sha: C, image: `reg/app:${C}` });
    expect(() =>
      resolveRelease({ kind: 'rollback-to', to: 'ccccccc', repository: 'reg/app' }, { known: [] }),
    ).toThrow(/full 40-character SHA/);
  });

  test('mergeKnown keeps the first entry per SHA (retained containers before history)', () => {
    expect(mergeKnown([v(B, 'app-b-1')], [v(B), v(A)]).map((x) => [x.sha, x.container])).toEqual([
      [B, 'app-b-1'],
      [A, undefined],
    ]);
  });
});

describe('versionsFromHistory', () => {
  test('live is the newest success; known are the ones that were live', () => {
    const h = versionsFromHistory([
      { id: 4, sha: C, environment: 'p', createdAt: '4', state: 'failure', imageRef: 'c' },
      { id: 3, sha: B, environment: 'p', createdAt: '3', state: 'success', imageRef: 'b' },
      { id: 2, sha: A, environment: 'p', createdAt: '2', state: 'inactive', imageRef: 'a' },
      { id: 1, sha: C, environment: 'p', createdAt: '1', state: 'in_progress' },
    ]);
    expect(h.live).toMatchObject({ sha: B, image: 'b' });
    expect(h.known.map((x) => x.sha)).toEqual([B, A]);
  });
});
