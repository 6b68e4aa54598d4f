"use strict";
exports.id = 502;
exports.ids = [502];
exports.modules = {

/***/ 4502:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubDeployments: () => (/* binding */ GitHubDeployments)
});

// UNUSED EXPORTS: HISTORY_QUERY

// EXTERNAL MODULE: ../../node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(1329);
;// CONCATENATED MODULE: ../github/api-error.ts
/**
 * Turns what Octokit throws into one sentence for a warning. Deployment records are a courtesy to
 * the reader of the repository page, never a reason to fail a deploy, so every GitHub error ends up
 * here and becomes a warning rather than an exception.
 */
/** The messages of a GraphQL answer's `errors`, when the error is one. */
function graphqlErrors(err) {
    const e = err;
    if (e?.name !== 'GraphqlResponseError' || !Array.isArray(e.errors))
        return undefined;
    return e.errors.map((x) => ({
        message: String(x.message ?? ''),
        type: typeof x.type === 'string' ? x.type : undefined,
    }));
}
/**
 * A `GITHUB_TOKEN` without the permission answers 403 "Resource not accessible by integration";
 * that one case has a precise fix, so it gets its own message.
 */
function isPermissionError(err) {
    const e = err;
    const denied = (m) => /not accessible by integration/i.test(m);
    // GraphQL answers a missing permission with 200 and an error of type FORBIDDEN.
    const gql = graphqlErrors(err);
    if (gql)
        return gql.some((x) => x.type === 'FORBIDDEN' || denied(x.message));
    return e?.status === 403 && denied(String(e.message ?? ''));
}
function describeApiError(err, apiUrl, timeoutMs) {
    const e = (err ?? {});
    const message = typeof e.message === 'string' ? e.message : String(err);
    // AbortSignal.timeout() ends fetch with a TimeoutError, which Octokit wraps as "Unknown Error".
    const cause = e.cause;
    if (e.name === 'TimeoutError' || cause?.name === 'TimeoutError') {
        const limit = timeoutMs === undefined ? '' : ` within ${timeoutMs / 1000} s`;
        return `no answer from ${apiUrl}${limit}; gave up so the deploy does not wait on GitHub`;
    }
    if (isPermissionError(err)) {
        return 'the token lacks the `deployments: write` permission (add `permissions: deployments: write` to the job); GitHub answered 403 Resource not accessible by integration';
    }
    const gql = graphqlErrors(err);
    if (gql)
        return `GitHub answered: ${gql.map((x) => x.message).join('; ')}`;
    // Octokit reports transport failures (refused, reset, DNS, timeout) as status 500 without a
    // response; saying "GitHub answered 500" would send the reader looking at GitHub's status page.
    if (e.response === undefined || typeof e.status !== 'number') {
        return `could not reach ${apiUrl}: ${message}`;
    }
    return `GitHub answered ${e.status}: ${message}`;
}
/** Removes the token from a message: GitHub error bodies and URLs are echoed into warnings. */
function hideToken(message, token) {
    return token.length >= 3 ? message.split(token).join('***') : message;
}

;// CONCATENATED MODULE: ../github/deployments.ts


/** GitHub rejects status descriptions over 140 characters with a 422. */
const MAX_STATUS_DESCRIPTION = 140;
/** One page: enough to find the live deployment and recent history without paginating. */
const HISTORY_PAGE = 30;
/**
 * Per request. The history read is the one call a deploy waits for (and only when it has not
 * arrived by the deploy stage); the others run beside the deploy or after it. A hung API must not
 * hold the job, so every call gives up after this and becomes a warning.
 */
const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * The environment's history in one round trip: each deployment with its sha, payload and latest
 * status (the REST API needs one more request per deployment for the status).
 */
