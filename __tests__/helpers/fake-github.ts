import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for GitHub's deployments API on 127.0.0.1, for tests and benches that cannot
 * reach api.github.com. Point `GITHUB_API_URL` (or the client's `apiUrl`) at `url`. It records every
 * request so tests can assert exactly what was sent, keeps deployments and statuses in memory, and
 * answers chosen routes with chosen errors through `failNext` / `failAlways`.
 *
 * REST: the deployments and deployment-statuses routes. GraphQL (`POST /graphql`): the one query
 * shape the action sends, `repository(owner, name) { deployments(environments, first, orderBy) {
 * nodes { … } } }`, answering only the node fields asked for and refusing unknown ones as GitHub
 * does (HTTP 200 with `errors`).
 *
 * Every answer waits `latencyMs` (default 100 ms): a GitHub request from a hosted runner costs about
 * that, and a local fake answering in 1 ms would hide a design that makes dozens of calls.
 *
 * Deliberately not emulated: GitHub's own `auto_inactive` behaviour, auto-merge, required contexts,
 * pagination links, GraphQL beyond that query. The action turns those off or does not rely on them.
 */

export interface FakeRequest {
  method: string;
  /** Path with query string, e.g. `/repos/acme/app/deployments?environment=production&per_page=30`. */
  path: string;
  /** Parsed JSON body; undefined when there was none (or it was not JSON, see `rawBody`). */
  body: unknown;
  rawBody: string;
  /** Date.now() when the request arrived (traces place it among other events). */
  receivedAt: number;
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

export interface FakeGitHubOptions {
  /** Delay before every answer, in ms. Default 100, like a hosted runner's round trip to GitHub. */
  latencyMs?: number;
}

export interface FakeGitHub {
  url: string;
  /** Every request received, in order: its length is the request count. */
  requests: FakeRequest[];
  /** The most requests that were being answered at the same time (GitHub asks for one at a time). */
  readonly maxInFlight: number;
  latencyMs: number;
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

export const DEFAULT_LATENCY_MS = 100;

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  let latencyMs = opts.latencyMs ?? DEFAULT_LATENCY_MS;
  let inFlight = 0;
  let maxInFlight = 0;
  /** Answers being held back; close() drops them rather than keep the process alive. */
  const delays = new Set<NodeJS.Timeout>();
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
    if (url.pathname === '/graphql') {
      if (req.method !== 'POST') return notFound();
      return { status: 200, body: graphql(req.body, deployments) };
    }

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
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const req: FakeRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        body: parseJson(rawBody),
        rawBody,
        receivedAt: Date.now(),
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
      // The state changes at once (as GitHub's does); only the answer is late.
      if (latencyMs > 0)
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            delays.delete(t);
            resolve();
          }, latencyMs);
          delays.add(t);
        });
      inFlight--;
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
    get maxInFlight() {
      return maxInFlight;
    },
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = ms;
    },
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
      maxInFlight = inFlight;
      deployments.length = 0;
      overrides = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive connections from the client would otherwise hold close() open.
        for (const t of delays) clearTimeout(t);
        delays.clear();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** GitHub's GraphQL answer for a query or field it does not know (HTTP 200, `errors`). */
function graphqlError(message: string, type?: string): unknown {
  return { errors: [{ ...(type ? { type } : {}), message, locations: [{ line: 1, column: 1 }] }] };
}

/** The Deployment fields the fake can answer, as GitHub's GraphQL schema names them. */
const DEPLOYMENT_FIELDS: Record<string, (d: FakeDeployment) => unknown> = {
  databaseId: (d) => d.id,
  commitOid: (d) => d.sha,
  environment: (d) => d.environment,
  createdAt: (d) => d.created_at,
  description: (d) => d.description,
  // GraphQL's payload is a String: the JSON text of what was sent (a string payload, as other
  // tools send it, stays a string inside that JSON).
  payload: (d) => JSON.stringify(d.payload),
  latestStatus: (d) => {
    const s = d.statuses.at(-1);
    return s ? { state: s.state.toUpperCase() } : null;
  },
};

/**
 * Answers `repository(owner:, name:) { deployments(environments:, first:, orderBy:) { nodes {…} } }`.
 * Arguments may be variables (`$x`) or literals. Not a GraphQL parser: it reads that one shape.
 */
function graphql(body: unknown, deployments: FakeDeployment[]): unknown {
  const b = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof b.query !== 'string')
    return graphqlError('A query attribute must be specified and must be a string.');
  const query = b.query;
  const vars = b.variables ?? {};
  const arg = (args: string, name: string): unknown => {
    const m = new RegExp(`\\b${name}\\s*:\\s*(\\$\\w+|"[^"]*"|\\d+|\\[[^\\]]*\\]|\\{[^}]*\\})`).exec(args);
    if (!m) return undefined;
    const v = m[1] as string;
    if (v.startsWith('$')) return vars[v.slice(1)];
    if (v.startsWith('[')) {
      const items = v
        .slice(1, -1)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      return items.map((x) => (x.startsWith('$') ? vars[x.slice(1)] : JSON.parse(x)));
    }
    if (v.startsWith('{')) return v;
    return JSON.parse(v);
  };
  const repo = /repository\s*\(([^)]*)\)/.exec(query);
  const deps = /deployments\s*\(([^)]*)\)\s*\{\s*nodes\s*\{([^]*?)\}\s*\}\s*\}/.exec(
    query.replace(/latestStatus\s*\{\s*state\s*\}/, 'latestStatus'),
  );
  if (!repo || !deps)
    return graphqlError('fake GitHub: only repository { deployments { nodes } } is emulated');
  const owner = arg(repo[1] as string, 'owner');
  const name = arg(repo[1] as string, 'name');
  // Every repository exists here (with no deployments until one is created).
  const repository = deployments.filter((d) => d.repository === `${String(owner)}/${String(name)}`);
  const args = deps[1] as string;
  const environments = arg(args, 'environments') as string[] | undefined;
  const first = Number(arg(args, 'first'));
  if (!Number.isInteger(first) || first < 1 || first > 100)
    return graphqlError(
      'You must provide a `first` or `last` value between 1 and 100 to properly paginate the `deployments` connection.',
    );
  const order = String(arg(args, 'orderBy') ?? '');
  const newestFirst = /field\s*:\s*CREATED_AT/.test(order) && /direction\s*:\s*DESC/.test(order);
  const fields = (deps[2] as string).split(/\s+/).filter(Boolean);
  const unknown = fields.find((f) => !(f in DEPLOYMENT_FIELDS));
  if (unknown) return graphqlError(`Field '${unknown}' doesn't exist on type 'Deployment'`, 'undefinedField');
  const list = repository
    .filter((d) => !environments || environments.includes(d.environment))
    // GitHub's default order is oldest first.
    .sort((x, y) => (newestFirst ? y.id - x.id : x.id - y.id))
    .slice(0, first);
  const nodes = list.map((d) => Object.fromEntries(fields.map((f) => [f, DEPLOYMENT_FIELDS[f]!(d)])));
  return { data: { repository: { deployments: { nodes } } } };
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
