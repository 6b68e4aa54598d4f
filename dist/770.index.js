"use strict";
exports.id = 770;
exports.ids = [770];
exports.modules = {

/***/ 1770:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createKubernetesTarget: () => (/* binding */ createKubernetesTarget),
  createTarget: () => (/* binding */ createTarget),
  repositoryName: () => (/* binding */ repositoryName)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ../util/shell.ts
var shell = __webpack_require__(1162);
;// CONCATENATED MODULE: ../deploy/command-target.ts

/**
 * `deploy-to: command`: the user's own command does the deploy (Fly, Render, ECS, kubectl, ssh…).
 * Every value reaches it only as an environment variable, never spliced into the command text, so
 * a hostile branch name or commit message cannot run anything.
 */
function commandTarget(c) {
    const run = async (name, command, v, before) => {
        const env = {
            IMAGE: v.image,
            IMAGE_TAG: c.repository ? `${c.repository}:${v.sha}` : v.image,
            SHA: v.sha,
            PREVIOUS_IMAGE: before?.image ?? '',
            PREVIOUS_SHA: before?.sha ?? '',
            ENVIRONMENT: c.environment,
        };
        c.log.info(`Running ${name} for ${v.sha.slice(0, 7)} (${v.image})…`);
        const res = await (0,shell/* runShell */.E)(command, { cwd: c.cwd, env, tailLines: 50 });
        const ok = res.exitCode === 0;
        return {
            ok,
            detail: ok ? `${name} put ${v.sha.slice(0, 7)} live` : `${name} exited with code ${res.exitCode}`,
            previous: before,
            current: ok ? v : before,
            url: c.url,
            command: { name, exitCode: res.exitCode, tail: res.tail },
        };
    };
    return {
        kind: 'command',
        // Nothing to reach ahead: the user's command is the target.
        preflight: async () => undefined,
        where: 'deploy-command',
        state: async () => ({ live: await c.live(), retained: [] }),
        deploy: (v, live) => run('deploy-command', c.deployCommand, v, live),
        restore: (v, failed) => c.rollbackCommand
            ? run('rollback-command', c.rollbackCommand, v, failed)
            : run('deploy-command', c.deployCommand, v, failed),
        plan: (v, live, restore) => {
            const name = restore && c.rollbackCommand ? 'rollback-command' : 'deploy-command';
            return [
                `run ${name} with IMAGE=${v.image} SHA=${v.sha} PREVIOUS_SHA=${live?.sha ?? ''} ENVIRONMENT=${c.environment}`,
            ];
        },
    };
}

// EXTERNAL MODULE: ../deploy/docker/index.ts + 19 modules
var docker = __webpack_require__(9909);
// EXTERNAL MODULE: ../deploy/docker/defaults.ts
var defaults = __webpack_require__(6992);
;// CONCATENATED MODULE: ../deploy/docker-target.ts


/** `deploy-to: docker`: the zero-downtime engine in src/deploy/docker. */
function dockerTarget(config) {
    // One engine client (one SSH connection) for every call of the run.
    let client;
    const c = {
        ...config,
        get docker() {
            return (client ??= config.docker ?? (0,docker.dockerFromHost)(config.host, config.sshKey, config.sshKnownHosts));
        },
    };
    const outcome = (r) => ({
        ok: r.status !== 'failed',
        detail: r.detail,
        cancelled: r.cancelled,
        previous: r.previous,
        current: r.current,
        url: r.url,
        docker: r,
    });
    /**
     * One decision for deploy, restore and plan: a retained container of `v` (not the live one)
     * restarts in a second with no pull and no new copy pushing older versions out of `retain`;
     * otherwise the image runs again in a new container.
     */
    const retained = (v, live) => v.container && v.container !== live?.container ? v.container : undefined;
    /**
     * The live state read by `state()`, handed to the deploy that follows: as is while `lock()` is
     * held (nothing can have changed it), else re-validated under the deploy's own lock.
     */
    let snapshot;
    let held = false;
    const put = async (v, live, signal, known) => {
        const container = retained(v, live);
        return outcome(container
            ? await (0,docker.rollbackDocker)({ ...c, signal, to: container, known, lockHeld: held })
            : await (0,docker.deployDocker)({
                ...c,
                signal,
                lockHeld: held,
                image: v.image,
                sha: v.sha,
                known,
                port: c.port,
                env: c.env,
                volumes: c.volumes,
            }));
    };
    /** What serves now, in words, for a failure that must say it. */
    const liveNow = async () => {
        try {
            const { live } = await (0,docker.readDockerState)({ ...c, signal: undefined });
            return live ? `${live.sha.slice(0, 7)} in ${live.container}` : 'nothing';
        }
        catch (err) {
            return `unknown (${err instanceof Error ? err.message : String(err)})`;
        }
    };
    /**
     * A way back always: the retained container; when it is gone or will not come up, the
     * previous image (by digest) in a new container; only when both fail, a loud failure that
     * names what is live now.
     */
    const restore = async (v, failed) => {
        const container = retained(v, failed);
        let first;
        if (container) {
            first = outcome(await (0,docker.rollbackDocker)({ ...c, signal: undefined, to: container, lockHeld: held }));
            if (first.ok || first.cancelled || !v.image)
                return first;
            c.log?.(`could not put ${container} back (${first.detail}); running ${v.image} in a new container`);
        }
        const again = outcome(await (0,docker.deployDocker)({
            ...c,
            signal: undefined,
            lockHeld: held,
            image: v.image,
            sha: v.sha,
            port: c.port,
            env: c.env,
            volumes: c.volumes,
        }));
        if (again.ok) {
            return first
                ? {
                    ...again,
                    detail: `${again.detail} (the retained container ${container} could not be used: ${first.detail})`,
                }
                : again;
        }
        const tried = [
            first && `restarting ${container}: ${first.detail}`,
            `running ${v.image || 'its image'}: ${again.detail}`,
        ]
            .filter(Boolean)
            .join('; ');
        return {
            ...again,
            detail: `no way back to ${v.sha.slice(0, 7)} worked (${tried}); live now: ${await liveNow()}`,
        };
    };
    return {
        kind: 'docker',
        where: c.where,
        preflight: () => (0,docker.preflightDocker)(c),
        lock: async () => {
            const release = await (0,docker.holdDockerLock)(c);
            held = true;
            return async () => {
                held = false;
                snapshot = undefined; // read under a lock no longer held
                await release();
            };
        },
        state: async () => {
            const s = await (0,docker.readDockerState)(c, held);
            snapshot = s.snapshot;
            return s;
        },
        deploy: async (v, live) => {
            const known = snapshot;
            snapshot = undefined; // after this deploy it no longer describes the host
            return put(v, live, c.signal, known);
        },
        // Not cancellable: a half-done rollback is worse than a finished one.
        restore,
        plan: (v, live) => {
            const proxy = c.proxy === 'none'
                ? 'stop the old container, then start the new one (proxy: none: a short gap)'
                : `point ${c.proxyName ?? defaults/* DEFAULT_PROXY_NAME */.J6} at it, stop ${live?.container ?? 'nothing (nothing is live)'} once no request is in flight (at most ${c.drainMs ?? 30_000} ms)`;
            const container = retained(v, live);
            const start = container
                ? `restart the retained container ${container}`
                : `start ${c.app}-${v.sha.slice(0, 7)}-<n> from ${v.image} on ${c.where}`;
            return [
                start,
                `probe ${c.healthPath ?? '/health'} until ${c.healthStatus ?? '200-399'} (within ${c.healthTimeoutMs ?? 60_000} ms)`,
                proxy,
            ];
        },
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
var external_node_crypto_default = /*#__PURE__*/__webpack_require__.n(external_node_crypto_);
;// CONCATENATED MODULE: ../deploy/kubernetes/access.ts
function accessChecks(opts) {
    const checks = [
        { verb: 'get', group: 'apps', resource: 'deployments', why: 'read the live version' },
        { verb: 'patch', group: 'apps', resource: 'deployments', why: 'set the image and undo' },
        { verb: 'list', group: 'apps', resource: 'replicasets', why: 'read the revision history' },
    ];
    if (opts.dryRun)
        return checks;
    checks.push({ verb: 'get', group: 'coordination.k8s.io', resource: 'leases', why: 'the deploy lock' }, { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', why: 'the deploy lock' }, { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', why: 'the deploy lock' });
    if (opts.migrationJob) {
        checks.push({ verb: 'create', group: 'batch', resource: 'jobs', why: 'run migrate-command as a Job' }, { verb: 'get', group: 'batch', resource: 'jobs', why: 'wait for the migration Job' });
    }
    return checks;
}
function deniedLine(c, namespace, user) {
    const res = c.group ? `${c.resource}.${c.group}` : c.resource;
    return `the credentials (${user}) may not ${c.verb} ${res} in namespace ${namespace} (needed to ${c.why}): grant it with a Role rule {apiGroups: ["${c.group}"], resources: ["${c.resource}"], verbs: ["${c.verb}"]} bound to them`;
}

;// CONCATENATED MODULE: ../deploy/kubernetes/annotations.ts
/**
 * Names safe-deploy writes on a Deployment. The deployment controller copies a Deployment's
 * annotations onto the ReplicaSet it creates for each revision, so every revision keeps the
 * commit it came from: that is the history `rollback-to` and re-runs resolve against.
 */
const ANNOTATIONS = {
    sha: 'dev.safe-deploy/sha',
    imageRef: 'dev.safe-deploy/image-ref',
    runUrl: 'dev.safe-deploy/run-url',
    deployedAt: 'dev.safe-deploy/deployed-at',
    changeCause: 'kubernetes.io/change-cause',
    /**
     * On a ReplicaSet whose rollout failed and was undone: that commit never served here, so it is
     * no version to roll back to (a re-run of its run is a new attempt, not a rollback).
     */
    rolloutFailed: 'dev.safe-deploy/rollout-failed',
};
/** The deployment controller's own annotations. */
const REVISION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
;// CONCATENATED MODULE: ../deploy/kubernetes/requests.ts
const PATCH_TYPES = {
    strategic: 'application/strategic-merge-patch+json',
    merge: 'application/merge-patch+json',
    json: 'application/json-patch+json',
};
const seg = (s) => encodeURIComponent(s);
const apps = (ns, kind) => `/apis/apps/v1/namespaces/${seg(ns)}/${kind}`;
const leases = (ns) => `/apis/coordination.k8s.io/v1/namespaces/${seg(ns)}/leases`;
const jobs = (ns) => `/apis/batch/v1/namespaces/${seg(ns)}/jobs`;
const core = (ns, kind) => `/api/v1/namespaces/${seg(ns)}/${kind}`;
/** Who changed it, in managedFields (what `kubectl` shows as the manager). */
const FIELD_MANAGER = 'safe-deploy';
const requests = {
    getDeployment: (ns, name) => ({
        method: 'GET',
        path: `${apps(ns, 'deployments')}/${seg(name)}`,
    }),
    /** Each change to one Deployment after `resourceVersion`, for at most `seconds` (the server ends it). */
    watchDeployment: (ns, name, resourceVersion, seconds) => ({
        method: 'GET',
        path: apps(ns, 'deployments'),
        query: {
            watch: 1,
            fieldSelector: `metadata.name=${name}`,
            resourceVersion,
            timeoutSeconds: seconds,
        },
    }),
    patchDeployment: (ns, name, patch, dryRun = false) => ({
        method: 'PATCH',
        path: `${apps(ns, 'deployments')}/${seg(name)}`,
        query: { fieldManager: FIELD_MANAGER, dryRun: dryRun ? 'All' : undefined },
        body: patch.body,
        contentType: PATCH_TYPES[patch.type],
    }),
    listReplicaSets: (ns, labelSelector) => ({
        method: 'GET',
        path: apps(ns, 'replicasets'),
        query: { labelSelector: labelSelector || undefined },
    }),
    patchReplicaSet: (ns, name, body) => ({
        method: 'PATCH',
        path: `${apps(ns, 'replicasets')}/${seg(name)}`,
        query: { fieldManager: FIELD_MANAGER },
        body,
        contentType: PATCH_TYPES.merge,
    }),
    accessReview: (ns, c) => ({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { namespace: ns, verb: c.verb, group: c.group, resource: c.resource } },
        },
    }),
    getNamespace: (name) => ({ method: 'GET', path: `/api/v1/namespaces/${seg(name)}` }),
    getLease: (ns, name) => ({
        method: 'GET',
        path: `${leases(ns)}/${seg(name)}`,
    }),
    createLease: (ns, body) => ({ method: 'POST', path: leases(ns), body }),
    replaceLease: (ns, name, body) => ({
        method: 'PUT',
        path: `${leases(ns)}/${seg(name)}`,
        body,
    }),
    /** Deleted only while it is the version we know (someone who took it over since keeps it). */
    deleteLease: (ns, name, resourceVersion) => ({
        method: 'DELETE',
        path: `${leases(ns)}/${seg(name)}`,
        body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } },
    }),
    createJob: (ns, body) => ({ method: 'POST', path: jobs(ns), body }),
    getJob: (ns, name) => ({ method: 'GET', path: `${jobs(ns)}/${seg(name)}` }),
    /** Background: the Job's pods go with it. */
    deleteJob: (ns, name) => ({
        method: 'DELETE',
        path: `${jobs(ns)}/${seg(name)}`,
        query: { propagationPolicy: 'Background' },
    }),
    listPods: (ns, labelSelector) => ({
        method: 'GET',
        path: core(ns, 'pods'),
        query: { labelSelector },
    }),
    podLog: (ns, name, tailLines) => ({
        method: 'GET',
        path: `${core(ns, 'pods')}/${seg(name)}/log`,
        query: { tailLines },
        text: true,
    }),
    listEvents: (ns) => ({ method: 'GET', path: core(ns, 'events') }),
};
/** The request's path with its query (unset values left out). */
function urlPath(r) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(r.query ?? {}))
        if (v !== undefined)
            q.set(k, String(v));
    const s = q.toString();
    return s ? `${r.path}?${s}` : r.path;
}
/**
 * A watch answers one JSON event per line, as the server has them: the complete lines of what came
 * so far, and the rest (a line cut between two chunks) to put in front of the next chunk.
 */
