import fs from 'node:fs';

/** What the runner tells us about this run, read once from its environment. */
export interface RunContext {
  sha: string;
  shortSha: string;
  ref: string;
  /** The branch being built: the pushed branch, or a pull request's head branch. */
  branch?: string;
  eventName: string;
  isPullRequest: boolean;
  defaultBranch: string;
  repository: string;
  serverUrl: string;
  runId?: string;
  runAttempt: number;
  actor?: string;
  workflow?: string;
  /** Link to this run, when the runner told us its id. */
  runUrl?: string;
  // The event payload is GitHub's, untyped by nature.
  payload: Record<string, unknown>;
}

export class ContextError extends Error {}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const sha = (env.GITHUB_SHA ?? '').trim();
  if (!/^[0-9a-f]{40}$/i.test(sha)) {
    throw new ContextError(
      `GITHUB_SHA is ${JSON.stringify(sha)}: expected a full 40-character commit SHA (the runner sets it; set it yourself when running locally).`,
    );
  }
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const eventName = env.GITHUB_EVENT_NAME ?? 'push';
  const ref = env.GITHUB_REF ?? '';
  const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target';
  const branch = isPullRequest
    ? env.GITHUB_HEAD_REF || undefined
    : ref.startsWith('refs/heads/')
      ? ref.slice('refs/heads/'.length)
      : undefined;
  const repo = payload.repository as { default_branch?: unknown } | undefined;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const runId = env.GITHUB_RUN_ID || undefined;
  return {
    sha: sha.toLowerCase(),
    shortSha: sha.slice(0, 7).toLowerCase(),
    ref,
    branch,
    eventName,
    isPullRequest,
    defaultBranch: typeof repo?.default_branch === 'string' ? repo.default_branch : 'main',
    repository,
    serverUrl,
    runId,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
    actor: env.GITHUB_ACTOR || undefined,
    workflow: env.GITHUB_WORKFLOW || undefined,
    runUrl: runId && repository ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
    payload,
  };
}

function readPayload(file: string | undefined): Record<string, unknown> {
  if (!file || !fs.existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new ContextError(`GITHUB_EVENT_PATH (${file}) is not valid JSON.`);
  }
}
