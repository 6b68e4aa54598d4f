import { requests, urlPath, watchEvents, type KubeRequest } from '../../../src/deploy/kubernetes/requests';

const check = { verb: 'patch', group: 'apps', resource: 'deployments', why: 'x' };

test.each<[string, KubeRequest, string, Partial<KubeRequest>]>([
  [
    'get a Deployment',
    requests.getDeployment('shop', 'web'),
    'GET /apis/apps/v1/namespaces/shop/deployments/web',
    {},
  ],
  [
    'strategic merge patch',
    requests.patchDeployment('shop', 'web', { type: 'strategic', body: { a: 1 } }),
    'PATCH /apis/apps/v1/namespaces/shop/deployments/web?fieldManager=safe-deploy',
    { contentType: 'application/strategic-merge-patch+json', body: { a: 1 } },
  ],
  [
    'JSON patch, server-side dry run',
    requests.patchDeployment(
      'shop',
      'web',
      { type: 'json', body: [{ op: 'test', path: '/x', value: 1 }] },
      true,
    ),
    'PATCH /apis/apps/v1/namespaces/shop/deployments/web?fieldManager=safe-deploy&dryRun=All',
    { contentType: 'application/json-patch+json' },
  ],
  [
    'ReplicaSets by selector',
    requests.listReplicaSets('shop', 'app=web,tier=front'),
    'GET /apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dweb%2Ctier%3Dfront',
    {},
  ],
  [
    'ReplicaSets without a selector',
    requests.listReplicaSets('shop', ''),
    'GET /apis/apps/v1/namespaces/shop/replicasets',
    {},
  ],
  [
    'mark a ReplicaSet (merge patch)',
    requests.patchReplicaSet('shop', 'web-abc', { metadata: {} }),
    'PATCH /apis/apps/v1/namespaces/shop/replicasets/web-abc?fieldManager=safe-deploy',
    { contentType: 'application/merge-patch+json' },
  ],
  [
    'a SelfSubjectAccessReview',
    requests.accessReview('shop', check),
    'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: { namespace: 'shop', verb: 'patch', group: 'apps', resource: 'deployments' },
        },
      },
    },
  ],
  ['a namespace', requests.getNamespace('shop'), 'GET /api/v1/namespaces/shop', {}],
  [
    'the lease',
    requests.getLease('shop', 'safe-deploy-web-production'),
    'GET /apis/coordination.k8s.io/v1/namespaces/shop/leases/safe-deploy-web-production',
    {},
  ],
  [
    'create the lease',
    requests.createLease('shop', { x: 1 }),
    'POST /apis/coordination.k8s.io/v1/namespaces/shop/leases',
    {},
  ],
  [
    'renew the lease',
    requests.replaceLease('shop', 'l', { x: 1 }),
    'PUT /apis/coordination.k8s.io/v1/namespaces/shop/leases/l',
    {},
  ],
  [
    'release the lease only as we last wrote it',
    requests.deleteLease('shop', 'l', '42'),
    'DELETE /apis/coordination.k8s.io/v1/namespaces/shop/leases/l',
    { body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion: '42' } } },
  ],
  ['create a Job', requests.createJob('shop', {}), 'POST /apis/batch/v1/namespaces/shop/jobs', {}],
  ['read a Job', requests.getJob('shop', 'm'), 'GET /apis/batch/v1/namespaces/shop/jobs/m', {}],
  [
    'delete a Job with its pods',
    requests.deleteJob('shop', 'm'),
    'DELETE /apis/batch/v1/namespaces/shop/jobs/m?propagationPolicy=Background',
    {},
  ],
  [
    'pods by label',
    requests.listPods('shop', 'job-name=m'),
    'GET /api/v1/namespaces/shop/pods?labelSelector=job-name%3Dm',
    {},
  ],
  ['all pods', requests.listPods('shop', undefined), 'GET /api/v1/namespaces/shop/pods', {}],
  [
    'a pod log (text)',
    requests.podLog('shop', 'p', 50),
    'GET /api/v1/namespaces/shop/pods/p/log?tailLines=50',
    { text: true },
  ],
  ['events', requests.listEvents('shop'), 'GET /api/v1/namespaces/shop/events', {}],
  [
    'names are escaped in the path',
    requests.getDeployment('a/b', 'c?d'),
    'GET /apis/apps/v1/namespaces/a%2Fb/deployments/c%3Fd',
    {},
  ],
])('%s', (_n, r, line, rest) => {
  expect(`${r.method} ${urlPath(r)}`).toBe(line);
  expect(r).toMatchObject(rest);
});

test('watchDeployment: one Deployment by name, from a version, ended by the server', () => {
  const r = requests.watchDeployment('shop', 'web', '1234', 60);
  expect(`${r.method} ${urlPath(r)}`).toBe(
    'GET /apis/apps/v1/namespaces/shop/deployments?watch=1&fieldSelector=metadata.name%3Dweb&resourceVersion=1234&timeoutSeconds=60',
  );
});

test.each([
  ['nothing yet', '', [], ''],
  ['one whole event', '{"type":"MODIFIED","object":{"a":1}}\n', [{ type: 'MODIFIED', object: { a: 1 } }], ''],
  [
    'an event cut between chunks: kept for the next',
    '{"type":"ADDED","object":{}}\n{"type":"MODI',
    [{ type: 'ADDED', object: {} }],
    '{"type":"MODI',
  ],
  ['blank lines skipped', '\n{"type":"BOOKMARK","object":{}}\n\n', [{ type: 'BOOKMARK', object: {} }], ''],
])('watchEvents: %s', (_n, text, events, rest) => {
  expect(watchEvents(text)).toEqual({ events, rest });
});
