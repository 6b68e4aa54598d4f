import { rolloutDecision, rolloutStatus } from '../../../src/deploy/kubernetes/rollout';
import { deployment } from './fixtures';

const deadline = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }];
const progressing = [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }];

// The branches of kubectl's DeploymentStatusViewer, in its order.
test.each([
  ['generation not yet observed', { generation: 3, observed: 2 }, 'waiting', /observe/],
  [
    'deadline exceeded (checked before counts)',
    { updated: 1, conditions: deadline },
    'failed',
    /progress deadline/,
  ],
  [
    'fewer updated than desired',
    { updated: 1, available: 1, conditions: progressing },
    'waiting',
    /1 of 3 new replicas/,
  ],
  ['old replicas still terminating', { updated: 3, total: 4 }, 'waiting', /1 old replicas pending/],
  [
    'updated but not all available',
    { updated: 3, available: 2 },
    'waiting',
    /2 of 3 updated replicas available/,
  ],
  ['all updated, available, none old', {}, 'done', /successfully rolled out/],
  ['scaled to zero', { replicas: 0, updated: 0, available: 0, total: 0 }, 'done', /successfully/],
  [
    'deadline on an old generation is not ours yet',
    { generation: 3, observed: 2, conditions: deadline },
    'waiting',
    /observe/,
  ],
])('%s', (_name, over, state, message) => {
  const s = rolloutStatus(deployment(over));
  expect(s.state).toBe(state);
  expect(s.message).toMatch(message);
});

const ctx = { generation: 2, startedAt: 0, now: 1_000, timeoutMs: 60_000 };

test.each([
  ['waiting within the timeout', {}, { updated: 1 }, 'waiting', undefined],
  ['waiting past rollout-timeout', { now: 60_000 }, { updated: 1 }, 'failed', 'timeout'],
  ['done just at the timeout still counts', { now: 60_000 }, {}, 'done', undefined],
  [
    'someone else patched it (generation moved past ours)',
    {},
    { generation: 3, observed: 3 },
    'failed',
    'changed',
  ],
  ['deadline exceeded', {}, { updated: 2, conditions: deadline }, 'failed', 'deadline'],
])('rolloutDecision: %s', (_name, w, over, state, reason) => {
  const s = rolloutDecision(deployment(over), { ...ctx, ...w });
  expect(s.state).toBe(state);
  expect(s.state === 'failed' ? s.reason : undefined).toBe(reason);
});