function watchEvents(text) {
    const lines = text.split('\n');
    const rest = lines.pop() ?? '';
    return { events: lines.filter((l) => l.trim()).map((l) => JSON.parse(l)), rest };
}

;// CONCATENATED MODULE: ../deploy/kubernetes/client.ts
/**
 * The connection to the cluster: the kubeconfig read with client-node's parts (kubeconfig.ts: real
 * kubeconfigs, exec credential plugins, client certificates), loaded only when a run deploys to
 * Kubernetes, and the requests of requests.ts sent over one pool of kept-alive connections. Every
 * failure becomes a KubeError: one line naming the context, namespace, resource and verb, never a
 * stack trace, a token or the kubeconfig.
 */







class KubeError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'KubeError';
    }
}
const REQUEST_TIMEOUT_MS = 30_000;
/** Where the kubeconfig is looked for: KUBECONFIG's files, ~/.kube/config, or in-cluster. */
function kubeconfigFileExists(env) {
    const files = env.KUBECONFIG ? env.KUBECONFIG.split((external_node_path_default()).delimiter).filter(Boolean) : [];
    if (files.length)
        return files.some((f) => external_node_fs_default().existsSync(f));
    return (external_node_fs_default().existsSync(external_node_path_default().join(env.HOME ?? external_node_os_default().homedir(), '.kube', 'config')) || !!env.KUBERNETES_SERVICE_HOST);
}
let loading;
/** Starts loading the kubeconfig code (client-node's parts) without waiting; connect() finishes the job. */
function preloadClient() {
    loading ??= Promise.all(/* import() */[__webpack_require__.e(3), __webpack_require__.e(225)]).then(__webpack_require__.bind(__webpack_require__, 2225));
    loading.catch(() => undefined);
}
/** An error answer: the status and the API's Status body. */
class ApiFailure extends Error {
    code;
    body;
    constructor(code, body) {
        super(`HTTP ${code}`);
        this.code = code;
        this.body = body;
    }
}
async function connect(o) {
    if (!o.kubeconfig && !kubeconfigFileExists(process.env))
        throw new KubeError('no kubeconfig: set the kubeconfig input (its YAML or base64, from a secret), or set KUBECONFIG on the runner (azure/k8s-set-context does)');
    const k = await (loading ??= Promise.all(/* import() */[__webpack_require__.e(3), __webpack_require__.e(225)]).then(__webpack_require__.bind(__webpack_require__, 2225)));
    let kc;
    try {
        kc = o.kubeconfig ? k.parseKubeconfig(o.kubeconfig) : k.loadDefaultKubeconfig(process.env);
    }
    catch (err) {
        // The parser's message may quote the file: name the source, not its contents.
        throw new KubeError(`the kubeconfig${o.kubeconfig ? ' input' : ` file (${process.env.KUBECONFIG ?? '~/.kube/config'})`} could not be read as a kubeconfig (${err.name}); give the file's YAML (or its base64)`);
    }
    const contexts = kc.contexts.map((c) => c.name);
    if (o.context && !contexts.includes(o.context))
        throw new KubeError(`kube-context "${o.context}" is not in the kubeconfig (it has: ${contexts.join(', ') || 'no contexts'}); set kube-context to one of them`);
    const context = o.context ?? kc.currentContext ?? '';
    const ctx = kc.contexts.find((c) => c.name === context);
    const cluster = ctx && kc.clusters.find((c) => c.name === ctx.cluster);
    if (!ctx || !cluster)
        throw new KubeError(`the kubeconfig has no usable current context (contexts: ${contexts.join(', ') || 'none'}); set kube-context`);
    const namespace = o.namespace ?? ctx.namespace ?? 'default';
    const server = cluster.server;
    const user = kc.users.find((u) => u.name === ctx.user);
    const where = { context, server };
    let base;
    try {
        base = new URL(server);
    }
    catch {
        throw new KubeError(`the kubeconfig's server for context ${context} is not a URL; set it to https://<host>:<port>`);
    }
    if (base.protocol === 'http:' && !cluster.skipTLSVerify)
        throw new KubeError(`the kubeconfig's server for context ${context} is plain http (${server}): use https, or set insecure-skip-tls-verify to allow it`);
    const auth = k.authenticators();
    const plain = base.protocol === 'http:';
    const pool = connectionPool(cluster.proxyUrl ? await proxyAgents(cluster.proxyUrl, plain) : directAgents(plain));
    const prefix = base.pathname.replace(/\/+$/, '');
    // Requests sent at once share one answer: an exec plugin (aws eks get-token…) runs once for the
    // preflight's seven requests, not seven times side by side; the authenticators cache it after.
    let asking;
    const credentials = () => {
        if (!user)
            return Promise.resolve({ headers: {} });
        asking ??= k.credentialsFor(cluster, user, auth).finally(() => {
            asking = undefined;
        });
        return asking;
    };
    const send = async (what, r) => {
        try {
            const creds = await credentials();
            const text = await exchange(base, `${prefix}${urlPath(r)}`, r, creds, pool);
            return (r.text ? text : JSON.parse(text));
        }
        catch (err) {
            throw explain(err, what, where);
        }
    };
    const watch = async (what, r, onEvent, signal) => {
        try {
            const creds = await credentials();
            return await follow(base, `${prefix}${urlPath(r)}`, creds, pool, onEvent, signal);
        }
        catch (err) {
            throw explain(err, what, where);
        }
    };
    return { context, namespace, server, user: user?.name ?? ctx.user, send, watch };
}
const directAgents = (plain) => (o) => plain ? new (external_node_http_default()).Agent(o) : new (external_node_https_default()).Agent(o);
/**
 * A kubeconfig's proxy-url, as client-node's createAgent reads it: socks…:// through a SOCKS
 * proxy, anything else an HTTP CONNECT tunnel (both the client's own dependencies, loaded only
 * for such a kubeconfig).
 */
