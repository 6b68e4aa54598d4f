import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { runAction, tempDir, uniqueRepo, visibleLog, type ActionRun } from '../helpers/action';
import { expectCode, stage } from '../helpers/deploy-app';
import {
  ADMIN,
  adminEnv,
  applyDeployment,
  createNamespace,
  deleteNamespace,
  DEPLOYER,
  K8S_DIR,
  k8sWorkspace,
  kubeInputs,
  kubectl,
  kubectlJson,
  liveDeployment,
  pushVersion,
  requireCluster,
  waitRollout,
  type PushedVersion,
} from '../helpers/k8s';

let ns: string;
const repo = uniqueRepo('k8s-pre');
let v0: PushedVersion;
let v1: PushedVersion;

beforeAll(async () => {
  requireCluster();
  ns = createNamespace('sd-pre');
  v0 = await pushVersion(repo, 'healthy');
  v1 = await pushVersion(repo, 'healthy');
  applyDeployment(ns, { name: 'web', image: v0.ref, replicas: 1 });
  applyDeployment(ns, { name: 'two', image: v0.ref, replicas: 1, containers: ['a', 'b'] });
  applyDeployment(ns, { name: 'held', image: v0.ref, replicas: 1, paused: true });
  applyDeployment(ns, {
    name: 'mig',
    image: v0.ref,
    replicas: 1,
    env: { MIGRATE_GREETING: 'from-deployment' },
  });
  // 'two' never needs to run: its preflight refuses it. Its containers would share one PORT.
  for (const d of ['web', 'mig']) waitRollout(ns, d);
}, 240_000);

afterAll(() => deleteNamespace(ns));

const run = (app: string, extra: Record<string, string> = {}, env = adminEnv()): Promise<ActionRun> =>
  runAction({
    cwd: k8sWorkspace(),
    sha: v1.sha,
    env,
    inputs: kubeInputs(ns, app, repo, extra),
    timeoutMs: 120_000,
  });

/** The run failed with exactly one error line, no stack trace, and changed nothing. */
function oneLine(r: ActionRun, app: string, before: string | undefined): string {
  expectCode(r, 1);
  const errors = visibleLog(r)
    .split('\n')
    .filter((l) => l.startsWith('::error::'));
  expect(errors).toHaveLength(1);
  expect(visibleLog(r)).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  if (before !== undefined) expect(liveDeployment(ns, app, app === 'two' ? 'a' : app).image).toBe(before);
  return errors[0]!;
}

function kubeconfigWith(edit: (text: string) => string): string {
  const file = path.join(tempDir('sd-kc-'), 'config');
  fs.writeFileSync(file, edit(fs.readFileSync(ADMIN, 'utf8')));
  return file;
}

test.each([
  [
    'a bad server',
    'web',
    {},
    () => ({ KUBECONFIG: kubeconfigWith((t) => t.replace(/server: \S+/, 'server: https://127.0.0.1:1')) }),
    /the Kubernetes API at https:\/\/127\.0\.0\.1:1 \(context safe-deploy-test\) did not answer.*ECONNREFUSED/,
  ],
  [
    'a missing context',
    'web',
    { 'kube-context': 'staging' },
    adminEnv,
    /kube-context "staging" is not in the kubeconfig \(it has: safe-deploy-test\); set kube-context/,
  ],
  [
    'a missing namespace',
    'web',
    { 'kube-namespace': 'no-such-ns' },
    adminEnv,
    /namespace no-such-ns does not exist in context safe-deploy-test: set kube-namespace/,
  ],
  [
    'a missing Deployment',
    'nothere',
    {},
    adminEnv,
    /deployment\/nothere does not exist in namespace sd-pre-\w+ \(context safe-deploy-test\): create it first/,
  ],
  [
    'an ambiguous container',
    'two',
    {},
    adminEnv,
    /deployment\/two in namespace sd-pre-\w+ has 2 containers \(a, b\) and none is named "two": set kube-container/,
  ],
  [
    'a paused Deployment',
    'held',
    {},
    adminEnv,
    /deployment\/held in namespace sd-pre-\w+ \(context safe-deploy-test\) is paused.*kubectl rollout resume deployment\/held/,
  ],
])('%s: one clear line, nothing changed', async (_name, app, extra, env, message) => {
  const before = app === 'nothere' ? undefined : liveDeployment(ns, app, app === 'two' ? 'a' : app).image;
  const r = await run(app, extra, env());
  expect(oneLine(r, app, before)).toMatch(message);
});

