import { getOctokit } from '@actions/github';
import { describeApiError, hideToken } from './api-error';

/**
 * GitHub deployments and their statuses: the "Deployments" box on the repository page and the
 * environment's history. This is an edge module: it talks to the API and nothing else, and it
 * never throws, because a missing permission or a GitHub outage must not fail (or roll back) a
 * deploy that otherwise worked. Every problem becomes one warning.
 */

export interface DeploymentRecord {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
  /** State of the latest status (`success`, `failure`, `inactive`, `in_progress`, …). */
  state?: string;
  /** From the payload this module writes: `<image>@<digest>` and `<image>:<sha>`. */
  imageRef?: string;
  image?: string;
}

export interface GitHubDeploymentsOptions {
  token: string;
  /** `owner/name`, as in GITHUB_REPOSITORY. */
  repository: string;
  /** Defaults to GITHUB_API_URL, then https://api.github.com (GHES and the tests' fake set it). */
  apiUrl?: string;
  warn: (msg: string) => void;
  log?: (msg: string) => void;
  /** Per request; a hung API must not hold the job until its 6-hour limit. Default 30 s. */
  timeoutMs?: number;
}

export interface StartParams {
  sha: string;
  /** What GitHub records as the deployed ref; defaults to the sha so a later push cannot change it. */
  ref?: string;
  environment: string;
  description: string;
  payload: Record<string, string>;
  logUrl?: string;
}

export interface FinishParams {
  environmentUrl?: string;
  logUrl?: string;
  description?: string;
  environment: string;
}

type Octokit = ReturnType<typeof getOctokit>;

/** GitHub rejects status descriptions over 140 characters with a 422. */
const MAX_STATUS_DESCRIPTION = 140;
/** One page: enough to find the live deployment and recent history without paginating. */
const HISTORY_PAGE = 30;

export class GitHubDeployments {
  private readonly octokit?: Octokit;
  private readonly owner: string;
  private readonly repo: string;
  private readonly apiUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly warnFn: (msg: string) => void;
  private readonly logFn: (msg: string) => void;
  /** Why no request can be made (no token, bad repository); reported by each call instead. */
  private readonly unusable?: string;