const HISTORY_QUERY = `query SafeDeployHistory($owner: String!, $name: String!, $environment: String!, $first: Int!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$environment], first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes {
        databaseId
        commitOid
        environment
        createdAt
        payload
        latestStatus {
          state
        }
      }
    }
  }
}`;
class GitHubDeployments {
    octokit;
    owner;
    repo;
    apiUrl;
    token;
    timeoutMs;
    warnFn;
    logFn;
    /** Why no request can be made (no token, bad repository); reported by each call instead. */
    unusable;
    /** A history read started ahead of need (`prefetchHistory`), taken by the next `history()`. */
    prefetched;
    /** The last history read that succeeded: `finish` finds the deployment it replaces there. */
    lastHistory;
    constructor(opts) {
        this.token = opts.token;
        this.apiUrl = (opts.apiUrl || process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
        this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        this.warnFn = opts.warn;
        this.logFn = opts.log ?? (() => undefined);
        const [owner = '', repo = '', ...rest] = opts.repository.split('/');
        this.owner = owner;
        this.repo = repo;
        if (!owner || !repo || rest.length > 0) {
            this.unusable = `repository ${JSON.stringify(opts.repository)} is not owner/name`;
        }
        else if (!opts.token) {
            this.unusable = 'no github-token';
        }
        else {
            this.octokit = (0,github/* getOctokit */.Q)(opts.token, { baseUrl: this.apiUrl });
        }
    }
    async start(p) {
        const what = `GitHub deployment for ${p.environment} not created`;
        const octokit = this.client(what);
        if (!octokit)
            return undefined;
        let id;
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
        }
        catch (err) {
            this.warn(`${what}: ${describeApiError(err, this.apiUrl, this.timeoutMs)}`);
            return undefined;
        }
        this.logFn(`GitHub deployment ${id} created for ${p.environment}`);
        // The deployment exists even if this status fails, so the id is still returned for finish().
        await this.postStatus(id, { state: 'in_progress', log_url: p.logUrl, description: p.description });
        return id;
    }
    async finish(id, state, p) {
        if (!this.client(`GitHub deployment ${id} not marked ${state}`))
            return;
        if (state === 'failure') {
            if (await this.postStatus(id, { state, log_url: p.logUrl, description: p.description }))
                this.logFn(`GitHub deployment ${id} marked ${state}`);
            return;
        }
        // The previous deployment is no longer live whatever becomes of this status, so both go at
        // once: one round trip at the end of every deploy instead of two (~100 ms each from a runner).
        await Promise.all([
            this.postStatus(id, {
                state,
                environment_url: p.environmentUrl,
                log_url: p.logUrl,
                description: p.description,
                // GitHub only auto-inactivates non-production environments; we do it ourselves for
                // every environment, so the behaviour does not depend on the environment's name.
                auto_inactive: false,
            }).then((posted) => posted && this.logFn(`GitHub deployment ${id} marked ${state}`)),
            this.deactivatePrevious(id, p.environment),
        ]);
    }
    /**
     * Starts reading the history now, while other work goes on; the next `history()` of the same
     * environment takes this answer instead of asking again.
     */
    prefetchHistory(environment) {
        if (!this.octokit || this.unusable !== undefined)
            return;
        this.prefetched = { environment, records: this.read(environment) };
    }
    /** Newest first, each with its latest status; [] after a warning when GitHub cannot say. */
    async history(environment) {
        const what = `GitHub deployment history of ${environment} unavailable`;
        if (!this.client(what))
            return [];
        const pending = this.prefetched?.environment === environment ? this.prefetched.records : undefined;
        this.prefetched = undefined;
        return (await (pending ?? this.read(environment))) ?? [];
    }
    /** One GraphQL request; undefined after a warning. */
    async read(environment) {
        try {
            const records = await this.list(environment);
            this.lastHistory = { environment, records };
            return records;
        }
        catch (err) {
            this.warn(`GitHub deployment history of ${environment} unavailable: ${describeApiError(err, this.apiUrl, this.timeoutMs)}`);
            return undefined;
        }
    }
    /** Newest first (GitHub's order), each with its latest status; throws on API errors. */
    async list(environment) {
        const octokit = this.octokit;
        const answer = await octokit.graphql(HISTORY_QUERY, {
            owner: this.owner,
            name: this.repo,
            environment,
            first: HISTORY_PAGE,
            request: { signal: AbortSignal.timeout(this.timeoutMs) },
        });
        if (!answer.repository)
            throw new Error(`repository ${this.owner}/${this.repo} not found`);
        const records = [];
        for (const d of answer.repository.deployments.nodes) {
            // databaseId is the REST id statuses are posted to; a node without one cannot be used.
            if (!d || d.databaseId === null)
                continue;
            records.push({
                id: d.databaseId,
                sha: d.commitOid,
                environment: d.environment ?? environment,
                createdAt: d.createdAt,
                // GraphQL spells states in capitals (SUCCESS); REST and the rest of this module do not.
                state: d.latestStatus?.state.toLowerCase(),
                imageRef: payloadField(d.payload, 'image_ref'),
                image: payloadField(d.payload, 'image'),
            });
        }
        return records;
    }
    /**
     * Marks the deployment that was live before `id` as `inactive`, so the environment shows one
     * active deployment: the newest older one whose latest status is success (anything older was
     * deactivated when that one succeeded).
     */
    async deactivatePrevious(id, environment) {
        // The history this run already read says which deployment was live; only without it (no read
        // this run, or a failed one) is it asked again, still in one request.
        let records = this.lastHistory?.environment === environment ? this.lastHistory.records : undefined;
        if (!records) {
            try {
                records = await this.list(environment);
            }
            catch (err) {
                this.warn(`previous GitHub deployment of ${environment} not marked inactive: ${describeApiError(err, this.apiUrl, this.timeoutMs)}`);
                return;
            }
        }
        // Ids grow over time; a newer one would be a concurrent deploy, not the one we replaced.
        const previous = records.find((d) => d.id < id && d.state === 'success');
        if (!previous)
            return;
        const ok = await this.postStatus(previous.id, {
            state: 'inactive',
            description: `Superseded by deployment ${id}`,
        });
        if (ok)
            this.logFn(`GitHub deployment ${previous.id} marked inactive`);
    }
    /** Posts one status; false after a warning. */
    async postStatus(id, s) {
        const octokit = this.octokit;
        try {
            await octokit.rest.repos.createDeploymentStatus({
                ...this.repoParams(),
                deployment_id: id,
                ...s,
                description: s.description === undefined ? undefined : truncate(s.description),
            });
            return true;
        }
        catch (err) {
            this.warn(`GitHub deployment ${id} not marked ${s.state}: ${describeApiError(err, this.apiUrl, this.timeoutMs)}`);
            return false;
        }
    }
    repoParams() {
        return {
            owner: this.owner,
            repo: this.repo,
            headers: { accept: 'application/vnd.github+json' },
            // A fresh signal per request: the timeout bounds each call, not the whole walk.
            request: { signal: AbortSignal.timeout(this.timeoutMs) },
        };
    }
    client(what) {
        if (this.unusable !== undefined || !this.octokit) {
            this.warn(`${what}: ${this.unusable ?? 'no client'}`);
            return undefined;
        }
        return this.octokit;
    }
    warn(message) {
        this.warnFn(hideToken(message, this.token));
    }
}
/**
 * GraphQL gives the payload as JSON text; a tool that sent the payload as a string (JSON text
 * itself) gets it back encoded twice. Both decode here; anything else has no fields.
 */
function payloadField(payload, key) {
    let obj = payload;
    for (let i = 0; i < 2 && typeof obj === 'string'; i++) {
        try {
            obj = JSON.parse(obj);
        }
        catch {
            return undefined;
        }
    }
    if (typeof obj !== 'object' || obj === null)
        return undefined;
    const v = obj[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
}
function truncate(text) {
    return text.length <= MAX_STATUS_DESCRIPTION ? text : `${text.slice(0, MAX_STATUS_DESCRIPTION - 1)}…`;
}


/***/ })

};
;