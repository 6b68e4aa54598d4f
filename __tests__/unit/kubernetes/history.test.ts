import { pickContainer, ContainerChoiceError } from '../../../src/deploy/kubernetes/containers';
import {
  labelSelectorOf,
  liveOf,
  revisionFor,
  revisionsOf,
  versionsOf,
} from '../../../src/deploy/kubernetes/history';
import { deployment, replicaSet } from './fixtures';

test.each([
  ['the only container', ['web'], 'shop', undefined, 'web'],
  ['the one named like app', ['sidecar', 'shop'], 'shop', undefined, 'shop'],
  ['kube-container when given', ['sidecar', 'shop'], 'shop', 'sidecar', 'sidecar'],
])('pickContainer: %s', (_n, containers, app, requested, want) => {
  expect(pickContainer(deployment({ containers }), app, requested)).toBe(want);
});

test.each([
  ['ambiguous', ['a', 'b'], undefined, /2 containers \(a, b\) and none is named "shop": set kube-container/],
  [
    'requested one missing',
    ['a', 'b'],
    'c',
    /kube-container "c" is not a container of deployment\/web in namespace shop \(it has: a, b\)/,
  ],
])('pickContainer refuses: %s', (_n, containers, requested, message) => {
  const f = (): string => pickContainer(deployment({ containers }), 'shop', requested);
  expect(f).toThrow(ContainerChoiceError);
  expect(f).toThrow(message);
});

test.each([
  ['one label', { app: 'web' }, 'app=web'],
  ['several, in their order', { app: 'web', tier: 'front' }, 'app=web,tier=front'],
  ['none: the namespace, owners filter later', undefined, ''],
])('labelSelectorOf: %s', (_n, matchLabels, want) => {
  const d = deployment();
  if (d.spec) d.spec.selector = { matchLabels };
  expect(labelSelectorOf(d)).toBe(want);
});

const sets = [
  replicaSet(
    'web-aaa',
    1,
    { 'dev.safe-deploy/sha': 'sha1', 'dev.safe-deploy/run-url': 'u1' },
    'r/web@sha256:1',
  ),
  replicaSet('web-ccc', 3, { 'dev.safe-deploy/sha': 'sha3' }, 'r/web@sha256:3'),
  replicaSet('web-bbb', 2, {}, 'r/web:manual'),
  replicaSet('web-ddd', 4, { 'dev.safe-deploy/sha': 'sha1' }, 'r/web@sha256:1b'),
  replicaSet('other-eee', 9, { 'dev.safe-deploy/sha': 'x' }, 'r/other:1', 'uid-other'),
];

test('revisionsOf: owned ReplicaSets only, newest revision first', () => {
  expect(
    revisionsOf(deployment(), sets, 'web').map((r) => [r.revision, r.replicaSet, r.sha, r.image]),
  ).toEqual([
    [4, 'web-ddd', 'sha1', 'r/web@sha256:1b'],
    [3, 'web-ccc', 'sha3', 'r/web@sha256:3'],
    [2, 'web-bbb', undefined, 'r/web:manual'],
    [1, 'web-aaa', 'sha1', 'r/web@sha256:1'],
  ]);
});

test('versionsOf: one per commit (the newest revision wins), unknown commits left out', () => {
  const revs = revisionsOf(deployment(), sets, 'web');
  expect(versionsOf(revs).map((v) => [v.sha, v.image])).toEqual([
    ['sha1', 'r/web@sha256:1b'],
    ['sha3', 'r/web@sha256:3'],
  ]);
  expect(revisionFor(revs, 'sha3')?.revision).toBe(3);
  expect(revisionFor(revs, 'nope')).toBeUndefined();
});

test.each([
  [
    'deployed by safe-deploy',
    { 'dev.safe-deploy/sha': 's', 'dev.safe-deploy/image-ref': 'r:5000/web:1' },
    'r:5000/web:1',
    's',
  ],
  ['never deployed by safe-deploy', {}, 'r:5000/web:1', undefined],
  [
    'image changed by hand since',
    { 'dev.safe-deploy/sha': 's', 'dev.safe-deploy/image-ref': 'r:5000/web:0' },
    'r:5000/web:1',
    undefined,
  ],
])('liveOf: %s', (_n, annotations, image, sha) => {
  const live = liveOf(deployment({ annotations, image }), 'web');
  expect(live.image).toBe(image);
  expect(live.version?.sha).toBe(sha);
  expect(live.foreign).toBe(sha === undefined);
});

test('a revision whose rollout failed is no version to go back to (nor an undo target)', () => {
  const marked = [
    replicaSet(
      'web-fff',
      5,
      { 'dev.safe-deploy/sha': 'bad', 'dev.safe-deploy/rollout-failed': 'timeout' },
      'r/web@sha256:f',
    ),
    ...sets,
  ];
  const revs = revisionsOf(deployment(), marked, 'web');
  expect(revs[0]).toMatchObject({ revision: 5, sha: 'bad', failed: true });
  expect(versionsOf(revs).map((v) => v.sha)).toEqual(['sha1', 'sha3']);
  expect(revisionFor(revs, 'bad')).toBeUndefined();
});
