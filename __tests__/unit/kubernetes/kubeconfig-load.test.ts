import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  absolutePaths,
  authenticators,
  credentialsFor,
  inClusterKubeconfig,
  loadDefaultKubeconfig,
  mergeKubeconfigs,
  parseKubeconfig,
} from '../../../src/deploy/kubernetes/kubeconfig';

const config = (name: string, extra = ''): string => `apiVersion: v1
kind: Config
clusters:
- name: ${name}
  cluster:
    server: https://${name}.example:6443
    certificate-authority: ca.pem
users:
- name: ${name}-user
  user:
    client-certificate: certs/client.pem
    client-key: /abs/key.pem
contexts:
- name: ${name}
  context: {cluster: ${name}, user: ${name}-user, namespace: shop}
${extra}`;

test('parseKubeconfig: clusters, users and contexts through client-node’s validators', () => {
  const kc = parseKubeconfig(config('a', 'current-context: a\n'));
  expect(kc.currentContext).toBe('a');
  expect(kc.clusters).toEqual([
    expect.objectContaining({ name: 'a', server: 'https://a.example:6443', caFile: 'ca.pem' }),
  ]);
  expect(kc.users[0]).toMatchObject({
    name: 'a-user',
    certFile: 'certs/client.pem',
    keyFile: '/abs/key.pem',
  });
  expect(kc.contexts).toEqual([{ name: 'a', cluster: 'a', user: 'a-user', namespace: 'shop' }]);
});

test('parseKubeconfig refuses a cluster without a server, as client-node does', () => {
  expect(() => parseKubeconfig('clusters:\n- name: x\n  cluster: {}\n')).toThrow(/server/);
});

test('absolutePaths: relative file paths are the kubeconfig file’s directory’s', () => {
  const kc = absolutePaths(parseKubeconfig(config('a')), '/home/ci/.kube');
  expect(kc.clusters[0]?.caFile).toBe('/home/ci/.kube/ca.pem');
  expect(kc.users[0]?.certFile).toBe('/home/ci/.kube/certs/client.pem');
  expect(kc.users[0]?.keyFile).toBe('/abs/key.pem');
});

test('mergeKubeconfigs: every file’s entries, the last current-context; a name twice is an error', () => {
  const a = parseKubeconfig(config('a', 'current-context: a\n'));
  const b = parseKubeconfig(config('b', 'current-context: b\n'));
  const merged = mergeKubeconfigs([a, b]);
  expect(merged.contexts.map((c) => c.name)).toEqual(['a', 'b']);
  expect(merged.currentContext).toBe('b');
  expect(() => mergeKubeconfigs([a, a])).toThrow('Duplicate cluster: a');
});

test.each([
  ['https', '10.96.0.1', '443', 'https://10.96.0.1:443'],
  ['http on 8080', '10.96.0.1', '8080', 'http://10.96.0.1:8080'],
  ['IPv6', 'fd00::1', '443', 'https://[fd00::1]:443'],
])('inClusterKubeconfig: %s', (_n, host, port, server) => {
  const kc = inClusterKubeconfig({ KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port }, 'shop');
  expect(kc.clusters[0]?.server).toBe(server);
  expect(kc.users[0]?.authProvider).toEqual({
    name: 'tokenFile',
    config: { tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
  });
  expect(kc.contexts[0]).toMatchObject({ name: kc.currentContext, namespace: 'shop' });
});

test('loadDefaultKubeconfig: KUBECONFIG’s files, merged, paths made absolute', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-kc-'));
  fs.writeFileSync(path.join(dir, 'a'), config('a', 'current-context: a\n'));
  fs.writeFileSync(path.join(dir, 'b'), config('b'));
  const kc = loadDefaultKubeconfig({
    KUBECONFIG: [path.join(dir, 'a'), path.join(dir, 'b')].join(path.delimiter),
  });
  expect(kc.currentContext).toBe('a');
  expect(kc.clusters.map((c) => c.caFile)).toEqual([path.join(dir, 'ca.pem'), path.join(dir, 'ca.pem')]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('credentialsFor: CA and client certificate from data, a static token, TLS name, skip-verify', async () => {
  const kc = parseKubeconfig(`clusters:
- name: c
  cluster: {server: 'https://k:6443', certificate-authority-data: ${Buffer.from('CA').toString('base64')}, tls-server-name: api.k, insecure-skip-tls-verify: true}
users:
- name: u
  user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')}, token: tok}
contexts: []
`);
  const c = await credentialsFor(kc.clusters[0]!, kc.users[0]!, authenticators());
  expect(c.ca?.toString()).toBe('CA');
  expect(c.cert?.toString()).toBe('CERT');
  expect(c.key?.toString()).toBe('KEY');
  expect(c.headers).toEqual({ Authorization: 'Bearer tok' });
  expect(c.servername).toBe('api.k');
  expect(c.rejectUnauthorized).toBe(false);
});

test('credentialsFor: an exec credential plugin’s token (client-node’s ExecAuth runs it)', async () => {
  const kc = parseKubeconfig(`clusters: [{name: c, cluster: {server: 'https://k:6443'}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${process.execPath}
      args: ['-e', 'console.log(JSON.stringify({apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: {token: "from-plugin"}}))']
      interactiveMode: Never
contexts: []
`);
  const c = await credentialsFor(kc.clusters[0]!, kc.users[0]!, authenticators());
  expect(c.headers).toEqual({ Authorization: 'Bearer from-plugin' });
  expect(c.rejectUnauthorized).toBeUndefined();
});
