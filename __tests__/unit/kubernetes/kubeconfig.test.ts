import { InputError } from '../../../src/inputs/errors';
import { decodeKubeconfig, kubeconfigSecrets } from '../../../src/inputs/kubeconfig';

const YAML = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: Q0FDQUNB
users:
- name: u
  user:
    token: "tok-123456789"
    client-key-data: S0VZS0VZS0VZ
    password: hunter2hunter2
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`;

test.each([
  ['plain YAML', YAML],
  ['base64', Buffer.from(YAML).toString('base64')],
  ['base64 wrapped at 76 columns', Buffer.from(YAML).toString('base64').replace(/.{76}/g, '$&\n')],
  ['JSON', '{"apiVersion":"v1","kind":"Config"}'],
])('decodeKubeconfig: %s', (_n, raw) => {
  expect(decodeKubeconfig(raw)).toBe(raw.startsWith('{') ? raw : YAML.trim());
});

test.each([['not a kubeconfig'], [Buffer.from('hello: world').toString('base64')]])(
  'decodeKubeconfig refuses %j without echoing it',
  (raw) => {
    expect(() => decodeKubeconfig(raw)).toThrow(InputError);
    expect(() => decodeKubeconfig(raw)).toThrow("Input 'kubeconfig' is (hidden: secret input)");
  },
);

test('kubeconfigSecrets: each credential on its own (the runner masks line by line)', () => {
  expect(kubeconfigSecrets(YAML)).toEqual(['tok-123456789', 'S0VZS0VZS0VZ', 'hunter2hunter2']);
});
