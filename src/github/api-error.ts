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
  /** GraphQL: HTTP 200 with `errors` in the body (Octokit's GraphqlResponseError). */
  errors?: unknown;
}

/** The messages of a GraphQL answer's `errors`, when the error is one. */
function graphqlErrors(err: unknown): Array<{ message: string; type?: string }> | undefined {
  const e = err as ErrorLike | null;
  if (e?.name !== 'GraphqlResponseError' || !Array.isArray(e.errors)) return undefined;
  return (e.errors as Array<{ message?: unknown; type?: unknown }>).map((x) => ({
    message: String(x.message ?? ''),
    type: typeof x.type === 'string' ? x.type : undefined,
  }));
}

/**
 * A `GITHUB_TOKEN` without the permission answers 403 "Resource not accessible by integration";
 * that one case has a precise fix, so it gets its own message.
 */
export function isPermissionError(err: unknown): boolean {
  const e = err as ErrorLike | null;
  const denied = (m: string): boolean => /not accessible by integration/i.test(m);
  // GraphQL answers a missing permission with 200 and an error of type FORBIDDEN.
  const gql = graphqlErrors(err);
  if (gql) return gql.some((x) => x.type === 'FORBIDDEN' || denied(x.message));
  return e?.status === 403 && denied(String(e.message ?? ''));
}

export function describeApiError(err: unknown, apiUrl: string, timeoutMs?: number): string {
  const e = (err ?? {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  // AbortSignal.timeout() ends fetch with a TimeoutError, which Octokit wraps as "Unknown Error".
  const cause = (e as { cause?: { name?: unknown } }).cause;
  if (e.name === 'TimeoutError' || cause?.name === 'TimeoutError') {
    const limit = timeoutMs === undefined ? '' : ` within ${timeoutMs / 1000} s`;
    return `no answer from ${apiUrl}${limit}; gave up so the deploy does not wait on GitHub`;
  }
  if (isPermissionError(err)) {
    return 'the token lacks the `deployments: write` permission (add `permissions: deployments: write` to the job); GitHub answered 403 Resource not accessible by integration';
  }
  const gql = graphqlErrors(err);
  if (gql) return `GitHub answered: ${gql.map((x) => x.message).join('; ')}`;
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