async function proxyAgents(proxyUrl, plain) {
    if (proxyUrl.startsWith('socks')) {
        const { SocksProxyAgent } = await __webpack_require__.e(/* import() */ 57).then(__webpack_require__.t.bind(__webpack_require__, 1057, 23));
        return (o) => new SocksProxyAgent(proxyUrl, o);
    }
    const { HttpProxyAgent, HttpsProxyAgent } = await __webpack_require__.e(/* import() */ 327).then(__webpack_require__.bind(__webpack_require__, 2327));
    return (o) => plain ? new HttpProxyAgent({ ...o, proxy: proxyUrl }) : new HttpsProxyAgent({ ...o, proxy: proxyUrl });
}
/** The TLS settings an agent is made from; requests share connections while all of them are equal. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername'];
/**
 * One kept-alive agent: each request reuses an open connection (no new TCP connection and TLS
 * handshake, ~7 ms a request on loopback and a round trip or more to a remote cluster), with one
 * TLS context parsed once. Made again only when the TLS material changes (an exec plugin's
 * rotated client certificate).
 */
function connectionPool(make) {
    let shared;
    return {
        agentFor(c) {
            if (shared && TLS_FIELDS.every((f) => sameValue(shared?.creds[f], c[f])))
                return shared.agent;
            shared?.agent.destroy();
            const agent = make({
                keepAlive: true,
                secureContext: external_node_tls_default().createSecureContext({ ca: c.ca, cert: c.cert, key: c.key }),
                rejectUnauthorized: c.rejectUnauthorized,
                servername: c.servername,
            });
            shared = { agent, creds: c };
            return agent;
        },
    };
}
function sameValue(a, b) {
    if (Buffer.isBuffer(a) && Buffer.isBuffer(b))
        return a.equals(b);
    return a === b;
}
/** One request and its whole answer; an error status rejects with ApiFailure. */
function exchange(base, pathAndQuery, r, c, pool) {
    const body = r.body === undefined ? undefined : JSON.stringify(r.body);
    const headers = {
        Accept: r.text ? '*/*' : 'application/json',
        ...c.headers,
    };
    if (body !== undefined) {
        headers['Content-Type'] = r.contentType ?? 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
    }
    const lib = base.protocol === 'http:' ? (external_node_http_default()) : (external_node_https_default());
    return new Promise((resolve, reject) => {
        const req = lib.request({
            host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: base.port || (base.protocol === 'http:' ? 80 : 443),
            path: pathAndQuery,
            method: r.method,
            headers,
            agent: pool.agentFor(c),
        }, (res) => {
            const chunks = [];
            res.on('data', (d) => chunks.push(d));
            res.on('error', reject);
            res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                const code = res.statusCode ?? 0;
                if (code >= 200 && code < 300)
                    resolve(text);
                else
                    reject(new ApiFailure(code, text));
            });
        });
        // A server that never answers would hang the run.
        req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)));
        req.on('error', reject);
        req.end(body);
    });
}
/**
 * A watch's answer as it streams: each complete line is an event. Given up (the request destroyed)
 * when `onEvent` has what it waited for, or on `signal`; an error status rejects with ApiFailure.
 * No idle timeout: a rollout may go quiet for minutes; the server ends the watch at the
 * request's timeoutSeconds.
 */
function follow(base, pathAndQuery, c, pool, onEvent, signal) {
    const lib = base.protocol === 'http:' ? (external_node_http_default()) : (external_node_https_default());
    return new Promise((resolve, reject) => {
        let settled = false;
        const finish = (how) => {
            if (settled)
                return;
            settled = true;
            signal?.removeEventListener('abort', abort);
            req.destroy();
            resolve(how);
        };
        const abort = () => finish('ended');
        const req = lib.request({
            host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: base.port || (base.protocol === 'http:' ? 80 : 443),
            path: pathAndQuery,
            method: 'GET',
            headers: { Accept: 'application/json', ...c.headers },
            agent: pool.agentFor(c),
        }, (res) => {
            const code = res.statusCode ?? 0;
            const chunks = [];
            let pending = '';
            res.on('data', (d) => {
                if (code < 200 || code >= 300)
                    return void chunks.push(d);
                try {
                    const { events, rest } = watchEvents(pending + d.toString('utf8'));
                    pending = rest;
                    if (events.some((e) => onEvent(e)))
                        finish('done');
                }
                catch (err) {
                    settled = true;
                    req.destroy();
                    reject(err);
                }
            });
            res.on('error', (err) => {
                if (!settled) {
                    settled = true;
                    reject(err);
                }
            });
            res.on('end', () => {
                if (code >= 200 && code < 300)
                    return finish('ended');
                if (settled)
                    return;
                settled = true;
                reject(new ApiFailure(code, Buffer.concat(chunks).toString('utf8')));
            });
        });
        req.on('error', (err) => {
            if (!settled) {
                settled = true;
                reject(err);
            }
        });
        if (signal?.aborted)
            return finish('ended');
        signal?.addEventListener('abort', abort, { once: true });
        req.end();
    });
}
/** One line for any failed call: the API's own status message, or why the server did not answer. */
function explain(err, what, where) {
    if (err instanceof KubeError)
        return err;
    if (err instanceof ApiFailure) {
        const message = statusMessage(err.body);
        if (err.code === 401)
            return new KubeError(`the API server at ${where.server} (context ${where.context}) refused the credentials (401 Unauthorized) while trying to ${what}: renew the token or certificate in the kubeconfig`, 401);
        return new KubeError(`could not ${what}: ${message ?? `HTTP ${err.code}`}`, err.code);
    }
    const reason = err instanceof Error ? err.message : String(err);
    return new KubeError(`the Kubernetes API at ${where.server} (context ${where.context}) did not answer while trying to ${what}: ${reason}. Check the kubeconfig's server address and that the cluster is reachable from this runner`);
}
function statusMessage(body) {
    let b;
    try {
        b = JSON.parse(body);
    }
    catch {
        return body.slice(0, 300) || undefined;
    }
    const m = b?.message;
    return typeof m === 'string' ? m : undefined;
}
const isNotFound = (err) => err instanceof KubeError && err.status === 404;
const isConflict = (err) => err instanceof KubeError && err.status === 409;

;// CONCATENATED MODULE: ../deploy/kubernetes/containers.ts
class ContainerChoiceError extends Error {
}
/**
 * The container whose image a deploy sets: `kube-container` when given, else the Deployment's
 * only container, else the one named like the app. Anything else is a guess we refuse to make.
 */
