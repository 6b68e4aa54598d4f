import { ApiFailure, explain, KubeError } from '../../../src/deploy/kubernetes/client';
import type { KubeRollout } from '../../../src/deploy/kubernetes';
import { computeOutputs } from '../../../src/report/outputs';
import type { RunReport } from '../../../src/report/run-report';
import { renderSummary } from '../../../src/report/summary';

const where = { context: 'prod', server: 'https://10.0.0.1:6443' };

// Errors as the request layer raises them: ApiFailure (status, body as the server sent it) and
// Node's own socket errors.
test.each([
  [
    'refused connection',
    Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' }),
    undefined,
    "the Kubernetes API at https://10.0.0.1:6443 (context prod) did not answer while trying to get deployment/web: connect ECONNREFUSED 10.0.0.1:6443. Check the kubeconfig's server address and that the cluster is reachable from this runner",
  ],
  [
    '403 with a Status body',
    new ApiFailure(
      403,
      JSON.stringify({
        kind: 'Status',
        message: 'deployments.apps "web" is forbidden: User "ci" cannot get resource "deployments"',
      }),
    ),
    403,
    'could not get deployment/web: deployments.apps "web" is forbidden: User "ci" cannot get resource "deployments"',
  ],
  [
    '404',
    new ApiFailure(404, JSON.stringify({ message: 'deployments.apps "web" not found' })),
    404,
    'could not get deployment/web: deployments.apps "web" not found',
  ],
  [
    '401',
    new ApiFailure(401, '{"message":"Unauthorized"}'),
    401,
    'the API server at https://10.0.0.1:6443 (context prod) refused the credentials (401 Unauthorized) while trying to get deployment/web: renew the token or certificate in the kubeconfig',
  ],
  ['a body that is not JSON', new ApiFailure(502, ''), 502, 'could not get deployment/web: HTTP 502'],
])('explain: %s', (_n, err, status, message) => {
  const e = explain(err, 'get deployment/web', where);
  expect(e).toBeInstanceOf(KubeError);
  expect(e.status).toBe(status);
  expect(e.message).toBe(message);
});

const rollout = (over: Partial<KubeRollout>): KubeRollout => ({
  context: 'prod',
  namespace: 'shop',
  deployment: 'web',
  container: 'web',
  revisionBefore: 4,
  revisionAfter: 6,
  how: 'patch',
  progress: { desired: 3, updated: 3, available: 3, total: 3 },
  problems: [],
  ...over,
});

function report(k: KubeRollout, ok: boolean, autoRolledBack = false): RunReport {
  const prev = {
    sha: 'a'.repeat(40),
    image: 'r/web@sha256:1',
    runUrl: 'https://github.com/acme/web/actions/runs/1',
  };
  return {
    environment: 'production',
    dryRun: false,
    durationMs: 1,
    records: [{ name: 'deploy', status: ok ? 'passed' : 'failed', detail: 'x', durationMs: 1 }],
    deploy: {
      status: ok ? 'passed' : 'failed',
      detail: 'x',
      where: 'deployment/web in namespace shop (context prod)',
      previous: prev,
      current: ok ? { sha: 'b'.repeat(40), image: 'r/web@sha256:2' } : prev,
      outcome: { ok, detail: 'x', kubernetes: k, autoRolledBack },
    },
  };
}

test('summary: the rollout section and the kubectl equivalent of the rollback button', () => {
  const md = renderSummary(report(rollout({ timeToAvailableMs: 8200 }), true));
  expect(md).toContain('### Rollout');
  expect(md).toContain('| Revision | 4 → 6 |');
  expect(md).toContain('| Replicas | 3/3 updated, 3 available, 3 total |');
  expect(md).toContain('| Time to available | 8.2 s |');
  expect(md).toContain('`kubectl rollout undo deployment/web -n shop --to-revision=4` (context `prod`)');
  expect(md).toContain(`rollback-to: ${'a'.repeat(40)}`);
});

test('summary and outputs: a failed rollout undone by the target is auto-rolled-back', () => {
  const k = rollout({
    failure: 'deployment "web" exceeded its progress deadline',
    problems: [
      {
        pod: 'web-1',
        reason: 'CrashLoopBackOff',
        detail: 'container web: back-off',
        events: ['Warning BackOff: restarting'],
      },
    ],
    undo: { toRevision: 4, ok: true, detail: 'revision 4 available again' },
  });
  const r = report(k, false, true);
  const md = renderSummary(r);
  expect(md).toContain('| Rollout failed | deployment "web" exceeded its progress deadline |');
  expect(md).toContain(
    '| `web-1` | `CrashLoopBackOff` | container web: back-off | Warning BackOff: restarting |',
  );
  expect(md).toContain('| Automatic undo | done: to revision 4: revision 4 available again |');
  expect(computeOutputs(r)['auto-rolled-back']).toBe('true');
  expect(computeOutputs(r).result).toBe('rolled-back');
});
