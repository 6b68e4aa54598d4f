/**
 * The `kubeconfig` input: a kubeconfig's YAML, or its base64 (as many CI secrets store it). Its
 * credentials are secrets one by one: the runner masks single lines, so the token and key lines
 * are registered on their own as well as the whole.
 */
import { InputError } from './errors';

/** Fields whose values are credentials in a kubeconfig (users[].user and auth-provider config). */
const SECRET_FIELDS = [
  'token',
  'client-key-data',
  'password',
  'id-token',
  'refresh-token',
  'client-secret',
  'access-token',
];
const FIELD_RE = new RegExp(`^\\s*-?\\s*"?(${SECRET_FIELDS.join('|')})"?\\s*:\\s*"?([^"\\s]+)"?\\s*$`);

export function decodeKubeconfig(raw: string): string {
  const text = raw.trim();
  if (
    /^(apiVersion|kind|clusters|contexts|users|current-context|preferences)\s*:/m.test(text) ||
    text.startsWith('{')
  )
    return text;
  const compact = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+=*$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64').toString('utf8');
    if (
      /^(apiVersion|kind|clusters|contexts|users|current-context)\s*:/m.test(decoded) ||
      decoded.trim().startsWith('{')
    )
      return decoded.trim();
  }
  throw new InputError(
    'kubeconfig',
    raw,
    'expected a kubeconfig (its YAML, or the YAML in base64), e.g. from `cat ~/.kube/config`',
    { secret: true },
  );
}

/** The credential values inside a kubeconfig, to mask one by one. */
export function kubeconfigSecrets(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = FIELD_RE.exec(line);
    if (m?.[2]) out.push(m[2]);
  }
  return out;
}