function pickContainer(d, app, requested) {
    const names = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name);
    const where = `deployment/${d.metadata?.name} in namespace ${d.metadata?.namespace}`;
    const list = names.join(', ');
    if (requested !== undefined) {
        if (names.includes(requested))
            return requested;
        throw new ContainerChoiceError(`kube-container "${requested}" is not a container of ${where} (it has: ${list}); set kube-container to one of them`);
    }
    if (names.length === 1)
        return names[0];
    if (names.includes(app))
        return app;
    throw new ContainerChoiceError(`${where} has ${names.length} containers (${list}) and none is named "${app}": set kube-container to the one this image goes in`);
}

;// CONCATENATED MODULE: ../deploy/kubernetes/history.ts

/**
 * The label selector that lists the Deployment's ReplicaSets (its matchLabels; "" lists the
 * namespace's, and revisionsOf keeps the ones it owns).
 */
function labelSelectorOf(d) {
    return Object.entries(d.spec?.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}
/** ReplicaSets the Deployment owns, newest revision first. */
function revisionsOf(d, sets, container) {
    const uid = d.metadata?.uid;
    return sets
        .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.uid === uid))
        .map((rs) => {
        const a = rs.metadata?.annotations ?? {};
        const c = rs.spec?.template?.spec?.containers?.find((x) => x.name === container);
        return {
            revision: Number(a[REVISION] ?? 0),
            replicaSet: rs.metadata?.name ?? '',
            sha: a[ANNOTATIONS.sha],
            image: c?.image ?? '',
            runUrl: a[ANNOTATIONS.runUrl],
            deployedAt: a[ANNOTATIONS.deployedAt],
            replicas: rs.status?.replicas ?? 0,
            failed: a[ANNOTATIONS.rolloutFailed] !== undefined,
        };
    })
        .filter((r) => r.revision > 0)
        .sort((a, b) => b.revision - a.revision);
}
/**
 * What is live: the Deployment's own annotations when its template still runs the image we put
 * there (someone's `kubectl set image` since then makes the sha unknown, and we say so).
 */
function liveOf(d, container) {
    const a = d.metadata?.annotations ?? {};
    const image = d.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image ?? '';
    const sha = a[ANNOTATIONS.sha];
    if (!sha)
        return { image, foreign: true };
    if (a[ANNOTATIONS.imageRef] && a[ANNOTATIONS.imageRef] !== image)
        return { image, foreign: true };
    return {
        image,
        foreign: false,
        version: { sha, image, runUrl: a[ANNOTATIONS.runUrl], deployedAt: a[ANNOTATIONS.deployedAt] },
    };
}
/** Versions that served here and the cluster can still put back, newest first, one per commit. */
function versionsOf(revisions) {
    const seen = new Set();
    const out = [];
    for (const r of revisions) {
        if (!r.sha || r.failed || seen.has(r.sha))
            continue;
        seen.add(r.sha);
        out.push({ sha: r.sha, image: r.image, runUrl: r.runUrl, deployedAt: r.deployedAt });
    }
    return out;
}
/** The newest revision that carries `sha` and served, when still within revisionHistoryLimit. */
function revisionFor(revisions, sha) {
    return revisions.find((r) => r.sha === sha && !r.failed);
}

;// CONCATENATED MODULE: ../deploy/kubernetes/image.ts
class ImageRefError extends Error {
}
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
function parseImageRef(ref) {
    let rest = ref.trim();
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST_RE.test(digest))
            throw new ImageRefError(`${ref}: "${digest}" is not a digest such as sha256:…`);
    }
    let registry;
    const slash = rest.indexOf('/');
    if (slash > 0) {
        const first = rest.slice(0, slash);
        if (first.includes('.') || first.includes(':') || first === 'localhost') {
            registry = first;
            rest = rest.slice(slash + 1);
        }
    }
    let tag;
    // After the registry is cut off, a colon can only start the tag.
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG_RE.test(tag))
            throw new ImageRefError(`${ref}: "${tag}" is not a valid tag`);
    }
    if (!PATH_RE.test(rest))
        throw new ImageRefError(`${ref}: "${rest}" is not a valid image repository`);
    return { registry, path: rest, tag, digest };
}
/** `registry/path` without tag or digest: what two references of the same image share. */
function repositoryOf(r) {
    return r.registry ? `${r.registry}/${r.path}` : r.path;
}
function formatImageRef(r) {
    return `${repositoryOf(r)}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
/**
 * What goes in the pod template: by digest when one is known (nothing can move under it), and
 * without the tag then, since `repo:tag@digest` reads as pinned to the tag to some tools.
 */
function pinnedImage(ref) {
    const r = parseImageRef(ref);
    return r.digest ? `${repositoryOf(r)}@${r.digest}` : formatImageRef(r);
}

;// CONCATENATED MODULE: ../deploy/kubernetes/job.ts
const JOB_TTL_SECONDS = 600;
function migrationJobName(app, sha, suffix) {
    // Job names end up as a label value (job-name): at most 63 characters.
    const tail = `-migrate-${sha.slice(0, 7)}-${suffix}`;
    return `${app.slice(0, 63 - tail.length).replace(/[^a-z0-9]+$/, '')}${tail}`.replace(/[^a-z0-9-]/g, '-');
}
function migrationJob(d, s) {
    const pod = d.spec?.template?.spec;
    const c = pod?.containers.find((x) => x.name === s.container);
    const labels = { 'app.kubernetes.io/managed-by': 'safe-deploy', 'dev.safe-deploy/app': s.app };
    return {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
            name: migrationJobName(s.app, s.sha, s.suffix),
            namespace: d.metadata?.namespace,
            labels: { ...labels, 'dev.safe-deploy/role': 'migrate' },
            annotations: { 'dev.safe-deploy/sha': s.sha },
        },
        spec: {
            backoffLimit: 0,
            ttlSecondsAfterFinished: JOB_TTL_SECONDS,
            activeDeadlineSeconds: s.deadlineSeconds,
            template: {
                metadata: { labels: { ...labels, 'dev.safe-deploy/role': 'migrate' } },
                spec: {
                    restartPolicy: 'Never',
                    serviceAccountName: pod?.serviceAccountName,
                    imagePullSecrets: pod?.imagePullSecrets,
                    nodeSelector: pod?.nodeSelector,
                    tolerations: pod?.tolerations,
                    containers: [
                        {
                            name: 'migrate',
                            image: s.image,
                            command: ['sh', '-c', s.command],
                            env: c?.env,
                            envFrom: c?.envFrom,
                            volumeMounts: undefined,
                        },
                    ],
                },
            },
        },
    };
}
function jobState(j) {
    const cond = j.status?.conditions?.find((c) => (c.type === 'Failed' || c.type === 'Complete') && c.status === 'True');
    if (cond?.type === 'Complete' || (j.status?.succeeded ?? 0) > 0)
        return { state: 'succeeded' };
    if (cond?.type === 'Failed')
        return {
            state: 'failed',
            reason: `${cond.reason ?? 'Failed'}${cond.message ? `: ${cond.message}` : ''}`,
        };
    if ((j.status?.failed ?? 0) > 0)
        return { state: 'failed', reason: 'the migration pod failed' };
    return { state: 'running' };
}

;// CONCATENATED MODULE: ../deploy/kubernetes/lease.ts
const LEASE_SECONDS = 30;
const RENEW_EVERY_MS = 10_000;
function leaseName(app, environment) {
    const raw = `safe-deploy-${app}-${environment}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
    return raw.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}
/** What to do about the lease as read (undefined: none exists). */
function leaseDecision(lease, me, now) {
    if (!lease)
        return { action: 'create' };
    const s = lease.spec ?? {};
    const holder = s.holderIdentity ?? '';
    if (holder === me)
        return { action: 'renew' };
    const renewed = s.renewTime ?? s.acquireTime;
    const durationMs = (s.leaseDurationSeconds ?? LEASE_SECONDS) * 1000;
    const expiresAt = renewed ? new Date(renewed).getTime() + durationMs : 0;
    if (!holder || expiresAt <= now)
        return { action: 'take', from: holder, expiredForMs: now - expiresAt };
    return { action: 'wait', holder, expiresInMs: expiresAt - now };
}
/**
 * A Lease's times are MicroTime: RFC 3339 with exactly six fractional digits (the API server
 * refuses JSON's three).
 */