  constructor(opts: GitHubDeploymentsOptions) {
    this.token = opts.token;
    this.apiUrl = (opts.apiUrl || process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.warnFn = opts.warn;
    this.logFn = opts.log ?? (() => undefined);
    const [owner = '', repo = '', ...rest] = opts.repository.split('/');
    this.owner = owner;
    this.repo = repo;
    if (!owner || !repo || rest.length > 0) {
      this.unusable = `repository ${JSON.stringify(opts.repository)} is not owner/name`;
    } else if (!opts.token) {
      this.unusable = 'no github-token';
    } else {
      this.octokit = getOctokit(opts.token, { baseUrl: this.apiUrl });
    }
  }

  async start(p: StartParams): Promise<number | undefined> {
    const what = `GitHub deployment for ${p.environment} not created`;
    const octokit = this.client(what);
    if (!octokit) return undefined;
    let id: number;
    try {
      const res = await octokit.rest.repos.createDeployment({
        ...this.repoParams(),
        ref: p.ref ?? p.sha,
        environment: p.environment,
        description: p.description,
        payload: p.payload,
        // Our own gate already ran; GitHub's commit-status check would refuse or delay the record.
        required_contexts: [],
        // Merging the default branch into the ref would deploy a commit we did not build.
        auto_merge: false,
        transient_environment: false,
      });
      // 202 means GitHub merged or queued instead of creating; with auto_merge off it should not
      // happen, but a body without an id is no deployment.
      if (!('id' in res.data)) {
        this.warn(`${what}: GitHub answered ${res.status}: ${res.data.message ?? 'no deployment id'}`);
        return undefined;
      }
      id = res.data.id;
    } catch (err) {
      this.warn(`${what}: ${describeApiError(err, this.apiUrl)}`);
      return undefined;
    }
    this.logFn(`GitHub deployment ${id} created for ${p.environment}`);
    // The deployment exists even if this status fails, so the id is still returned for finish().
    await this.postStatus(id, { state: 'in_progress', log_url: p.logUrl, description: p.description });
    return id;
  }

  async finish(id: number, state: 'success' | 'failure', p: FinishParams): Promise<void> {
    if (!this.client(`GitHub deployment ${id} not marked ${state}`)) return;
    const posted =
      state === 'success'
        ? await this.postStatus(id, {
            state,
            environment_url: p.environmentUrl,
            log_url: p.logUrl,
            description: p.description,
            // GitHub only auto-inactivates non-production environments; we do it ourselves below
            // for every environment, so the behaviour does not depend on the environment's name.
            auto_inactive: false,
          })
        : await this.postStatus(id, { state, log_url: p.logUrl, description: p.description });
    if (posted) this.logFn(`GitHub deployment ${id} marked ${state}`);
    if (posted && state === 'success') await this.deactivatePrevious(id, p.environment);
  }

  async history(environment: string): Promise<DeploymentRecord[]> {
    const what = `GitHub deployment history of ${environment} unavailable`;
    if (!this.client(what)) return [];
    try {
      return await this.list(environment);
    } catch (err) {
      this.warn(`${what}: ${describeApiError(err, this.apiUrl)}`);
      return [];
    }
  }

  /** Newest first (GitHub's order), each with its latest status; throws on API errors. */
  private async list(environment: string): Promise<DeploymentRecord[]> {
    const octokit = this.octokit as Octokit;
    const { data } = await octokit.rest.repos.listDeployments({
      ...this.repoParams(),
      environment,
      per_page: HISTORY_PAGE,
    });
    const records: DeploymentRecord[] = [];
    // One at a time: GitHub asks integrations not to make concurrent requests (secondary limits).
    for (const d of data) {
      records.push({
        id: d.id,
        sha: d.sha,
        environment: d.environment,
        createdAt: d.created_at,
        state: await this.latestState(d.id),
        imageRef: payloadField(d.payload, 'image_ref'),
        image: payloadField(d.payload, 'image'),
      });
    }
    return records;
  }

  private async latestState(id: number): Promise<string | undefined> {
    const octokit = this.octokit as Octokit;
    const { data } = await octokit.rest.repos.listDeploymentStatuses({
      ...this.repoParams(),
      deployment_id: id,
      per_page: 1,
    });
    return data[0]?.state;
  }

  /**
   * Marks the deployment that was live before `id` as `inactive`, so the environment shows one
   * active deployment. Walks older deployments newest first and stops at the first successful one:
   * anything older was deactivated when that one succeeded.
   */
  private async deactivatePrevious(id: number, environment: string): Promise<void> {
    const octokit = this.octokit as Octokit;
    try {
      const { data } = await octokit.rest.repos.listDeployments({
        ...this.repoParams(),
        environment,
        per_page: HISTORY_PAGE,
      });
      // Ids grow over time; a newer one would be a concurrent deploy, not the one we replaced.
      for (const d of data.filter((x) => x.id < id)) {
        if ((await this.latestState(d.id)) !== 'success') continue;
        const ok = await this.postStatus(d.id, {
          state: 'inactive',
          description: `Superseded by deployment ${id}`,
        });
        if (ok) this.logFn(`GitHub deployment ${d.id} marked inactive`);
        return;
      }
    } catch (err) {
      this.warn(
        `previous GitHub deployment of ${environment} not marked inactive: ${describeApiError(err, this.apiUrl)}`,
      );
    }
  }

  /** Posts one status; false after a warning. */
  private async postStatus(
    id: number,
    s: {
      state: 'in_progress' | 'success' | 'failure' | 'inactive';
      description?: string;
      log_url?: string;
      environment_url?: string;
      auto_inactive?: boolean;
    },
  ): Promise<boolean> {
    const octokit = this.octokit as Octokit;
    try {
      await octokit.rest.repos.createDeploymentStatus({
        ...this.repoParams(),
        deployment_id: id,
        ...s,
        description: s.description === undefined ? undefined : truncate(s.description),
      });
      return true;
    } catch (err) {
      this.warn(`GitHub deployment ${id} not marked ${s.state}: ${describeApiError(err, this.apiUrl)}`);
      return false;
    }
  }

  private repoParams(): {
    owner: string;
    repo: string;
    headers: Record<string, string>;
    request: { signal: AbortSignal };
  } {
    return {
      owner: this.owner,
      repo: this.repo,
      headers: { accept: 'application/vnd.github+json' },
      // A fresh signal per request: the timeout bounds each call, not the whole walk.
      request: { signal: AbortSignal.timeout(this.timeoutMs) },
    };
  }

  private client(what: string): Octokit | undefined {
    if (this.unusable !== undefined || !this.octokit) {
      this.warn(`${what}: ${this.unusable ?? 'no client'}`);
      return undefined;
    }
    return this.octokit;
  }

  private warn(message: string): void {
    this.warnFn(hideToken(message, this.token));
  }
}

/** The payload comes back as the object we sent, or as a JSON string from other tools. */
function payloadField(payload: unknown, key: string): string | undefined {
  let obj = payload;
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof obj !== 'object' || obj === null) return undefined;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function truncate(text: string): string {
  return text.length <= MAX_STATUS_DESCRIPTION ? text : `${text.slice(0, MAX_STATUS_DESCRIPTION - 1)}…`;
}
