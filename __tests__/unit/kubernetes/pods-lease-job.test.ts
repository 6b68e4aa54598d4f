import type { KubeEvent, Pod } from '../../../src/deploy/kubernetes/types';
import { accessChecks, deniedLine } from '../../../src/deploy/kubernetes/access';
import { jobState, migrationJob, migrationJobName } from '../../../src/deploy/kubernetes/job';
import { leaseDecision, leaseName, leaseSpec, microTime } from '../../../src/deploy/kubernetes/lease';
import { dryRunPlan } from '../../../src/deploy/kubernetes/plan';
import { podProblems } from '../../../src/deploy/kubernetes/pods';
import { deployment } from './fixtures';

const pod = (name: string, status: Pod['status']): Pod => ({ metadata: { name }, status });
const ev = (pod: string, reason: string, message: string, t: number): KubeEvent => ({
  metadata: {},
  involvedObject: { kind: 'Pod', name: pod },
  reason,
  message,
  type: 'Warning',
  lastTimestamp: new Date(t).toISOString(),
});

test.each([
  [
    'CrashLoopBackOff with the last exit code',
    pod('p', {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'web',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 4,
          state: {
            waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
          },
          lastState: { terminated: { exitCode: 3, reason: 'Error' } },
        },
      ],
    }),
    'CrashLoopBackOff',
    /back-off 40s.*last exit code 3, Error.*restarted 4 time/,
  ],
  [
    'ImagePullBackOff',
    pod('p', {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'web',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } },
        },
      ],
    }),
    'ImagePullBackOff',
    /Back-off pulling image/,
  ],
  [
    'Unschedulable',
    pod('p', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/1 nodes are available: Insufficient cpu.',
        },
      ],
    }),
    'Unschedulable',
    /Insufficient cpu/,
  ],
  [
    'running but not ready',
    pod('p', {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        { name: 'web', image: 'x', imageID: '', ready: false, restartCount: 0, state: { running: {} } },
      ],
    }),
    'NotReady',
    /not ready \(readiness probe\): web/,
  ],
  [
    'still being created (no reason yet)',
    pod('p', {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'web',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
      conditions: [{ type: 'Ready', status: 'False' }],
    }),
    'NotReady',
    /not ready/,
  ],
])('podProblems: %s', (_n, p, reason, detail) => {
  const [problem] = podProblems(
    [p],
    [ev('p', 'Old', 'first', 1), ev('p', 'BackOff', 'last', 3), ev('q', 'Other', 'other pod', 2)],
  );
  expect(problem?.reason).toBe(reason);
  expect(problem?.detail).toMatch(detail);
  expect(problem?.events).toEqual(['Warning Old: first', 'Warning BackOff: last']);
});

test('podProblems: a ready pod has none', () => {
  expect(
    podProblems([pod('ok', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })], []),
  ).toEqual([]);
});

const lease = (holder: string, renewedAt: number, seconds = 30) => ({
  metadata: { name: 'l', resourceVersion: '7' },
  spec: {
    holderIdentity: holder,
    renewTime: microTime(new Date(renewedAt)),
    acquireTime: microTime(new Date(renewedAt)),
    leaseDurationSeconds: seconds,
    leaseTransitions: 2,
  },
});

test.each([
  ['none: create it', undefined, { action: 'create' }],
  ['ours: renew it', lease('me', 0), { action: 'renew' }],
  ['held and fresh: wait', lease('other', 90_000), { action: 'wait', holder: 'other', expiresInMs: 20_000 }],
  [
    'not renewed past its duration: take it',
    lease('other', 50_000),
    { action: 'take', from: 'other', expiredForMs: 20_000 },
  ],
  [
    'expiring exactly now: take it',
    lease('other', 70_000),
    { action: 'take', from: 'other', expiredForMs: 0 },
  ],
  ['released (no holder): take it', lease('', 99_000), { action: 'take', from: '', expiredForMs: -29_000 }],
])('leaseDecision: %s', (_n, l, want) => {
  expect(leaseDecision(l, 'me', 100_000)).toEqual(want);
});

test.each([
  [
    'take counts a transition and resets acquireTime',
    { action: 'take' as const, from: 'o', expiredForMs: 1 },
    3,
    100,
  ],
  ['renew keeps acquireTime', { action: 'renew' as const }, 2, 0],
])('leaseSpec: %s', (_n, decision, transitions, acquired) => {
  const spec = leaseSpec(lease('o', 0), 'me', new Date(100), decision);
  expect(spec).toEqual({
    holderIdentity: 'me',
    leaseDurationSeconds: 30,
    acquireTime: microTime(new Date(acquired)),
    renewTime: '1970-01-01T00:00:00.100000Z',
    leaseTransitions: transitions,
  });
});

