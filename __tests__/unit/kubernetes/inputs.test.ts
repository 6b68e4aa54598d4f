import { InputError, parseInputs } from '../../../src/inputs';

const getter = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const base = {
  'deploy-to': 'kubernetes',
  image: '127.0.0.1:5000/web',
  'working-directory': 'examples/hello-app',
};
const KC = 'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: tok-abcdef123\n';

test('kube inputs: defaults', () => {
  const i = parseInputs(getter(base));
  expect(i.deploy.deployTo).toBe('kubernetes');
  expect(i.deploy.kube).toEqual({
    kubeconfig: undefined,
    context: undefined,
    namespace: undefined,
    container: undefined,
    rolloutTimeoutMs: 600_000,
  });
});

test.each([
  [{ kubeconfig: KC }, { kubeconfig: KC.trim() }],
  [{ kubeconfig: Buffer.from(KC).toString('base64') }, { kubeconfig: KC.trim() }],
  [
    { 'kube-context': 'prod', 'kube-namespace': 'shop', 'kube-container': 'api' },
    { context: 'prod', namespace: 'shop', container: 'api' },
  ],
  [{ 'rollout-timeout': '90s' }, { rolloutTimeoutMs: 90_000 }],
])('kube inputs: %j', (values, want) => {
  expect(parseInputs(getter({ ...base, ...values })).deploy.kube).toMatchObject(want);
});

test('kubeconfig: the contents, the decoded form and each credential are registered as secrets first', () => {
  const secrets: string[] = [];
  const b64 = Buffer.from(KC).toString('base64');
  parseInputs(getter({ ...base, kubeconfig: b64 }), (s) => secrets.push(s));
  expect(secrets).toEqual(expect.arrayContaining([b64, KC.trim(), 'tok-abcdef123']));
});

test.each([
  [{ 'kube-namespace': 'Shop' }, `Input 'kube-namespace' is "Shop": expected a namespace name`],
  [{ 'kube-container': 'a_b' }, `Input 'kube-container' is "a_b": expected a container name`],
  [{ 'rollout-timeout': 'soon' }, `Input 'rollout-timeout' is "soon": expected a duration`],
  [
    { kubeconfig: 'token: tok-abcdef123' },
    `Input 'kubeconfig' is (hidden: secret input): expected a kubeconfig`,
  ],
])('kube inputs refused: %j', (values, message) => {
  const f = (): unknown => parseInputs(getter({ ...base, ...values }));
  expect(f).toThrow(InputError);
  expect(f).toThrow(message);
});