function microTime(d) {
    return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
/** The spec we write when creating, renewing or taking the lease. */
function leaseSpec(lease, me, now, decision) {
    const prev = lease?.spec ?? {};
    const taking = decision.action !== 'renew';
    return {
        holderIdentity: me,
        leaseDurationSeconds: LEASE_SECONDS,
        acquireTime: taking ? microTime(now) : (prev.acquireTime ?? microTime(now)),
        renewTime: microTime(now),
        leaseTransitions: (prev.leaseTransitions ?? 0) + (decision.action === 'take' ? 1 : 0),
    };
}

;// CONCATENATED MODULE: ../deploy/kubernetes/patch.ts

function releaseAnnotations(m) {
    const a = {
        [ANNOTATIONS.sha]: m.sha,
        [ANNOTATIONS.imageRef]: m.image,
        [ANNOTATIONS.deployedAt]: m.deployedAt,
        [ANNOTATIONS.changeCause]: m.cause,
    };
    if (m.runUrl)
        a[ANNOTATIONS.runUrl] = m.runUrl;
    return a;
}
/**
 * A strategic merge patch: containers merge by `name`, so only the named container's image
 * changes and every other field (and container) stays as the cluster has it. Image and
 * annotations go in one request, so the ReplicaSet the controller creates carries both.
 */
function imagePatch(container, m) {
    return {
        metadata: { annotations: releaseAnnotations(m) },
        spec: { template: { spec: { containers: [{ name: container, image: m.image }] } } },
    };
}
/** ReplicaSet annotations the controller owns; `kubectl rollout undo` never copies them back. */
const SKIPPED_ON_UNDO = new Set([
    'kubectl.kubernetes.io/last-applied-configuration',
    'deployment.kubernetes.io/revision',
    'deployment.kubernetes.io/revision-history',
    'deployment.kubernetes.io/desired-replicas',
    'deployment.kubernetes.io/max-replicas',
    'deprecated.deployment.rollback.to',
    'deprecated.daemonset.template.generation',
    // Ours, for the ReplicaSet alone: it must not travel to the Deployment (and on to the next one).
    ANNOTATIONS.rolloutFailed,
]);
/** The ReplicaSet's mark after its rollout failed (value: why), or its removal (null) once it served. */
function failedMarkPatch(why) {
    return { metadata: { annotations: { [ANNOTATIONS.rolloutFailed]: why } } };
}
/**
 * `kubectl rollout undo`: the earlier ReplicaSet's pod template (minus the pod-template-hash
 * label the controller added) becomes the Deployment's template again, so the controller scales
 * that same ReplicaSet back up (nothing new is created, nothing pulled); the Deployment's
 * annotations come back from it too (our sha and image-ref among them). The `test` op makes the
 * patch fail if someone changed the Deployment's spec since we read it: on its generation, which
 * only a spec change moves. Its resourceVersion also moves with every status update the deployment
 * controller writes during a rollout, which made the undo fail at random ("the server rejected our
 * request", seen in the full suite).
 */
function undoPatch(d, to) {
    const template = structuredClone(to.spec?.template ?? {});
    if (template.metadata?.labels) {
        const labels = { ...template.metadata.labels };
        delete labels[POD_TEMPLATE_HASH];
        template.metadata = { ...template.metadata, labels };
    }
    const annotations = {};
    for (const [k, v] of Object.entries(d.metadata?.annotations ?? {}))
        if (SKIPPED_ON_UNDO.has(k))
            annotations[k] = v;
    for (const [k, v] of Object.entries(to.metadata?.annotations ?? {}))
        if (!SKIPPED_ON_UNDO.has(k))
            annotations[k] = v;
    return [
        { op: 'test', path: '/metadata/generation', value: d.metadata?.generation },
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
    ];
}

;// CONCATENATED MODULE: ../deploy/kubernetes/plan.ts
/** What a deploy would do, for dry-run: live and new image, replicas and strategy, and the server's verdict. */
function dryRunPlan(o) {
    const d = o.deployment;
    const live = d.spec?.template?.spec?.containers.find((c) => c.name === o.container)?.image ?? '(none)';
    const st = d.spec?.strategy;
    const ru = st?.rollingUpdate;
    const strategy = st?.type === 'Recreate'
        ? 'Recreate (every old pod stops before new ones start)'
        : `RollingUpdate (maxSurge ${ru?.maxSurge ?? '25%'}, maxUnavailable ${ru?.maxUnavailable ?? '25%'})`;
    const where = `deployment/${d.metadata?.name} in namespace ${d.metadata?.namespace}`;
    const change = o.restoreTo
        ? `undo ${where} to revision ${o.restoreTo.revision} (ReplicaSet ${o.restoreTo.replicaSet}, ${o.restoreTo.image}), as kubectl rollout undo`
        : `patch ${where}: container ${o.container} image ${live} → ${o.newImage}`;
    return [
        change,
        `replicas: ${d.spec?.replicas ?? 1} (${d.status?.availableReplicas ?? 0} available now); strategy: ${strategy}`,
        `wait for the rollout as kubectl rollout status does (rollout-timeout ${Math.round(o.timeoutMs / 1000)}s, progressDeadlineSeconds ${d.spec?.progressDeadlineSeconds ?? 600}); undo on failure`,
        `server-side dry run of the patch: ${o.serverCheck}`,
    ];
}

;// CONCATENATED MODULE: ../deploy/kubernetes/pods.ts
const MAX_EVENTS = 5;
function podProblems(pods, events) {
    const out = [];
    for (const p of pods) {
        const name = p.metadata?.name ?? '';
        const found = problemOf(p);
        if (!found)
            continue;
        const last = events
            .filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === 'Pod')
            .sort((a, b) => timeOf(a) - timeOf(b))
            .slice(-MAX_EVENTS)
            .map((e) => `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}`.trim());
        out.push({ pod: name, ...found, events: last });
    }
    return out;
}
function problemOf(p) {
    const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (sched?.status === 'False')
        return { reason: sched.reason ?? 'Unschedulable', detail: sched.message ?? 'not scheduled' };
    for (const c of p.status?.containerStatuses ?? []) {
        const w = c.state?.waiting;
        if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') {
            const last = c.lastState?.terminated;
            const exit = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
            return {
                reason: w.reason,
                detail: `container ${c.name}: ${w.message ?? w.reason}${exit}; restarted ${c.restartCount} time(s)`,
            };
        }
        const t = c.state?.terminated;
        if (t && t.exitCode !== 0)
            return { reason: t.reason ?? 'Error', detail: `container ${c.name} exited with code ${t.exitCode}` };
    }
    if (p.status?.phase === 'Failed')
        return { reason: p.status.reason ?? 'Failed', detail: p.status.message ?? 'the pod failed' };
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status !== 'True') {
        const waiting = (p.status?.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name);
        return {
            reason: 'NotReady',
            detail: waiting.length
                ? `running but not ready (readiness probe): ${waiting.join(', ')}`
                : (ready?.message ?? `phase ${p.status?.phase ?? 'unknown'}`),
        };
    }
    return undefined;
}
function timeOf(e) {
    const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
    return t ? new Date(t).getTime() : 0;
}
function describeProblems(problems) {
    const reasons = [...new Set(problems.map((p) => p.reason))];
    return reasons.length ? `pods: ${reasons.join(', ')}` : '';
}

;// CONCATENATED MODULE: ../deploy/kubernetes/rollout.ts
function progressOf(d) {
    const s = d.status ?? {};
    return {
        desired: d.spec?.replicas ?? 1,
        updated: s.updatedReplicas ?? 0,
        available: s.availableReplicas ?? 0,
        total: s.replicas ?? 0,
    };
}
function progressLine(p) {
    return `${p.updated}/${p.desired} updated, ${p.available} available, ${p.total} total`;
}
/** kubectl's verdict on one observation of the Deployment. */
function rolloutStatus(d) {
    const progress = progressOf(d);
    const name = d.metadata?.name ?? '';
    const generation = d.metadata?.generation ?? 0;
    const observed = d.status?.observedGeneration ?? 0;
    if (generation > observed)
        return { state: 'waiting', message: 'waiting for the controller to observe the change', progress };
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
        return {
            state: 'failed',
            reason: 'deadline',
            message: `deployment "${name}" exceeded its progress deadline (${d.spec?.progressDeadlineSeconds ?? 600}s, ProgressDeadlineExceeded)`,
            progress,
        };
    }
    const { desired, updated, available, total } = progress;
    if (updated < desired)
        return { state: 'waiting', message: `${updated} of ${desired} new replicas updated`, progress };
    if (total > updated)
        return { state: 'waiting', message: `${total - updated} old replicas pending termination`, progress };
    if (available < updated)
        return { state: 'waiting', message: `${available} of ${updated} updated replicas available`, progress };
    return { state: 'done', message: `deployment "${name}" successfully rolled out`, progress };
}
/** kubectl's verdict, then ours: someone else's change, or rollout-timeout. */
function rolloutDecision(d, w) {
    const s = rolloutStatus(d);
    const gen = d.metadata?.generation ?? 0;
    if (gen > w.generation) {
        return {
            state: 'failed',
            reason: 'changed',
            message: `someone else changed deployment "${d.metadata?.name}" while the rollout ran (generation ${w.generation} → ${gen}); what is live now is theirs`,
            progress: s.progress,
        };
    }
    if (s.state !== 'waiting')
        return s;
    if (w.now - w.startedAt >= w.timeoutMs) {
        return {
            state: 'failed',
            reason: 'timeout',
            message: `rollout-timeout (${Math.round(w.timeoutMs / 1000)}s) passed: ${s.message} (${progressLine(s.progress)})`,
            progress: s.progress,
        };
    }
    return s;
}

