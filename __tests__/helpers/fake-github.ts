import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for GitHub's deployments API on 127.0.0.1, for tests that cannot reach
 * api.github.com. Point `GITHUB_API_URL` (or the client's `apiUrl`) at `url`. It records every
 * request so tests can assert exactly what was sent, keeps deployments and statuses in memory, and
 * answers chosen routes with chosen errors through `failNext` / `failAlways`.
 *
 * Deliberately not emulated: GitHub's own `auto_inactive` behaviour, auto-merge, required contexts,
 * pagination links. The action turns those off or does not rely on them.
 */

export interface FakeRequest {
  method: string;
  /** Path with query string, e.g. `/repos/acme/app/deployments?environment=production&per_page=30`. */
  path: string;
  /** Parsed JSON body; undefined when there was none (or it was not JSON, see `rawBody`). */
  body: unknown;
  rawBody: string;
  headers: { authorization?: string; accept?: string; 'user-agent'?: string };
}

export interface FakeStatus {
  id: number;
  state: string;
  description: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

export interface FakeDeployment {
  id: number;
  /** `owner/name` the deployment belongs to. */
  repository: string;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  payload: unknown;
  created_at: string;
  /** Oldest first, as posted; GitHub lists them newest first. */
  statuses: FakeStatus[];
}

export interface SeedDeployment {
  repository?: string;
  sha: string;
  ref?: string;
  environment?: string;
  payload?: Record<string, unknown>;
  /** Status states to post, oldest first, e.g. ['in_progress', 'success']. */
  states?: string[];
  description?: string;
}

interface Override {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
  times: number;
}

export interface FakeGitHub {
  url: string;
  requests: FakeRequest[];
  deployments: FakeDeployment[];
  /** Answers the next request matching method (or '*') and path (matched against path+query). */
  failNext(method: string, path: RegExp, status: number, body?: unknown): void;
  /** Same, for every matching request until `reset()`. */
  failAlways(method: string, path: RegExp, status: number, body?: unknown): void;
  /** Adds an existing deployment (with statuses) as if an earlier run had created it. */
  seed(d: SeedDeployment): FakeDeployment;
  /** Requests whose method and path match, in order. */
  find(method: string, path: RegExp): FakeRequest[];
  /** Forgets requests, deployments and overrides (the port stays). */
  reset(): void;
  close(): Promise<void>;
}

/** GitHub's body for a token without the needed permission (e.g. `deployments: write`). */
export const FORBIDDEN_BODY = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
  status: '403',
};

export const SERVER_ERROR_BODY = { message: 'Server Error' };

const STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: FakeRequest[] = [];
  const deployments: FakeDeployment[] = [];
  let overrides: Override[] = [];
  let nextId = 1000;
  let nextStatusId = 5000;
  // Strictly increasing timestamps so "newest first" is unambiguous even within one millisecond.
  let clock = Date.parse('2024-01-01T00:00:00Z');
  const now = (): string => new Date((clock += 1000)).toISOString();

  const addStatus = (d: FakeDeployment, b: Record<string, unknown>): FakeStatus => {
    const status: FakeStatus = {
      id: nextStatusId++,
      state: String(b.state),
      description: str(b.description),
      environment_url: str(b.environment_url),
      log_url: str(b.log_url ?? b.target_url),
      created_at: now(),
    };
    d.statuses.push(status);
    return status;
  };

  const createDeployment = (repository: string, b: Record<string, unknown>): FakeDeployment => {
    const d: FakeDeployment = {
      id: nextId++,
      repository,
      // The fake treats a 40-hex ref as the sha; GitHub would resolve branch names.
      sha: typeof b.sha === 'string' ? b.sha : str(b.ref),
      ref: str(b.ref),
      environment: typeof b.environment === 'string' ? b.environment : 'production',
      description: typeof b.description === 'string' ? b.description : null,
      payload: b.payload ?? {},
      created_at: now(),
      statuses: [],
    };
    deployments.push(d);
    return d;
  };

  const route = (req: FakeRequest): { status: number; body: unknown } => {
    const url = new URL(req.path, 'http://fake');
    const q = url.searchParams;
    if (!req.headers.authorization) return { status: 401, body: { message: 'Requires authentication' } };

    const m = /^\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(\/statuses)?)?\/?$/.exec(url.pathname);
    if (!m) return notFound();
    const repository = `${m[1]}/${m[2]}`;
    const id = m[3] === undefined ? undefined : Number(m[3]);
    const wantsStatuses = m[4] !== undefined;
    const body = (req.body ?? {}) as Record<string, unknown>;

    if (id === undefined) {
      if (req.method === 'POST') {
        if (typeof body.ref !== 'string' || body.ref === '') return invalid('ref');
        return { status: 201, body: deploymentJson(createDeployment(repository, body)) };
      }
      if (req.method !== 'GET') return notFound();
      const list = deployments
        .filter((d) => d.repository === repository)
        .filter((d) => !q.has('environment') || d.environment === q.get('environment'))
        .filter((d) => !q.has('sha') || d.sha === q.get('sha'))
        .filter((d) => !q.has('ref') || d.ref === q.get('ref'))
        .sort((a, b) => b.id - a.id);
      return { status: 200, body: page(list, q).map(deploymentJson) };
    }

    const d = deployments.find((x) => x.id === id && x.repository === repository);
    if (!d) return notFound();
    if (!wantsStatuses) return req.method === 'GET' ? { status: 200, body: deploymentJson(d) } : notFound();
    if (req.method === 'POST') {
      if (!STATES.has(String(body.state))) return invalid('state');
      return { status: 201, body: addStatus(d, body) };
    }
    if (req.method !== 'GET') return notFound();
    return { status: 200, body: page([...d.statuses].reverse(), q) };
  };

  const server = http.createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const req: FakeRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        body: parseJson(rawBody),
        rawBody,
        headers: {
          authorization: incoming.headers.authorization,
          accept: incoming.headers.accept,
          'user-agent': incoming.headers['user-agent'],
        },
      };
      requests.push(req);
      const o = overrides.find((x) => (x.method === '*' || x.method === req.method) && x.path.test(req.path));
      let answer: { status: number; body: unknown };
      if (o) {
        if (--o.times <= 0) overrides = overrides.filter((x) => x !== o);
        answer = { status: o.status, body: o.body };
      } else {
        answer = route(req);
      }
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const override = (method: string, path: RegExp, status: number, body: unknown, times: number): void => {
    overrides.push({ method: method.toUpperCase(), path, status, body: body ?? defaultBody(status), times });
  };

  return {
    url,
    requests,
    deployments,
    failNext: (method, path, status, body) => override(method, path, status, body, 1),
    failAlways: (method, path, status, body) => override(method, path, status, body, Infinity),
    seed: (s) => {
      const d = createDeployment(s.repository ?? 'acme/app', {
        sha: s.sha,
        ref: s.ref ?? s.sha,
        environment: s.environment ?? 'production',
        payload: s.payload ?? {},
        description: s.description,
      });
      for (const state of s.states ?? []) addStatus(d, { state });
      return d;
    },
    find: (method, path) =>
      requests.filter((r) => (method === '*' || r.method === method.toUpperCase()) && path.test(r.path)),
    reset: () => {
      requests.length = 0;
      deployments.length = 0;
      overrides = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive connections from the client would otherwise hold close() open.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function deploymentJson(d: FakeDeployment): Record<string, unknown> {
  return {
    id: d.id,
    sha: d.sha,
    ref: d.ref,
    task: 'deploy',
    environment: d.environment,
    original_environment: d.environment,
    description: d.description,
    payload: d.payload,
    created_at: d.created_at,
    updated_at: d.statuses.at(-1)?.created_at ?? d.created_at,
    transient_environment: false,
    production_environment: d.environment === 'production',
  };
}

function page<T>(items: T[], q: URLSearchParams): T[] {
  const perPage = Math.min(Number(q.get('per_page')) || 30, 100);
  const n = Math.max(Number(q.get('page')) || 1, 1);
  return items.slice((n - 1) * perPage, n * perPage);
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function notFound(): { status: number; body: unknown } {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}

function invalid(field: string): { status: number; body: unknown } {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [{ resource: 'Deployment', field, code: 'invalid' }] },
  };
}

function defaultBody(status: number): unknown {
  if (status === 403) return FORBIDDEN_BODY;
  if (status >= 500) return SERVER_ERROR_BODY;
  return { message: http.STATUS_CODES[status] ?? 'Error' };
}
