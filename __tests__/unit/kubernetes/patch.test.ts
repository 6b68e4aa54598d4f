import { failedMarkPatch, imagePatch, undoPatch } from '../../../src/deploy/kubernetes/patch';
import { deployment, replicaSet } from './fixtures';

const meta = {
  sha: 'b'.repeat(40),
  image: `r:5000/web@sha256:${'c'.repeat(64)}`,
  runUrl: 'https://github.com/acme/web/actions/runs/9',
  deployedAt: '2026-12-03T15:00:00.000Z',
  cause: 'safe-deploy: bbbbbbb',
};

test.each([
  [
    'with a run URL',
    meta,
    {
      'dev.safe-deploy/sha': meta.sha,
      'dev.safe-deploy/image-ref': meta.image,
      'dev.safe-deploy/run-url': meta.runUrl,
      'dev.safe-deploy/deployed-at': meta.deployedAt,
      'kubernetes.io/change-cause': 'safe-deploy: bbbbbbb',
    },
  ],
  [
    'without one',
    { ...meta, runUrl: undefined },
    {
      'dev.safe-deploy/sha': meta.sha,
      'dev.safe-deploy/image-ref': meta.image,
      'dev.safe-deploy/deployed-at': meta.deployedAt,
      'kubernetes.io/change-cause': 'safe-deploy: bbbbbbb',
    },
  ],
])('imagePatch %s: one container by name, image by digest, annotations', (_n, m, annotations) => {
  expect(imagePatch('api', m)).toEqual({
    metadata: { annotations },
    spec: { template: { spec: { containers: [{ name: 'api', image: meta.image }] } } },
  });
});

test('undoPatch restores the old template without pod-template-hash, and its annotations', () => {
  const d = deployment({
    annotations: {
      'dev.safe-deploy/sha': 'new',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '5',
    },
  });
  const rs = replicaSet(
    'web-abc12',
    3,
    { 'dev.safe-deploy/sha': 'old', 'kubernetes.io/change-cause': 'safe-deploy: old' },
    'r:5000/web@sha256:1',
  );
  const ops = undoPatch(d, rs);
  expect(ops).toEqual([
    { op: 'test', path: '/metadata/generation', value: 2 },
    {
      op: 'replace',
      path: '/spec/template',
      value: {
        metadata: { labels: { app: 'web' }, annotations: { note: 'kept' } },
        spec: { containers: [{ name: 'web', image: 'r:5000/web@sha256:1' }] },
      },
    },
    {
      op: 'replace',
      path: '/metadata/annotations',
      value: {
        // Controller-owned ones stay as the Deployment has them; the rest come from the ReplicaSet.
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        'deployment.kubernetes.io/revision': '5',
        'dev.safe-deploy/sha': 'old',
        'kubernetes.io/change-cause': 'safe-deploy: old',
      },
    },
  ]);
  // The ReplicaSet itself is untouched (its hash label is how the controller finds it again).
  expect(rs.spec?.template?.metadata?.labels?.['pod-template-hash']).toBe('abc12');
});

test('undoPatch never carries the failed mark of a ReplicaSet onto the Deployment', () => {
  const rs = replicaSet(
    'web-abc12',
    3,
    { 'dev.safe-deploy/sha': 'old', 'dev.safe-deploy/rollout-failed': 'x' },
    'i',
  );
  const annotations = undoPatch(deployment(), rs).find((o) => o.path === '/metadata/annotations')?.value;
  expect(annotations).toEqual({ 'deployment.kubernetes.io/revision': '2', 'dev.safe-deploy/sha': 'old' });
});

test.each([
  [
    'mark',
    'rollout-timeout passed',
    { metadata: { annotations: { 'dev.safe-deploy/rollout-failed': 'rollout-timeout passed' } } },
  ],
  [
    'unmark (merge patch null deletes)',
    null,
    { metadata: { annotations: { 'dev.safe-deploy/rollout-failed': null } } },
  ],
])('failedMarkPatch: %s', (_n, why, want) => {
  expect(failedMarkPatch(why)).toEqual(want);
});