;// CONCATENATED MODULE: ../deploy/kubernetes/target.ts
/**
 * `deploy-to: kubernetes`: sets the Deployment's container image by digest, waits for the rollout
 * as `kubectl rollout status` does, and undoes it as `kubectl rollout undo` does when it fails.
 * Every request body comes from the pure modules beside this one; this file only sends them.
 */














const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function kubernetesTarget(c) {
    /**
     * How long to wait before reading again, when the rollout cannot be watched and for the
     * migration Job: every 25 ms for two seconds (a ReplicaSet that scales back up is available
     * within a second or two, and a rollback should not wait on our clock; each read is one small
     * GET on a kept-alive connection), then every 100 ms, then every half second.
     */
    const pollAfter = (elapsedMs) => c.pollMs ?? (elapsedMs < 2000 ? 25 : elapsedMs < 5000 ? 100 : 500);
    let where = `deployment/${c.app}`;
    let session;
    /** The last snapshot read (underLock may reuse its ReplicaSets). */
    let lastRead;
    preloadClient();
    /** Connect and check everything a run needs before anything changes; once per run. */
    const open = () => (session ??= preflight());
    async function preflight() {
        const kube = await connect({ kubeconfig: c.kubeconfig, context: c.context, namespace: c.namespace });
        const ns = kube.namespace;
        where = `deployment/${c.app} in namespace ${ns} (context ${kube.context})`;
        const checks = accessChecks({ migrationJob: c.migrationJob, dryRun: c.dryRun });
        // Read alongside the reviews (one round trip less); a denial is reported first, as the cause.
        const reading = readDeployment(kube);
        reading.catch(() => undefined);
        const answers = await Promise.all(checks.map((chk) => kube.send(`check whether the credentials may ${chk.verb} ${chk.resource} in namespace ${ns}`, requests.accessReview(ns, chk))));
        const denied = checks.find((_, i) => !answers[i]?.status?.allowed);
        if (denied)
            throw new KubeError(deniedLine(denied, ns, kube.user));
        const d = await reading;
        if (d.spec?.paused)
            throw new KubeError(`${where} is paused: its rollouts never progress and no deadline fires; resume it with \`kubectl rollout resume deployment/${c.app} -n ${ns}\`, then re-run`);
        return { kube, container: pickContainer(d, c.app, c.container), selector: labelSelectorOf(d) };
    }
    async function readDeployment(kube) {
        const ns = kube.namespace;
        try {
            return await kube.send(`get deployment/${c.app} in namespace ${ns}`, requests.getDeployment(ns, c.app));
        }
        catch (err) {
            if (!isNotFound(err))
                throw err;
            const nsMissing = await kube.send(`get namespace ${ns}`, requests.getNamespace(ns)).then(() => false, (e) => isNotFound(e));
            if (nsMissing)
                throw new KubeError(`namespace ${ns} does not exist in context ${kube.context}: set kube-namespace to the Deployment's namespace`);
            throw new KubeError(`deployment/${c.app} does not exist in namespace ${ns} (context ${kube.context}): create it first (safe-deploy sets the image of an existing Deployment), or set app to its name`);
        }
    }
    /**
     * The Deployment and its ReplicaSets, read side by side (one round trip); `read` when the caller
     * has just read the Deployment. A failure to read the Deployment is the one reported.
     */
    async function snapshot(s, read) {
        const { kube } = s;
        const reading = read ? Promise.resolve(read) : readDeployment(kube);
        const listing = kube.send(`list replicasets in namespace ${kube.namespace}`, requests.listReplicaSets(kube.namespace, s.selector));
        listing.catch(() => undefined);
        const deployment = await reading;
        const list = await listing;
        lastRead = withDeployment(s, list.items, deployment);
        return lastRead;
    }
    function withDeployment(s, sets, deployment) {
        return {
            deployment,
            sets,
            revisions: revisionsOf(deployment, sets, s.container),
            current: Number(deployment.metadata?.annotations?.[REVISION] ?? 0),
        };
    }
    /**
     * The snapshot a change is decided on, under the lock: the Deployment read again, its
     * ReplicaSets listed again only if it moved since the last snapshot (its generation or revision,
     * or the controller had not caught up then). A ReplicaSet's template and revision change only
     * with those; what else may have changed, another run's failed mark, only chooses between
     * rolling out the same template by undo or by patch. One LIST less on the way to the switch:
     * recent API servers may hold a LIST up to 100 ms until their cache is fresh.
     */
    async function underLock(s) {
        const d = await readDeployment(s.kube);
        const last = lastRead;
        if (!last)
            return snapshot(s, d);
        const prev = last.deployment;
        const settled = (prev.status?.observedGeneration ?? 0) >= (prev.metadata?.generation ?? 0);
        const same = settled &&
            prev.metadata?.uid === d.metadata?.uid &&
            prev.metadata?.generation === d.metadata?.generation &&
            prev.metadata?.annotations?.[REVISION] === d.metadata?.annotations?.[REVISION];
        return same ? withDeployment(s, last.sets, d) : snapshot(s, d);
    }
    // --- the lock -------------------------------------------------------------------------------
    async function withLease(s, fn) {
        const { kube } = s;
        const ns = kube.namespace;
        const name = leaseName(c.app, c.environment);
        const read = () => kube.send(`get lease ${name}`, requests.getLease(ns, name)).catch((err) => {
            if (isNotFound(err))
                return undefined;
            throw err;
        });
        /** The lease as we last wrote it: the release deletes it on that resourceVersion. */
        let held;
        const write = async (lease) => {
            const d = leaseDecision(lease, c.holder, Date.now());
            if (d.action === 'wait')
                return { wait: d.holder, ms: d.expiresInMs };
            const spec = leaseSpec(lease, c.holder, new Date(), d);
            try {
                held =
                    d.action === 'create' || !lease
                        ? await kube.send(`create lease ${name}`, requests.createLease(ns, {
                            apiVersion: 'coordination.k8s.io/v1',
                            kind: 'Lease',
                            metadata: { name, namespace: ns },
                            spec,
                        }))
                        : await kube.send(`update lease ${name}`, requests.replaceLease(ns, name, {
                            apiVersion: 'coordination.k8s.io/v1',
                            kind: 'Lease',
                            metadata: lease.metadata,
                            spec,
                        }));
            }
            catch (err) {
                if (isConflict(err))
                    return 'lost'; // someone wrote it between our read and write: read again
                throw err;
            }
            if (d.action === 'take')
                c.log(`Took over the deploy lock ${name} from ${d.from || 'nobody'} (not renewed for ${Math.round(d.expiredForMs / 1000)}s past its duration).`);
            return 'ok';
        };
        const deadline = Date.now() + c.lockWaitMs;
        let said = '';
        // The last run deleted its lease, so most runs find none: the first try creates it without
        // reading (a round trip less); one that exists answers 409, and is read and decided on.
        let first = true;
        for (;;) {
            const r = await write(first ? undefined : await read());
            first = false;
            if (r === 'ok')
                break;
            if (r === 'lost')
                continue;
            if (Date.now() >= deadline)
                throw new KubeError(`the deploy lock (lease ${name} in namespace ${ns}) is still held by ${r.wait} after deploy-lock-wait (${Math.round(c.lockWaitMs / 1000)}s); if that run is gone, delete it with \`kubectl delete lease ${name} -n ${ns}\``);
            if (said !== r.wait) {
                c.log(`Waiting for the deploy lock: lease ${name} is held by ${r.wait} (expires in ${Math.ceil(r.ms / 1000)}s unless renewed).`);
                said = r.wait;
            }
            await sleep(Math.min(1000, Math.max(100, r.ms)));
        }
        const renew = setInterval(() => {
            void read()
                .then((l) => (l ? write(l) : 'lost'))
                .then((r) => {
                if (r !== 'ok')
                    c.log(`Warning: could not renew the deploy lock ${name}; another run may take it over.`);
            })
                .catch((err) => c.log(`Warning: renewing the deploy lock failed: ${err.message}`));
        }, RENEW_EVERY_MS);
        const remove = (l) => kube.send(`delete lease ${name}`, requests.deleteLease(ns, name, l.metadata?.resourceVersion));
        try {
            return await fn();
        }
        finally {
            clearInterval(renew);
            // Deleted on the resourceVersion we last wrote, so a lease taken over since is left alone.
            // A 409 may also be our own renewal landing meanwhile: read it, and delete it if still ours.
            const gone = held
                ? await remove(held).then(() => true, (err) => !isConflict(err))
                : false;
            if (!gone) {
                const l = await read().catch(() => undefined);
                if (l?.spec?.holderIdentity === c.holder)
                    await remove(l).catch(() => undefined);
            }
        }
    }
    // --- rollout --------------------------------------------------------------------------------
    /**
     * Waits for the rollout as `kubectl rollout status` does: a watch on the Deployment, so each
     * status change is judged as the controller writes it. Without a watch (the credentials may not
     * watch Deployments, a proxy buffers the stream), the Deployment is read on a timer instead.
     */
    async function waitRollout(s, generation, signal) {
        const { kube } = s;
        const ns = kube.namespace;
        const started = Date.now();
        let last = '';
        let d = await readDeployment(kube);
        const judge = (x) => {
            const st = rolloutDecision(x, {
                generation,
                startedAt: started,
                now: Date.now(),
                timeoutMs: c.rolloutTimeoutMs,
            });
            const line = st.state === 'waiting' ? `${progressLine(st.progress)} (${st.message})` : '';
            if (line && line !== last)
                c.log(`Rollout: ${line}`);
            last = line || last;
            return st;
        };
        let watching = c.pollMs === undefined;
        for (;;) {
            const st = judge(d);
            if (st.state !== 'waiting')
                return { ...st, ms: Date.now() - started, deployment: d };
            if (signal?.aborted)
                return {
                    state: 'failed',
                    reason: 'timeout',
                    message: 'the run was cancelled during the rollout',
                    progress: st.progress,
                    ms: Date.now() - started,
                    deployment: d,
                };
            if (watching) {
                // Ends by itself by rollout-timeout (then the read below judges the timeout), or sooner.
                const left = Math.ceil((started + c.rolloutTimeoutMs - Date.now()) / 1000);
                let fresh = true;
                const ended = await kube
                    .watch(`watch deployment/${c.app} in namespace ${ns}`, requests.watchDeployment(ns, c.app, d.metadata?.resourceVersion ?? '', Math.max(1, Math.min(left, 300))), (e) => {
                    // An ERROR (the version we watch from is too old): read again and watch anew.
                    if (e.type === 'ERROR') {
                        fresh = false;
                        return true;
                    }
                    if (e.type !== 'ADDED' && e.type !== 'MODIFIED')
                        return false;
                    d = e.object;
                    return judge(d).state !== 'waiting';
                }, signal)
                    .catch((err) => {
                    c.log(`${err.message}; reading the Deployment on a timer instead.`);
                    watching = false;
                    return 'ended';
                });
                // Decided: judged again at the top, on the Deployment the watch gave.
                if (ended === 'done' && fresh)
                    continue;
            }
            else
                await sleep(pollAfter(Date.now() - started));
            d = await readDeployment(kube);
        }
    }
    async function problemsOf(s) {
        try {
            const snap = await snapshot(s);
            const rs = snap.sets.find((x) => Number(x.metadata?.annotations?.[REVISION]) === snap.current);
            const hash = rs?.metadata?.labels?.[POD_TEMPLATE_HASH];
            const ns = s.kube.namespace;
            const pods = await s.kube.send(`list pods in namespace ${ns}`, requests.listPods(ns, hash ? `${POD_TEMPLATE_HASH}=${hash}` : undefined));
            const events = await s.kube
                .send(`list events in namespace ${ns}`, requests.listEvents(ns))
                .catch(() => ({ items: [] }));
            return podProblems(pods.items, events.items);
        }
        catch (err) {
            c.log(`Could not read the new pods' state: ${err.message}`);
            return [];
        }
    }
    function report(s, how, before) {
        return {
            context: s.kube.context,
            namespace: s.kube.namespace,
            deployment: c.app,
            container: s.container,
            revisionBefore: before.current || undefined,
            how,
            problems: [],
        };
    }
    /** Sends one change (image patch or undo), waits, and on failure undoes to `fallback`. */
    async function roll(s, before, change, fallback, signal) {
        const { kube } = s;
        const ns = kube.namespace;
        const rep = report(s, change.how, before);
        const previous = liveOf(before.deployment, s.container).version;
        const v = change.v;
        const sent = await send(s, before, change, false);
        rep.image = sent.spec?.template?.spec?.containers.find((x) => x.name === s.container)?.image;
        const st = await waitRollout(s, sent.metadata?.generation ?? 0, signal);
        rep.progress = st.progress;
        // An undo that went well serves the ReplicaSet it chose, never one marked failed: no need to
        // list them again to clear a mark.
        const after = change.how === 'undo' && st.state === 'done'
            ? withDeployment(s, before.sets, st.deployment)
            : await snapshot(s, st.deployment);
        rep.revisionAfter = after.current || undefined;
        const current = { ...v, image: liveOf(after.deployment, s.container).image || v.image };
        if (st.state === 'done') {
            rep.timeToAvailableMs = st.ms;
            const served = after.sets.find((x) => Number(x.metadata?.annotations?.[REVISION]) === after.current);
            if (served?.metadata?.annotations?.[ANNOTATIONS.rolloutFailed] !== undefined)
                await markReplicaSet(s, served.metadata.name ?? '', null);
            c.log(`Rollout done: ${progressLine(st.progress)} in ${(st.ms / 1000).toFixed(1)}s (revision ${rep.revisionAfter}).`);
            return {
                ok: true,
                detail: `${change.how === 'undo' ? `undid ${where} to revision ${change.to.revision}` : `rolled out ${where}`}: ${v.sha.slice(0, 7)} available (${progressLine(st.progress)})`,
                previous,
                current,
                kubernetes: rep,
            };
        }
        rep.failure = st.message;
        rep.problems = await problemsOf(s);
        const why = [st.message, describeProblems(rep.problems)].filter(Boolean).join('; ');
        c.log(`Rollout failed: ${why}`);
        for (const p of rep.problems)
            c.log(`  ${p.pod}: ${p.reason}: ${p.detail}${p.events.length ? ` (last event: ${p.events.at(-1)})` : ''}`);
        if (st.state === 'failed' && st.reason === 'changed')
            return {
                ok: false,
                detail: `rollout of ${v.sha.slice(0, 7)} failed: ${why}`,
                previous,
                current: undefined,
                kubernetes: rep,
            };
        if (!fallback) {
            return {
                ok: false,
                detail: `rollout of ${v.sha.slice(0, 7)} failed: ${why}; there is no earlier revision to undo to`,
                cancelled: signal?.aborted,
                previous,
                kubernetes: rep,
            };
        }
        c.log(`Undoing ${where} to revision ${fallback.revision}${fallback.sha ? ` (${fallback.sha.slice(0, 7)})` : ''}…`);
        const undoFrom = await snapshot(s);
        const rs = undoFrom.sets.find((x) => x.metadata?.name === fallback.replicaSet);
        let undoDetail;
        let undoOk = false;
        if (!rs)
            undoDetail = `ReplicaSet ${fallback.replicaSet} is gone`;
        else {
            const patched = await kube.send(`undo deployment/${c.app} in namespace ${ns}`, requests.patchDeployment(ns, c.app, { type: 'json', body: undoPatch(undoFrom.deployment, rs) }));
            const back = await waitRollout(s, patched.metadata?.generation ?? 0);
            undoOk = back.state === 'done';
            undoDetail = undoOk
                ? `revision ${fallback.revision} available again (${progressLine(back.progress)})`
                : back.message;
        }
        rep.undo = { toRevision: fallback.revision, ok: undoOk, detail: undoDetail };
        const failedSet = after.sets.find((x) => Number(x.metadata?.annotations?.[REVISION]) === after.current);
        if (undoOk && failedSet?.metadata?.name)
            await markReplicaSet(s, failedSet.metadata.name, st.message);
        const restored = fallback.sha
            ? { sha: fallback.sha, image: fallback.image, runUrl: fallback.runUrl, deployedAt: fallback.deployedAt }
            : previous;
        return {
            ok: false,
            cancelled: signal?.aborted,
            autoRolledBack: undoOk,
            detail: `rollout of ${v.sha.slice(0, 7)} failed: ${why}; ${undoOk ? `rolled back automatically to revision ${fallback.revision}` : `automatic undo FAILED: ${undoDetail}`}`,
            previous,
            current: undoOk ? restored : undefined,
            kubernetes: rep,
        };
    }
    /** Best effort: without the right to patch ReplicaSets, history just keeps the failed commit. */
    async function markReplicaSet(s, name, why) {
        const { kube } = s;
        await kube
            .send(`mark replicaset ${name} in namespace ${kube.namespace}`, requests.patchReplicaSet(kube.namespace, name, failedMarkPatch(why)))
            .catch((err) => c.log(`Could not mark ReplicaSet ${name} (${err.message.split('\n')[0]}).`));
    }
    async function send(s, before, change, dryRun) {
        const { kube } = s;
        const ns = kube.namespace;
        if (change.how === 'undo') {
            const rs = before.sets.find((x) => x.metadata?.name === change.to.replicaSet);
            return kube.send(`undo deployment/${c.app} in namespace ${ns}`, requests.patchDeployment(ns, c.app, { type: 'json', body: undoPatch(before.deployment, rs) }, dryRun));
        }
        const v = change.v;
        const body = imagePatch(s.container, {
            sha: v.sha,
            image: pinnedImage(v.image),
            runUrl: c.runUrl,
            deployedAt: new Date().toISOString(),
            cause: `safe-deploy: ${v.sha.slice(0, 7)}${c.runUrl ? ` (${c.runUrl})` : ''}`,
        });
        return kube.send(`patch deployment/${c.app} in namespace ${ns}`, requests.patchDeployment(ns, c.app, { type: 'strategic', body }, dryRun));
    }
    /**
     * Which change puts `v` live: an undo to the newest other revision that carries its commit
     * (its ReplicaSet scales back up, nothing is pulled), else the image patch.
     */
    function changeFor(snap, v) {
        const rev = revisionFor(snap.revisions.filter((r) => r.revision !== snap.current), v.sha);
        return rev && snap.sets.some((x) => x.metadata?.name === rev.replicaSet)
            ? { how: 'undo', to: rev, v: { ...v, image: rev.image } }
            : { how: 'patch', v };
    }
    const put = async (v, signal) => {
        const s = await open();
        return withLease(s, async () => {
            const snap = await underLock(s);
            const fallback = snap.revisions.find((r) => r.revision === snap.current);
            return roll(s, snap, changeFor(snap, v), fallback, signal);
        });
    };
    return {
        kind: 'kubernetes',
        get where() {
            return where;
        },
        preflight: async () => {
            await open();
        },
        state: async () => {
            const s = await open();
            const snap = await snapshot(s);
            const live = liveOf(snap.deployment, s.container);
            if (live.foreign && live.image)
                c.log(`Live in ${where}: ${live.image} (not deployed by safe-deploy: no commit recorded).`);
            return { live: live.version, retained: versionsOf(snap.revisions) };
        },
        deploy: (v) => put(v, c.signal),
        // Not cancellable: a half-done rollback is worse than a finished one.
        restore: (v) => put(v, undefined),
        plan: async (v) => {
            const s = await open();
            const snap = await snapshot(s);
            const change = changeFor(snap, v);
            const check = await send(s, snap, change, true).then(() => 'accepted by the API server (dryRun=All): nothing was changed', (err) => `REFUSED: ${err.message}`);
            return dryRunPlan({
                deployment: snap.deployment,
                container: s.container,
                newImage: pinnedImage(change.v.image),
                restoreTo: change.how === 'undo' ? change.to : undefined,
                serverCheck: check,
                timeoutMs: c.rolloutTimeoutMs,
            });
        },
        runMigration: async (image, sha, command, onLine) => {
            const s = await open();
            const { kube } = s;
            const ns = kube.namespace;
            const d = await readDeployment(kube);
            const suffix = external_node_crypto_default().randomBytes(3).toString('hex');
            const body = migrationJob(d, {
                app: c.app,
                sha,
                image: pinnedImage(image),
                command,
                container: s.container,
                suffix,
                deadlineSeconds: Math.ceil(c.rolloutTimeoutMs / 1000),
            });
            const name = migrationJobName(c.app, sha, suffix);
            onLine(`Running migrate-command as Job ${name} in namespace ${ns}…`);
            await kube.send(`create job ${name} in namespace ${ns}`, requests.createJob(ns, body));
            try {
                let state = jobState(body);
                const started = Date.now();
                while (state.state === 'running') {
                    await sleep(pollAfter(Date.now() - started));
                    state = jobState(await kube.send(`get job ${name} in namespace ${ns}`, requests.getJob(ns, name)));
                    if (Date.now() - started > c.rolloutTimeoutMs) {
                        state = {
                            state: 'failed',
                            reason: `did not finish within rollout-timeout (${Math.round(c.rolloutTimeoutMs / 1000)}s)`,
                        };
                    }
                }
                const { tail, exitCode } = await jobLogs(kube, name);
                for (const l of tail)
                    onLine(l);
                if (state.state === 'failed')
                    onLine(`Job ${name} failed: ${state.reason}`);
                return { exitCode: state.state === 'succeeded' ? 0 : exitCode || 1, tail };
            }
            finally {
                await kube
                    .send(`delete job ${name} in namespace ${ns}`, requests.deleteJob(ns, name))
                    .catch(() => onLine(`Could not delete Job ${name}; the cluster removes it after its TTL.`));
            }
        },
    };
}
async function jobLogs(kube, job) {
    try {
        const pods = await kube.send(`list the pods of job ${job}`, requests.listPods(kube.namespace, `job-name=${job}`));
        const pod = pods.items[0];
        if (!pod?.metadata?.name)
            return { tail: [], exitCode: 0 };
        const exitCode = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? 0;
        const text = await kube.send(`read the log of pod ${pod.metadata.name}`, requests.podLog(kube.namespace, pod.metadata.name, 50));
        return {
            tail: String(text)
                .split('\n')
                .filter((l, i, a) => l !== '' || i < a.length - 1)
                .slice(-50),
            exitCode,
        };
    }
    catch {
        return { tail: ["(the Job's logs could not be read)"], exitCode: 0 };
    }
}

