/**
 * POSTs a notification to `notify-webhook`. A notification must never fail or hang a deploy, and
 * the URL is a secret (it is the credential): warnings name "the notify-webhook", never the URL,
 * with the status or error code only, because a fetch error message may quote the URL.
 */
export interface WebhookOptions {
  /** Default 10s. */
  timeoutMs?: number;
  warn: (message: string) => void;
}

export async function sendWebhook(url: string, body: unknown, opts: WebhookOptions): Promise<boolean> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let json: string;
  try {
    json = JSON.stringify(body);
  } catch (err) {
    opts.warn(
      `Notification not sent: the message is not JSON (${err instanceof Error ? err.message : err}).`,
    );
    return false;
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: json,
      // A redirect would re-send the body somewhere we did not choose.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is released; its text may echo the request, so it is not logged.
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return true;
    opts.warn(`Notification not sent: the notify-webhook answered HTTP ${res.status}.`);
    return false;
  } catch (err) {
    opts.warn(`Notification not sent: the notify-webhook ${describe(err, url, timeoutMs)}.`);
    return false;
  }
}

/**
 * The error's code (ECONNREFUSED, ENOTFOUND, ERR_INVALID_URL), else its cause's message with
 * anything URL-like removed: undici messages can quote the URL, whose path is the secret.
 */
function describe(err: unknown, url: string, timeoutMs: number): string {
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (e?.name === 'TimeoutError') return `did not answer within ${Math.round(timeoutMs / 100) / 10}s`;
  const code = [e?.cause?.code, e?.code].find(
    (c): c is string => typeof c === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(c),
  );
  if (code) return `could not be reached (${code})`;
  const message = typeof e?.cause?.message === 'string' ? redact(e.cause.message, url) : '';
  return `could not be reached (${message || 'unknown error'})`;
}

function redact(message: string, url: string): string {
  const secrets = [url, url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')].filter((s) => s.length > 1);
  let out = message;
  for (const s of secrets) out = out.split(s).join('…');
  return out
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, '…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}
