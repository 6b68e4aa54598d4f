import * as runner from './runner';

/**
 * Every secret value this run knows. The runner masks them in the log once registered; the job
 * summary and outputs are not masked by the runner, so everything we write there goes through
 * `redact`.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 3) return; // masking 1-2 characters would shred the whole log
  for (const v of [value, ...derivedForms(value)]) {
    if (!secrets.has(v)) {
      secrets.add(v);
      runner.setSecret(v);
    }
  }
}

/** The same secret as it may travel: base64 (Basic auth, X-Registry-Auth) and URL-encoded. */
function derivedForms(value: string): string[] {
  const forms = [Buffer.from(value).toString('base64'), encodeURIComponent(value)];
  return forms.filter((f) => f !== value);
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret containing another is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}