test('RBAC: a user who may not patch Deployments is refused before anything changes, naming the verb', async () => {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'deployer-partial', namespace: ns },
    rules: [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'deployer-partial', namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer-partial' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'deployer' }],
  };
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [role, binding] }));
  const before = liveDeployment(ns, 'web').image;
  const r = await run('web', {}, { KUBECONFIG: DEPLOYER });
  expect(oneLine(r, 'web', before)).toMatch(
    new RegExp(
      `may not patch deployments\\.apps in namespace ${ns} \\(needed to set the image and undo\\).*verbs: \\["patch"\\]`,
    ),
  );
  // With the verb granted, the same user deploys.
  role.rules[0]!.verbs = ['get', 'patch'];
  kubectl(['apply', '-f', '-'], JSON.stringify(role));
  const ok = await run('web', {}, { KUBECONFIG: DEPLOYER });
  expectCode(ok, 0);
  expect(liveDeployment(ns, 'web').image).toBe(v1.ref);
});

function putLease(app: string, holder: string, renewedSecondsAgo: number, durationSeconds: number): string {
  const name = `safe-deploy-${app}-production`;
  const t = new Date(Date.now() - renewedSecondsAgo * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: ns },
      spec: { holderIdentity: holder, leaseDurationSeconds: durationSeconds, renewTime: t, acquireTime: t },
    }),
  );
  return name;
}

test('a held lease makes the run wait; when its holder lets go, the run proceeds', async () => {
  const name = putLease('web', 'run 77 attempt 1 (other-runner)', 0, 120);
  const release = setTimeout(() => kubectl(['delete', 'lease', name, '-n', ns]), 4000);
  const started = Date.now();
  const r = await run('web', { 'deploy-lock-wait': '60s' });
  clearTimeout(release);
  expectCode(r, 0);
  expect(Date.now() - started).toBeGreaterThan(4000);
  expect(r.stdout).toContain(
    `Waiting for the deploy lock: lease ${name} is held by run 77 attempt 1 (other-runner)`,
  );
  // Released at the end.
  expect(() => kubectl(['get', 'lease', name, '-n', ns])).toThrow(/NotFound/);
});

test('a held lease past deploy-lock-wait: the run fails naming the holder and the kubectl that frees it', async () => {
  const name = putLease('web', 'run 78 attempt 1 (other-runner)', 0, 120);
  try {
    const before = liveDeployment(ns, 'web').image;
    const r = await run('web', { 'deploy-lock-wait': '2s' });
    expect(oneLine(r, 'web', before)).toMatch(
      `still held by run 78 attempt 1 (other-runner) after deploy-lock-wait (2s); if that run is gone, delete it with \`kubectl delete lease ${name} -n ${ns}\``,
    );
  } finally {
    kubectl(['delete', 'lease', name, '-n', ns]);
  }
});

test('an expired lease (a killed runner) is taken over at once', async () => {
  const name = putLease('web', 'run 79 attempt 1 (dead-runner)', 120, 30);
  const r = await run('web', { 'deploy-lock-wait': '5s' }, adminEnv());
  expectCode(r, 0);
  expect(r.stdout).toMatch(`Took over the deploy lock ${name} from run 79 attempt 1 (dead-runner)`);
});

test('a failing migration Job blocks the rollout: its logs (env from the Deployment) in the summary, Job removed', async () => {
  const before = liveDeployment(ns, 'mig').image;
  const r = await run('mig', {
    'migrate-command':
      'echo "migrating with greeting $MIGRATE_GREETING"; echo "relation users already exists" >&2; exit 4',
    'migrate-in-image': 'true',
  });
  expectCode(r, 1);
  expect(stage(r, 'migrate')?.detail).toBe('migrate-command exited with code 4; deploy blocked');
  expect(stage(r, 'deploy')?.status).toBe('skipped');
  expect(r.summary).toContain('migrating with greeting from-deployment');
  expect(liveDeployment(ns, 'mig').image).toBe(before);
  const jobs = kubectlJson<{ items: { metadata: { name: string; deletionTimestamp?: string } }[] }>([
    'get',
    'jobs',
    '-n',
    ns,
  ]);
  expect(jobs.items.filter((j) => !j.metadata.deletionTimestamp)).toEqual([]);
});

test('a passing migration Job runs from the new image, then the rollout goes ahead', async () => {
  const r = await run('mig', {
    'migrate-command': 'echo "migrated $MIGRATE_GREETING"',
    'migrate-in-image': 'true',
  });
  expectCode(r, 0);
  expect(stage(r, 'migrate')?.detail).toBe('migrate-command succeeded (inside the new image)');
  expect(r.stdout).toContain('migrated from-deployment');
  expect(liveDeployment(ns, 'mig').image).toBe(v1.ref);
});

