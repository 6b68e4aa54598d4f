/**
 * Turns what Octokit throws into one sentence for a warning. Deployment records are a courtesy to
 * the reader of the repository page, never a reason to fail a deploy, so every GitHub error ends up
 * here and becomes a warning rather than an exception.
 */

interface ErrorLike {
  status?: unknown;
  message?: unknown;
  response?: unknown;
  name?: unknown;
}

/**
 * A `GITHUB_TOKEN` without the permission answers 403 "Resource not accessible by integration";
 * that one case has a precise fix, so it gets its own message.
 */
export function isPermissionError(err: unknown): boolean {
  const e = err as ErrorLike | null;
  return e?.status === 403 && /not accessible by integration/i.test(String(e.message ?? ''));
}

export function describeApiError(err: unknown, apiUrl: string): string {
  const e = (err ?? {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (isPermissionError(err)) {
    return 'the token lacks the `deployments: write` permission (add `permissions: deployments: write` to the job); GitHub answered 403 Resource not accessible by integration';
  }
  // Octokit reports transport failures (refused, reset, DNS, timeout) as status 500 without a
  // response; saying "GitHub answered 500" would send the reader looking at GitHub's status page.
  if (e.response === undefined || typeof e.status !== 'number') {
    return `could not reach ${apiUrl}: ${message}`;
  }
  return `GitHub answered ${e.status}: ${message}`;
}

/** Removes the token from a message: GitHub error bodies and URLs are echoed into warnings. */
export function hideToken(message: string, token: string): string {
  return token.length >= 3 ? message.split(token).join('***') : message;
}