;// CONCATENATED MODULE: ../deploy/kubernetes/index.ts
/**
 * The Kubernetes target. Only types and the factory are exported; the kubeconfig code (with the
 * parts of @kubernetes/client-node it uses) is imported dynamically on the first call, so runs that
 * deploy elsewhere never load it.
 */


;// CONCATENATED MODULE: ../stages/target.ts
/**
 * The deploy stage's side of the targets: turns the action's inputs into one target's own config.
 * The targets in src/deploy/ know nothing of inputs; this is the only place that reads both.
 */





/** deploy-to: kubernetes, from the inputs: one per run (the migration Job and the deploy share it). */
function createKubernetesTarget(inputs, ctx, signal, log) {
    const d = inputs.deploy;
    return kubernetesTarget({
        kubeconfig: d.kube.kubeconfig,
        context: d.kube.context,
        namespace: d.kube.namespace,
        container: d.kube.container,
        app: d.app ?? repositoryName(ctx),
        environment: inputs.environment,
        rolloutTimeoutMs: d.kube.rolloutTimeoutMs,
        lockWaitMs: d.lockWaitMs,
        // Unique per process: two runs of one workflow run (a re-run racing the original) differ too.
        holder: `run ${ctx.runId ?? 'local'} attempt ${ctx.runAttempt} (${external_node_os_default().hostname()} pid ${process.pid})`,
        runUrl: ctx.runUrl,
        migrationJob: inputs.migrate.migrateInImage && !!inputs.migrate.migrateCommand,
        dryRun: inputs.dryRun,
        signal,
        log: log.info,
    });
}
/** The deploy target the inputs name, configured once for deploy, verify and rollback. */
function createTarget(inputs, ctx, 
/** GitHub's deployment history: what the command target (which has no host to ask) knows as live. */
history, signal, log, kubernetes) {
    const d = inputs.deploy;
    const v = inputs.verify;
    if (d.deployTo === 'kubernetes')
        return kubernetes ?? createKubernetesTarget(inputs, ctx, signal, log);
    if (d.deployTo === 'command') {
        return commandTarget({
            deployCommand: d.deployCommand,
            rollbackCommand: d.rollbackCommand,
            environment: inputs.environment,
            cwd: inputs.workingDirectory,
            live: async () => (await history).live,
            repository: inputs.build.image,
            // The app's address for the url output and GitHub's environment_url: health-url's origin.
            url: v.healthUrl ? new URL(v.healthUrl).origin : undefined,
            log,
        });
    }
    return dockerTarget({
        where: (0,docker.hostLabel)(d.dockerHost),
        app: d.app ?? repositoryName(ctx),
        environment: inputs.environment,
        host: d.dockerHost,
        sshKey: d.sshKey,
        sshKnownHosts: d.sshKnownHosts,
        network: d.network,
        proxy: d.proxy,
        proxyImage: d.proxyImage,
        publicPort: d.publicPort,
        domain: d.domain,
        healthPath: v.healthPath,
        healthTimeoutMs: v.healthTimeoutMs,
        healthIntervalMs: v.healthIntervalMs,
        healthStatus: v.healthStatus,
        drainMs: d.drainMs,
        retain: d.retain,
        lockWaitMs: d.lockWaitMs,
        runId: ctx.runId,
        runUrl: ctx.runUrl,
        signal,
        log: log.info,
        port: d.port,
        env: d.env,
        volumes: d.volumes,
    });
}
/** The default `app`: the repository's name, as Docker allows it. */
function repositoryName(ctx) {
    const name = ctx.repository.split('/').pop() || 'app';
    return (name
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '') || 'app');
}


/***/ }),

/***/ 1162:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ runShell)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3032);

/**
 * Runs a user command the way a workflow `run:` step does (bash, errexit + pipefail), streaming its
 * output to the log. Values reach the command only through `env`, never spliced into its text.
 */
async function runShell(command, opts) {
    const tail = [];
    const keep = opts.tailLines ?? 30;
    const remember = (line) => {
        tail.push(line);
        if (tail.length > keep)
            tail.shift();
    };
    const exitCode = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .exec */ .m)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        ignoreReturnCode: true,
        listeners: { stdline: remember, errline: remember },
    });
    return { exitCode, tail };
}


/***/ })

};
;