test('an image the registry does not have: ImagePullBackOff in the summary, and the rollout is undone', async () => {
  const before = liveDeployment(ns, 'web').image;
  const missing = 'f'.repeat(40);
  const r = await runAction({
    cwd: k8sWorkspace(),
    env: adminEnv(),
    inputs: kubeInputs(ns, 'web', repo, { 'rollback-to': missing, 'rollout-timeout': '10s' }),
    timeoutMs: 120_000,
  });
  expectCode(r, 1);
  expect(r.summary).toMatch(/`(ImagePullBackOff|ErrImagePull)`/);
  expect(r.outputs['auto-rolled-back']).toBe('true');
  expect(liveDeployment(ns, 'web').image).toBe(before);
});

/**
 * A kubeconfig file for the test cluster (the admin kubeconfig's cluster and CA) whose one user
 * has `user` as its credentials; `files` are written beside it (a kubeconfig's relative paths are
 * its directory's).
 */
function kubeconfigFor(
  user: Record<string, unknown>,
  files: Record<string, string> = {},
  cluster: Record<string, unknown> = {},
): string {
  const dir = tempDir('sd-kc-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const kc = adminKubeconfig();
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    stringify({
      ...kc,
      clusters: kc.clusters.map((c) => ({ ...c, cluster: { ...c.cluster, ...cluster } })),
      users: [{ name: 'ci', user }],
      contexts: [{ name: 'ci', context: { cluster: kc.clusters[0]?.name, user: 'ci' } }],
      'current-context': 'ci',
    }),
  );
  return file;
}

/** The admin kubeconfig as data: the test cluster (server, CA) and the admin's token. */
function adminKubeconfig(): {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { user: { token: string } }[];
} {
  return parse(fs.readFileSync(ADMIN, 'utf8')) as ReturnType<typeof adminKubeconfig>;
}

/** A dry run reaches the cluster through every step that reads: preflight, history, the server-side patch. */
async function dryRunWith(kubeconfig: string): Promise<ActionRun> {
  const r = await run('web', { 'dry-run': 'true' }, { KUBECONFIG: kubeconfig });
  expectCode(r, 0);
  expect(r.outputs.result).toBe('planned');
  expect(r.summary).toContain('accepted by the API server (dryRun=All)');
  return r;
}

test('a client certificate signed by the cluster CA (files beside the kubeconfig) is the identity', async () => {
  const dir = tempDir('sd-cert-');
  const file = (name: string): string => path.join(dir, name);
  const pki = path.join(K8S_DIR, 'pki');
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=ci-cert/O=system:masters',
    '-keyout',
    file('client.key'),
    '-out',
    file('client.csr'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('client.csr'),
    '-CA',
    path.join(pki, 'ca.crt'),
    '-CAkey',
    path.join(pki, 'ca.key'),
    '-set_serial',
    String(Date.now()),
    '-days',
    '1',
    '-out',
    file('client.crt'),
  );
  await dryRunWith(
    kubeconfigFor(
      { 'client-certificate': 'client.crt', 'client-key': 'client.key' },
      {
        'client.crt': fs.readFileSync(file('client.crt'), 'utf8'),
        'client.key': fs.readFileSync(file('client.key'), 'utf8'),
      },
    ),
  );
});

test('an exec credential plugin (as EKS and GKE use) gives the token once a run, and it is never shown', async () => {
  const token = adminKubeconfig().users[0]?.user.token ?? '';
  const credential = {
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { token, expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() },
  };
  const dir = tempDir('sd-exec-');
  const plugin = path.join(dir, 'plugin.js');
  const runs = path.join(dir, 'runs');
  fs.writeFileSync(
    plugin,
    `require('node:fs').appendFileSync(${JSON.stringify(runs)}, 'ran\\n');\n` +
      `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`,
  );
  const r = await dryRunWith(
    kubeconfigFor({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [plugin],
        interactiveMode: 'Never',
      },
    }),
  );
  expect(visibleLog(r) + r.summary).not.toContain(token);
  // The preflight's requests go out at once; they share one run of the plugin (aws eks get-token
  // takes a second), and the token is cached until it expires.
  expect(fs.readFileSync(runs, 'utf8')).toBe('ran\n');
});

test('proxy-url: the API server is reached through the HTTP CONNECT proxy the kubeconfig names', async () => {
  const tunnels: string[] = [];
  const proxy = http.createServer();
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).on('error', () => undefined);
      client.pipe(upstream).on('error', () => undefined);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = proxy.address() as AddressInfo;
    const token = adminKubeconfig().users[0]?.user.token ?? '';
    await dryRunWith(kubeconfigFor({ token }, {}, { 'proxy-url': `http://127.0.0.1:${port}` }));
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set(['127.0.0.1:6443']));
  } finally {
    proxy.closeAllConnections();
    proxy.close();
  }
});
