import fs from 'node:fs';
import path from 'node:path';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../../../src/deploy/kubernetes/types';
import { revisionsOf } from '../../../src/deploy/kubernetes/history';
import { podProblems } from '../../../src/deploy/kubernetes/pods';
import { rolloutStatus } from '../../../src/deploy/kubernetes/rollout';
import { ROOT } from '../../helpers/action';

// Objects as the real kube-apiserver and deployment/replicaset controllers wrote them (`kubectl get
// -o json` against test/k8s; pod statuses from its kubelet stand-in). Regenerate with
// __tests__/fixtures/kubernetes/capture.sh.
const fixture = <T>(name: string): T =>
  JSON.parse(fs.readFileSync(path.join(ROOT, '__tests__/fixtures/kubernetes', name), 'utf8')) as T;

test.each([
  ['deployment-complete.json', 'done', /successfully rolled out/],
  ['deployment-progressing.json', 'waiting', /1 of 2 new replicas updated/],
  [
    'deployment-deadline-exceeded.json',
    'failed',
    /exceeded its progress deadline \(6s, ProgressDeadlineExceeded\)/,
  ],
])('rolloutStatus on %s', (file, state, message) => {
  const s = rolloutStatus(fixture<Deployment>(file));
  expect(s.state).toBe(state);
  expect(s.message).toMatch(message);
});

test('revisionsOf: each revision keeps the commit it was created with', () => {
  const d = fixture<Deployment>('deployment-deadline-exceeded.json');
  const sets = fixture<{ items: ReplicaSet[] }>('replicasets.json').items;
  expect(revisionsOf(d, sets, 'web').map((r) => [r.revision, r.sha, r.image])).toEqual([
    [2, '2'.repeat(40), '127.0.0.1:5000/sd-fixtures:crash'],
    [1, '1'.repeat(40), '127.0.0.1:5000/sd-fixtures:ok'],
  ]);
});

test('podProblems: the crash-looping pod with its exit code and last events, the ready ones not', () => {
  const pods = fixture<{ items: Pod[] }>('pods-crashloop.json').items;
  const events = fixture<{ items: KubeEvent[] }>('events-crashloop.json').items;
  const problems = podProblems(pods, events);
  expect(problems).toHaveLength(1);
  expect(problems[0]!.pod).toMatch(/^web-6f88fb6576-/);
  expect(problems[0]!.reason).toBe('CrashLoopBackOff');
  expect(problems[0]!.detail).toMatch(/last exit code 3, Error\); restarted \d+ time/);
  expect(problems[0]!.events.at(-1)).toMatch(/^Warning BackOff: Back-off restarting failed container web/);
});