test.each([
  ['web', 'production', 'safe-deploy-web-production'],
  ['My_App', 'eu/west', 'safe-deploy-my-app-eu-west'],
])('leaseName(%s, %s)', (app, env, want) => {
  expect(leaseName(app, env)).toBe(want);
});

test('migrationJob: new image, the container env and envFrom, runs once, cleaned up by TTL', () => {
  const d = deployment();
  const c = d.spec!.template.spec!.containers[0]!;
  c.env = [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }];
  c.envFrom = [{ configMapRef: { name: 'cfg' } }];
  d.spec!.template.spec!.serviceAccountName = 'web-sa';
  const job = migrationJob(d, {
    app: 'web',
    sha: 'f'.repeat(40),
    image: 'r/web@sha256:1',
    command: 'migrate up',
    container: 'web',
    suffix: 'x1',
    deadlineSeconds: 600,
  });
  expect(job.metadata?.name).toBe('web-migrate-fffffff-x1');
  expect(job.metadata?.namespace).toBe('shop');
  expect(job.spec?.backoffLimit).toBe(0);
  expect(job.spec?.ttlSecondsAfterFinished).toBe(600);
  expect(job.spec?.activeDeadlineSeconds).toBe(600);
  const spec = job.spec!.template.spec!;
  expect(spec.restartPolicy).toBe('Never');
  expect(spec.serviceAccountName).toBe('web-sa');
  expect(spec.containers).toEqual([
    {
      name: 'migrate',
      image: 'r/web@sha256:1',
      command: ['sh', '-c', 'migrate up'],
      env: c.env,
      envFrom: c.envFrom,
      volumeMounts: undefined,
    },
  ]);
});

test.each([
  ['a'.repeat(70), 63],
  ['web', 26],
])('migrationJobName fits a label value (%s)', (app, length) => {
  const name = migrationJobName(app, 'f'.repeat(40), 'abc123');
  expect(name.length).toBe(length);
  expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
});

test.each([
  ['running', {}, { state: 'running' }],
  ['complete', { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }, { state: 'succeeded' }],
  [
    'failed: backoff limit',
    {
      failed: 1,
      conditions: [
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ],
    },
    { state: 'failed', reason: 'BackoffLimitExceeded: Job has reached the specified backoff limit' },
  ],
  ['failed pod before the condition', { failed: 1 }, { state: 'failed', reason: 'the migration pod failed' }],
])('jobState: %s', (_n, status, want) => {
  expect(jobState({ status: status as never })).toEqual(want);
});

test.each([
  [{ migrationJob: false, dryRun: true }, ['get deployments', 'patch deployments', 'list replicasets']],
  [
    { migrationJob: false, dryRun: false },
    [
      'get deployments',
      'patch deployments',
      'list replicasets',
      'get leases',
      'create leases',
      'update leases',
    ],
  ],
  [
    { migrationJob: true, dryRun: false },
    [
      'get deployments',
      'patch deployments',
      'list replicasets',
      'get leases',
      'create leases',
      'update leases',
      'create jobs',
      'get jobs',
    ],
  ],
])('accessChecks(%j)', (opts, want) => {
  expect(accessChecks(opts).map((c) => `${c.verb} ${c.resource}`)).toEqual(want);
});

test('deniedLine names the namespace, resource, verb and the rule to add', () => {
  expect(
    deniedLine(
      { verb: 'patch', group: 'apps', resource: 'deployments', why: 'set the image and undo' },
      'shop',
      'deployer',
    ),
  ).toBe(
    'the credentials (deployer) may not patch deployments.apps in namespace shop (needed to set the image and undo): grant it with a Role rule {apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"]} bound to them',
  );
});

test('dryRunPlan: live and new image, replicas and strategy, the server verdict', () => {
  const plan = dryRunPlan({
    deployment: deployment({ available: 2 }),
    container: 'web',
    newImage: 'r/web@sha256:9',
    serverCheck: 'accepted',
    timeoutMs: 600_000,
  });
  expect(plan).toEqual([
    'patch deployment/web in namespace shop: container web image r:5000/web:1 → r/web@sha256:9',
    'replicas: 3 (2 available now); strategy: RollingUpdate (maxSurge 25%, maxUnavailable 25%)',
    'wait for the rollout as kubectl rollout status does (rollout-timeout 600s, progressDeadlineSeconds 600); undo on failure',
    'server-side dry run of the patch: accepted',
  ]);
});
