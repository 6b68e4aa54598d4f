/**
 * Slack mrkdwn helpers. Branch names, reasons and actors come from whoever pushed: escaping the
 * three control characters keeps `<!channel>`, `<https://evil|docs>` and `&lt;` tricks inert.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeMrkdwn(s: string): string {
  return s.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Escapes `raw` and clips it so the escaped text is at most `max` characters (UTF-16 units, as
 * Slack counts), ending in `…` when cut. Clipping after escaping could split `&amp;`, so the
 * budget is spent per escaped character; code points are never split.
 */
export function clipMrkdwn(raw: string, max: number): string {
  const full = escapeMrkdwn(raw);
  if (full.length <= max) return full;
  return clipPieces(Array.from(raw, escapeMrkdwn), max);
}

/** Clips plain text (header, button labels: Slack does not parse mrkdwn there). */
export function clipPlain(raw: string, max: number): string {
  return raw.length <= max ? raw : clipPieces(Array.from(raw), max);
}

function clipPieces(pieces: string[], max: number): string {
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** One line for the fallback text: a multi-line error would otherwise spill into the notification. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * An http(s) URL safe inside `<url|label>` and as a button target, or undefined. A `javascript:`
 * app URL or a `|`/`>` in it would break the link syntax, and Slack rejects the whole message
 * (invalid_blocks) for a button URL over 3000 characters.
 */
export function safeLinkUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const href = url.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return href.length <= 3000 ? href : undefined;
}
