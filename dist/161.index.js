"use strict";
exports.id = 161;
exports.ids = [161];
exports.modules = {

/***/ 8655:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GATE_LABEL: () => (/* binding */ GATE_LABEL),
  findPriorBuild: () => (/* binding */ findPriorBuild),
  prepareBuild: () => (/* binding */ prepareBuild),
  registryAccess: () => (/* binding */ registryAccess),
  runBuild: () => (/* binding */ runBuild)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ../../node_modules/dockerode/lib/docker.js
var lib_docker = __webpack_require__(5292);
var docker_default = /*#__PURE__*/__webpack_require__.n(lib_docker);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: ../../node_modules/@balena/dockerignore/ignore.js
var ignore = __webpack_require__(114);
var ignore_default = /*#__PURE__*/__webpack_require__.n(ignore);
;// CONCATENATED MODULE: ../build/context-files.ts



/**
 * The files Docker would send as the build context: everything under `contextDir` except what
 * `.dockerignore` excludes. Ignored directories are not walked at all (node_modules can be huge).
 * The Dockerfile and .dockerignore always go, as with `docker build`.
 */
function listContextFiles(contextDir, dockerfile) {
    const ignoreFile = external_node_path_default().join(contextDir, '.dockerignore');
    const ig = ignore_default()({ ignorecase: false });
    if (external_node_fs_default().existsSync(ignoreFile))
        ig.add(external_node_fs_default().readFileSync(ignoreFile, 'utf8'));
    // Patterns with `!` can re-include files inside an ignored directory, so only prune when there are none.
    const canPrune = !external_node_fs_default().existsSync(ignoreFile) || !/^\s*!/m.test(external_node_fs_default().readFileSync(ignoreFile, 'utf8'));
    const files = [];
    const walk = (rel) => {
        for (const entry of external_node_fs_default().readdirSync(external_node_path_default().join(contextDir, rel), { withFileTypes: true })) {
            const child = rel ? `${rel}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (!(canPrune && ig.ignores(child)))
                    walk(child);
            }
            else if (!ig.ignores(child)) {
                files.push(child);
            }
        }
    };
    walk('');
    const always = [
        external_node_path_default().relative(contextDir, external_node_path_default().resolve(contextDir, dockerfile)).split((external_node_path_default()).sep).join('/'),
        '.dockerignore',
    ];
    for (const f of always)
        if (external_node_fs_default().existsSync(external_node_path_default().join(contextDir, f)) && !files.includes(f))
            files.push(f);
    return files;
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ../build/cache-from.ts
/**
 * Where a fresh runner finds its build cache: images this repository already pushed. Every image
 * safe-deploy pushes is tagged `<image>:<commit sha>` and carries BuildKit inline cache metadata,
 * so the images of commits close to this one hold most of its layers:
 *  - the commit's parents (from git in the workspace);
 *  - the commit the pushed branch pointed at before this push (`before` in a push event): with one
 *    push per deploy that is the version live now, and on GitHub's default shallow checkout
 *    (fetch-depth 1) it is the only parent git cannot tell;
 *  - a pull request's base commit.
 * The live version is not read from the deploy target here (that happens after the build); the
 * previous push stands in for it.
 */

const SHA_RE = /^[0-9a-f]{40}$/;
/**
 * The parents of `sha` known to git in `dir`; none when git or the commit is not there (shallow
 * clone). Asynchronous so git runs while the build's other questions are in flight.
 */
function gitParents(dir, sha) {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('git', ['rev-parse', `${sha}^@`], { cwd: dir, encoding: 'utf8' }, (err, out) => resolve(err
            ? []
            : out
                .split('\n')
                .map((l) => l.trim())
                .filter((l) => SHA_RE.test(l))));
    });
}
/** Commits named by the event payload that are likely built already: `before`, a pull request's base. */
function eventCommits(payload) {
    const out = [];
    if (typeof payload.before === 'string')
        out.push(payload.before);
    const pr = payload.pull_request;
    if (typeof pr?.base?.sha === 'string')
        out.push(pr.base.sha);
    return out;
}
/**
 * The refs to try as cache, best first, without duplicates, the commit itself or the all-zero
 * `before` of a new branch.
 */
function cacheFromCandidates(repo, sha, commits) {
    const seen = new Set();
    for (const c of commits.map((x) => x.toLowerCase())) {
        if (!SHA_RE.test(c) || c === sha || /^0+$/.test(c))
            continue;
        seen.add(c);
    }
    return [...seen].map((c) => `${repo}:${c}`);
}

// EXTERNAL MODULE: ../build/describe.ts
var describe = __webpack_require__(6239);
// EXTERNAL MODULE: ../../node_modules/tar-fs/index.js
var tar_fs = __webpack_require__(6657);
// EXTERNAL MODULE: ../../node_modules/protobufjs/index.js
var protobufjs = __webpack_require__(2092);
var protobufjs_default = /*#__PURE__*/__webpack_require__.n(protobufjs);
;// CONCATENATED MODULE: ../build/buildkit-proto.ts
/**
 * The few BuildKit protobuf messages safe-deploy speaks, written out here (not loaded from .proto
 * files at run time) so the ncc bundle needs no asset files. Field numbers follow moby/buildkit's
 * api/services/control/control.proto, session/secrets/secrets.proto, session/auth/auth.proto and
 * grpc's health.proto; fields we never read are left out (protobuf skips unknown fields).
 */

const PROTO = `
syntax = "proto3";

package moby.buildkit.v1;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Vertex {
  string digest = 1;
  repeated string inputs = 2;
  string name = 3;
  bool cached = 4;
  Timestamp started = 5;
  Timestamp completed = 6;
  string error = 7;
}
message VertexStatus {
  string ID = 1;
  string vertex = 2;
  string name = 3;
  int64 current = 4;
  int64 total = 5;
}
message VertexLog {
  string vertex = 1;
  Timestamp timestamp = 2;
  int64 stream = 3;
  bytes msg = 4;
}
message StatusResponse {
  repeated Vertex vertexes = 1;
  repeated VertexStatus statuses = 2;
  repeated VertexLog logs = 3;
}
`;
const SESSION_PROTO = `
syntax = "proto3";
package moby.buildkit.secrets.v1;
message GetSecretRequest { string ID = 1; map<string, string> annotations = 2; }
message GetSecretResponse { bytes data = 1; }
`;
const AUTH_PROTO = `
syntax = "proto3";
package moby.filesync.v1;
message CredentialsRequest { string Host = 1; }
message CredentialsResponse { string Username = 1; string Secret = 2; }
`;
const HEALTH_PROTO = `
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse { int32 status = 1; }
`;
const root = new (protobufjs_default()).Root();
for (const text of [PROTO, SESSION_PROTO, AUTH_PROTO, HEALTH_PROTO])
    protobufjs_default().parse(text, root);
const StatusResponse = root.lookupType('moby.buildkit.v1.StatusResponse');
const GetSecretRequest = root.lookupType('moby.buildkit.secrets.v1.GetSecretRequest');
const GetSecretResponse = root.lookupType('moby.buildkit.secrets.v1.GetSecretResponse');
const CredentialsRequest = root.lookupType('moby.filesync.v1.CredentialsRequest');
const CredentialsResponse = root.lookupType('moby.filesync.v1.CredentialsResponse');
const HealthCheckRequest = root.lookupType('grpc.health.v1.HealthCheckRequest');
const HealthCheckResponse = root.lookupType('grpc.health.v1.HealthCheckResponse');
/** One `moby.buildkit.trace` record's `aux` (base64 protobuf) as plain data. */
function decodeStatus(aux) {
    const msg = StatusResponse.decode(Buffer.from(aux, 'base64'));
    const o = StatusResponse.toObject(msg, { longs: Number, defaults: true, arrays: true });
    return {
        vertexes: o.vertexes,
        logs: o.logs.map((l) => ({ ...l, msg: Buffer.from(l.msg) })),
    };
}

;// CONCATENATED MODULE: ../build/docker-image.ts
class DockerStreamError extends Error {
    lastLines;
    constructor(message, lastLines) {
        super(message);
        this.lastLines = lastLines;
    }
}
/**
 * Follows a progress stream to its end. The engine reports build and push errors in-band, inside
 * the stream, while the HTTP call itself succeeded: those become a DockerStreamError carrying the
 * last lines, so the user sees Docker's own words.
 */
async function follow(docker, stream, onLine, 
/** Turns a record into log lines itself (BuildKit traces); undefined: the default handling. */
translate) {
    const lastLines = [];
    const events = [];
    let inBandError;
    await new Promise((resolve, reject) => {
        docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve()), (event) => {
            events.push(event);
            if (event.error || event.errorDetail)
                inBandError = event.errorDetail?.message ?? event.error;
            const translated = translate?.(event);
            if (translated) {
                for (const line of translated) {
                    onLine(line);
                    lastLines.push(line);
                    if (lastLines.length > 20)
                        lastLines.shift();
                }
                return;
            }
            // Byte-count updates ("Pushing 3.1MB/8MB") would drown the log; the final status lines say enough.
            if (event.progressDetail?.current !== undefined)
                return;
            const status = event.status && event.id && !event.status.includes(event.id)
                ? `${event.id}: ${event.status}`
                : event.status;
            const text = (event.stream ?? status ?? '').replace(/\n+$/, '');
            for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
                onLine(line);
                lastLines.push(line);
                if (lastLines.length > 20)
                    lastLines.shift();
            }
        });
    });
    if (inBandError)
        throw new DockerStreamError(inBandError.trim(), lastLines);
    return { events, lastLines };
}
/** Pushes `repo:tag`; resolves to the manifest digest the registry stored. */
async function pushImage(docker, repo, tag, auth, onLine) {
    const stream = await docker.getImage(repo).push({ tag, authconfig: auth ?? {} });
    const { events } = await follow(docker, stream, onLine);
    const fromAux = events.map((e) => (typeof e.aux === 'object' ? e.aux.Digest : undefined)).find(Boolean);
    if (fromAux)
        return fromAux;
    const fromStatus = events
        .map((e) => /digest: (sha256:[0-9a-f]{64})/.exec(e.status ?? '')?.[1])
        .find(Boolean);
    if (fromStatus)
        return fromStatus;
    const info = await docker.getImage(`${repo}:${tag}`).inspect();
    return info.RepoDigests?.find((d) => d.startsWith(`${repo}@`))?.split('@')[1];
}
/**
 * Asks the registry (through the engine) whether `ref` exists. 404 means absent; 401/403 mean the
 * registry refused us, which must not be mistaken for "absent" (that would rebuild and then fail
 * to push, or worse, silently deploy something else).
 */
async function lookupRemote(docker, ref, auth) {
    try {
        const data = (await docker.getImage(ref).distribution({ authconfig: auth }));
        const digest = data.Descriptor?.digest;
        if (!digest)
            throw new Error(`the registry answered without a digest for ${ref}`);
        return { exists: true, digest };
    }
    catch (err) {
        const e = err;
        const message = (e.json?.message ?? e.message ?? String(err)).trim();
        if (e.statusCode === 404 || /manifest unknown|not found/i.test(message))
            return { exists: false };
        if (e.statusCode === 401 ||
            e.statusCode === 403 ||
            /unauthorized|denied|authentication required/i.test(message)) {
            throw new Error(`the registry refused access to ${ref} (${message}); check registry-username and registry-password`);
        }
        throw new Error(`could not ask the registry about ${ref}: ${message}`);
    }
}
/** Pulls `ref` (by digest or tag) so its labels can be read; resolves when it is local. */
async function pullImage(docker, ref, auth, onLine) {
    const stream = (await docker.pull(ref, { authconfig: auth }));
    await follow(docker, stream, onLine);
}
/** The labels of `ref`, pulling it first when this engine does not have it. */
async function imageLabels(docker, ref, auth, onLine) {
    try {
        return (await docker.getImage(ref).inspect()).Config.Labels ?? {};
    }
    catch {
        await pullImage(docker, ref, auth, onLine);
        return (await docker.getImage(ref).inspect()).Config.Labels ?? {};
    }
}

;// CONCATENATED MODULE: ../build/progress.ts
const KEEP_LINES = 20;
// `[2/4] RUN …`, `[stage-0 2/4] RUN …`, `[build 1/3] FROM …`
const STEP_RE = /^\[(?:[\w.-]+ )?\d+\/\d+\] (\S+)/;
const IMPORT_RE = /^importing cache manifest from (\S+)/;
function seconds(a, b) {
    if (!a || !b)
        return undefined;
    return b.seconds - a.seconds + (b.nanos - a.nanos) / 1e9;
}
class BuildProgress {
    vertices = new Map();
    order = [];
    shown = 0;
    /** Feeds one status record; returns the new log lines it produced. */
    feed(status) {
        const out = [];
        for (const v of status.vertexes)
            this.vertex(v, out);
        for (const log of status.logs) {
            const s = this.vertices.get(log.vertex);
            if (!s)
                continue;
            const text = s.partial + log.msg.toString('utf8');
            const parts = text.split(/\r?\n/);
            s.partial = parts.pop() ?? '';
            for (const line of parts)
                this.line(s, line, out);
        }
        return out;
    }
    vertex(v, out) {
        let s = this.vertices.get(v.digest);
        if (!s) {
            s = { n: 0, name: v.name, cached: false, started: false, done: false, lines: [], partial: '' };
            this.vertices.set(v.digest, s);
            this.order.push(v.digest);
        }
        // Internal vertices (loading the context, the Dockerfile, metadata) are noise unless they fail.
        const quiet = v.name.startsWith('[internal]');
        // Numbered in the order steps start, as `docker build` numbers them.
        if (!quiet || v.error)
            this.number(s);
        if (v.started && !s.started) {
            s.started = true;
            if (!quiet)
                out.push(`#${s.n} ${v.name}`);
        }
        if (v.cached && !s.cached) {
            s.cached = true;
            if (!quiet)
                out.push(`#${s.n} CACHED`);
        }
        if (v.error && !s.error) {
            if (s.partial)
                this.line(s, s.partial, out);
            s.partial = '';
            s.error = v.error;
            out.push(`#${s.n} ERROR: ${v.error}`);
        }
        if (v.completed && !s.done) {
            s.done = true;
            if (s.partial)
                this.line(s, s.partial, out);
            s.partial = '';
            s.seconds = seconds(v.started, v.completed);
            if (!quiet && !s.cached && !s.error)
                out.push(`#${s.n} DONE${s.seconds === undefined ? '' : ` ${s.seconds.toFixed(1)}s`}`);
        }
    }
    line(s, line, out) {
        if (line.trim() === '')
            return;
        this.number(s);
        out.push(`#${s.n} ${line}`);
        s.lines.push(line);
        if (s.lines.length > KEEP_LINES)
            s.lines.shift();
    }
    number(s) {
        if (s.n === 0)
            s.n = ++this.shown;
    }
    report() {
        const all = this.order.flatMap((d) => this.vertices.get(d) ?? []);
        const steps = all
            .filter((s) => STEP_RE.test(s.name) && STEP_RE.exec(s.name)?.[1] !== 'FROM')
            .map((s) => ({ name: s.name, cached: s.cached, seconds: s.seconds }));
        // A cache ref that is missing fails only its own import vertex; the build goes on without it.
        const cacheImports = all
            .filter((s) => !s.error)
            .map((s) => IMPORT_RE.exec(s.name)?.[1])
            .filter((r) => !!r);
        for (const s of all) {
            if (IMPORT_RE.test(s.name))
                continue;
            if (s.error)
                return { steps, cacheImports, failed: { name: s.name, error: s.error, lines: [...s.lines] } };
        }
        return { steps, cacheImports };
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
var external_node_crypto_default = /*#__PURE__*/__webpack_require__.n(external_node_crypto_);
// EXTERNAL MODULE: ./grpc-js.cjs
var grpc_js = __webpack_require__(1214);
;// CONCATENATED MODULE: ../build/session.ts
/**
 * A BuildKit session: the channel through which the engine's builder asks the client for what it
 * must not keep, build secrets and registry credentials. The client opens `POST /session`, the
 * connection is upgraded to HTTP/2 without TLS, and the client *serves* gRPC on it. The engine
 * only calls methods announced in `X-Docker-Expose-Session-Grpc-Method` headers, and it checks
 * the session's health every second: without a Health service it drops the session mid-build
 * (seen here as "no active session" or "transport is closing" on builds longer than a second),
 * which is why dockerode's own session (Auth only) is not used.
 */



const HEALTH = '/grpc.health.v1.Health/Check';
const GET_SECRET = '/moby.buildkit.secrets.v1.Secrets/GetSecret';
const CREDENTIALS = '/moby.filesync.v1.Auth/Credentials';
class SessionUnsupportedError extends Error {
}
/**
 * Loads the gRPC server code ahead of the session. In the bundle it loads on first use (src/lazy/),
 * ~15-20 ms of CPU that would otherwise sit between the session request and the build request;
 * called while the build's registry questions are in flight, it runs when the CPU is idle.
 */
function warmSession() {
    return typeof grpc_js.Server === 'function';
}
/** The headers of `POST /session`: one Grpc-Method header per method this client serves. */
function sessionHeaders(id, withSecrets) {
    return {
        Upgrade: 'h2c',
        'X-Docker-Expose-Session-Uuid': id,
        'X-Docker-Expose-Session-Name': 'safe-deploy',
        'X-Docker-Expose-Session-Sharedkey': '',
        'X-Docker-Expose-Session-Grpc-Method': [HEALTH, CREDENTIALS, ...(withSecrets ? [GET_SECRET] : [])],
    };
}
/** The answer to the builder's Credentials request: ours for our registry, anonymous elsewhere. */
function credentialsFor(host, auth) {
    const hub = ['docker.io', 'registry-1.docker.io', 'index.docker.io'];
    const same = auth && (host === auth.serveraddress || (hub.includes(host) && hub.includes(auth.serveraddress)));
    if (!same)
        return { Username: '', Secret: '' };
    if (auth.identitytoken)
        return { Username: '', Secret: auth.identitytoken };
    return { Username: auth.username ?? '', Secret: auth.password ?? '' };
}
function unary(path, req, res) {
    return {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: (v) => Buffer.from(req.encode(req.fromObject(v)).finish()),
        requestDeserialize: (b) => req.toObject(req.decode(b), { defaults: true }),
        responseSerialize: (v) => Buffer.from(res.encode(res.fromObject(v)).finish()),
        responseDeserialize: (b) => res.toObject(res.decode(b), { defaults: true }),
    };
}
/**
 * Opens a session serving Health, Auth.Credentials and (when secrets are given) Secrets.GetSecret.
 * Rejects with SessionUnsupportedError when the engine has no session endpoint (API < 1.39).
 */
async function openSession(docker, secrets, auth) {
    const id = external_node_crypto_default().randomUUID();
    const socket = await new Promise((resolve, reject) => {
        docker.modem.dial({
            method: 'POST',
            path: '/session',
            hijack: true,
            headers: sessionHeaders(id, secrets.size > 0),
            statusCodes: {
                101: true,
                200: true,
                400: 'bad parameter',
                404: 'no such endpoint',
                500: 'server error',
            },
        }, (err, sock) => {
            if (!err)
                return resolve(sock);
            reject(err.statusCode === 400 ||
                err.statusCode === 404
                ? new SessionUnsupportedError(`the engine refused a BuildKit session (${err.message.trim()})`)
                : err);
        });
    });
    const missingSecrets = new Set();
    const server = new grpc_js.Server();
    server.addService({ Check: unary(HEALTH, HealthCheckRequest, HealthCheckResponse) }, { Check: (_call, cb) => cb(null, { status: 1 }) });
    server.addService({
        Credentials: unary(CREDENTIALS, CredentialsRequest, CredentialsResponse),
    }, {
        Credentials: (call, cb) => cb(null, credentialsFor(call.request.Host, auth)),
    });
    server.addService({ GetSecret: unary(GET_SECRET, GetSecretRequest, GetSecretResponse) }, {
        GetSecret: (call, cb) => {
            const value = secrets.get(call.request.ID);
            if (value !== undefined)
                return cb(null, { data: Buffer.from(value) });
            missingSecrets.add(call.request.ID);
            // BuildKit reads NotFound as "no such secret": fatal for required mounts, an empty mount otherwise.
            cb({ code: grpc_js.status.NOT_FOUND, details: `secret ${call.request.ID} not found` });
        },
    });
    server.createConnectionInjector(grpc_js.ServerCredentials.createInsecure()).injectConnection(socket);
    let closed = false;
    return {
        id,
        missingSecrets,
        // Idempotent: the build closes its session, and so does whoever opened it, once the build is over.
        close: () => {
            if (closed)
                return;
            closed = true;
            // The socket first: bytes the engine sends after the gRPC server's HTTP/2 session is torn
            // down would reach Node's http2 internals with no handle and crash the process (seen here).
            socket.destroy();
            server.forceShutdown();
        },
    };
}

;// CONCATENATED MODULE: ../build/build-image.ts





/**
 * The query of `POST /build`. Secrets are not in it (the builder fetches them over the session);
 * cache-from is BuildKit-only here: the classic builder only uses refs already pulled locally.
 */
function buildQuery(req, builder) {
    const buildArgs = builder.kind === 'buildkit' && req.inlineCache
        ? { ...req.buildArgs, BUILDKIT_INLINE_CACHE: '1' }
        : req.buildArgs;
    const q = {
        t: req.tag,
        dockerfile: req.dockerfile,
        buildargs: JSON.stringify(buildArgs),
        labels: JSON.stringify(req.labels),
        rm: true,
        forcerm: true,
    };
    if (req.target)
        q.target = req.target;
    if (builder.kind === 'classic')
        return { ...q, version: '1' };
    q.version = '2';
    q.session = builder.session;
    if (builder.networkMode)
        q.networkmode = builder.networkMode;
    if (req.cacheFrom.length > 0)
        q.cachefrom = JSON.stringify(req.cacheFrom);
    return q;
}
/** API versions as numbers for comparison: "1.41" → 1.41, "v1.38" → 1.38. */
function apiNumber(v) {
    const m = /^v?(\d+)\.(\d+)$/.exec(v ?? '');
    return m ? Number(m[1]) + Number(m[2]) / 1000 : undefined;
}
/**
 * Why this engine cannot build with BuildKit through its API, or undefined when it can:
 * BuildKit sessions arrived with API 1.39 (Docker 18.09); Windows engines have no BuildKit.
 * `pinned` is the API version this client was told to speak (DOCKER_API_VERSION), if any.
 */
function classicReason(server, pinned) {
    if (server.Os === 'windows')
        return 'Windows engines have no BuildKit';
    const versions = [apiNumber(server.ApiVersion), apiNumber(pinned)].filter((v) => v !== undefined);
    const api = Math.min(...versions);
    if (versions.length > 0 && api < 1.039) {
        const shown = [server.ApiVersion, pinned].find((v) => apiNumber(v) === api)?.replace(/^v/, '');
        return `the engine API in use is ${shown}; BuildKit builds need 1.39 or later (Docker 18.09+)`;
    }
    return undefined;
}
class BuildError extends DockerStreamError {
    missingSecrets;
    fallbackReason;
    constructor(message, lastLines, missingSecrets, fallbackReason) {
        super(message, lastLines);
        this.missingSecrets = missingSecrets;
        this.fallbackReason = fallbackReason;
    }
}
function contextTar(req) {
    // The file list is final (context-files.ts decided it): no second .dockerignore pass here.
    // Uncompressed, as the docker CLI sends it: over a local socket gzip only costs CPU.
    return tar_fs.pack(req.contextDir, { entries: req.files });
}
/** Asks the engine for its EngineFacts, both questions at once. */
async function engineFacts(docker) {
    const [server, bridge] = await Promise.all([docker.version(), hasNetwork(docker, 'bridge')]);
    return { server, bridge };
}
/**
 * Opens the build's BuildKit session; never rejects. A client pinned below 1.39 is known to build
 * classic without asking the engine: no session. An engine too old for sessions refuses the
 * session itself, which is why its failure is kept for buildImage to weigh, not thrown.
 */
function startSession(docker, secrets, auth) {
    const pinned = docker.modem.version;
    if (classicReason({}, pinned) !== undefined)
        return Promise.resolve({ ok: false, err: undefined });
    return openSession(docker, secrets, auth).then((session) => ({ ok: true, session }), (err) => ({ ok: false, err }));
}
/**
 * Builds with BuildKit when the engine has it (secrets and registry credentials served over a
 * session), else with the classic builder, saying why. Resolves to the image id. `facts` and
 * `opened`: the engine's answers and the session when the caller started them already (while it
 * asked the registry); else started here, together: every round trip to the engine is on the
 * build's clock. The session is closed when the build is over, or at once when it cannot serve.
 */
async function buildImage(docker, req, onLine, facts = engineFacts(docker), opened = startSession(docker, req.secrets, req.auth)) {
    const pinned = docker.modem.version;
    // Both awaited at once, so a failed `facts` is handled while the session still opens.
    const [start, known] = await Promise.all([
        opened,
        facts.then((f) => ({ ok: true, ...f }), (err) => ({ ok: false, err })),
    ]);
    if (!known.ok) {
        if (start.ok)
            start.session.close();
        throw known.err;
    }
    const { server, bridge } = known;
    let reason = classicReason(server, pinned);
    let session;
    if (start.ok && reason)
        start.session.close();
    else if (start.ok)
        session = start.session;
    else if (!reason) {
        if (!(start.err instanceof SessionUnsupportedError))
            throw start.err;
        reason = start.err.message;
    }
    if (!session) {
        const why = reason ?? 'no BuildKit session';
        if (req.secrets.size > 0)
            throw new BuildError(`build-secrets need BuildKit, and ${why}`, [], [], why);
        onLine(`This engine cannot build with BuildKit (${why}): using the classic builder.`);
        return { ...(await buildClassic(docker, req, onLine)), fallbackReason: why };
    }
    try {
        const networkMode = bridge ? undefined : 'host';
        return await buildKit(docker, req, { kind: 'buildkit', session: session.id, networkMode }, session, onLine);
    }
    finally {
        session.close();
    }
}
/** Engines started with --bridge=none have no default network for RUN steps: BuildKit then needs one named. */
async function hasNetwork(docker, name) {
    try {
        await docker.getNetwork(name).inspect();
        return true;
    }
    catch {
        return false;
    }
}
async function dialBuild(docker, req, builder) {
    const a = req.auth;
    // Classic builds get registry credentials for FROM in a header; BuildKit asks over the session.
    const registryconfig = builder.kind === 'classic' && a?.username && a.password
        ? { [a.serveraddress]: { username: a.username, password: a.password } }
        : undefined;
    return new Promise((resolve, reject) => {
        docker.modem.dial({
            path: '/build?',
            method: 'POST',
            file: contextTar(req),
            options: buildQuery(req, builder),
            registryconfig,
            isStream: true,
            statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
        }, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
}
async function buildKit(docker, req, builder, session, onLine) {
    const progress = new BuildProgress();
    let id;
    const translate = (e) => {
        if (e.id === 'moby.buildkit.trace' && typeof e.aux === 'string')
            return progress.feed(decodeStatus(e.aux));
        if (e.id === 'moby.image.id' && typeof e.aux === 'object')
            id = e.aux.ID;
        return undefined;
    };
    try {
        await follow(docker, await dialBuild(docker, req, builder), onLine, translate);
    }
    catch (err) {
        const report = progress.report();
        const missing = [...session.missingSecrets];
        const lines = report.failed?.lines.length
            ? report.failed.lines
            : err instanceof DockerStreamError
                ? err.lastLines
                : [];
        throw new BuildError(err.message, lines, missing);
    }
    return {
        id: id ?? (await docker.getImage(req.tag).inspect()).Id,
        builder: 'buildkit',
        progress: progress.report(),
        missingSecrets: [...session.missingSecrets],
    };
}
async function buildClassic(docker, req, onLine) {
    const builder = { kind: 'classic', reason: '' };
    const { events } = await follow(docker, await dialBuild(docker, req, builder), onLine);
    const id = events.map((e) => (typeof e.aux === 'object' ? e.aux.ID : undefined)).find(Boolean);
    return { id: id ?? (await docker.getImage(req.tag).inspect()).Id, builder: 'classic', missingSecrets: [] };
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ../build/registry-auth.ts




const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
/** The registry host of an image repository, by Docker's rule: a first part with `.` or `:` or `localhost`. */
function registryHost(image) {
    const first = image.split('/')[0] ?? '';
    return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
        ? first
        : 'docker.io';
}
/**
 * Credentials for pushing `image`: the inputs when given, else the Docker config file that
 * `docker login` / `docker/login-action` write (`auths`, or a credential helper), else none.
 */
function resolveAuth(image, username, password, env = process.env) {
    const host = registryHost(image);
    if (username && password)
        return {
            auth: { username, password, serveraddress: host },
            source: 'registry-username/registry-password',
        };
    const configDir = env.DOCKER_CONFIG || external_node_path_default().join(external_node_os_default().homedir(), '.docker');
    const file = external_node_path_default().join(configDir, 'config.json');
    if (!external_node_fs_default().existsSync(file))
        return { source: `none (no ${file})` };
    let config;
    try {
        config = JSON.parse(external_node_fs_default().readFileSync(file, 'utf8'));
    }
    catch {
        throw new Error(`${file} is not valid JSON; fix or remove it, or set registry-username and registry-password.`);
    }
    const keys = host === 'docker.io' ? HUB_KEYS : [host, `https://${host}`, `http://${host}`];
    const entry = keys.map((k) => config.auths?.[k]).find(Boolean);
    if (entry?.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        return {
            auth: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: host },
            source: file,
        };
    }
    if (entry?.identitytoken)
        return { auth: { identitytoken: entry.identitytoken, serveraddress: host }, source: file };
    const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean) ?? config.credsStore;
    if (helper)
        return { auth: fromHelper(helper, host), source: `docker-credential-${helper}` };
    return { source: `none (no entry for ${host} in ${file})` };
}
/** The credential-helper protocol: server URL on stdin, JSON {Username, Secret} on stdout. */
function fromHelper(helper, host) {
    try {
        const out = (0,external_node_child_process_.execFileSync)(`docker-credential-${helper}`, ['get'], {
            input: host,
            encoding: 'utf8',
            stdio: ['pipe', 'pipe', 'ignore'],
        });
        const { Username, Secret } = JSON.parse(out);
        return Username === '<token>'
            ? { identitytoken: Secret, serveraddress: host }
            : { username: Username, password: Secret, serveraddress: host };
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ../secrets.ts
var secrets = __webpack_require__(6214);
;// CONCATENATED MODULE: ../stages/build.ts










/**
 * Starts the engine, git and registry questions of a build (see BuildPrep), the slowest first:
 * the registry's answer for this commit's own tag, which decides whether anything is built.
 */
function prepareBuild(b, o) {
    const repo = b.image;
    const docker = o.docker ?? new (docker_default())(engineOptions());
    const prior = o.askPrior
        ? findPriorBuild(b, o.ctx.sha, o.access, o.log, docker)
        : Promise.resolve(undefined);
    const facts = engineFacts(docker);
    // Marked handled: a run that never builds (failed gate, earlier build) leaves it unread.
    facts.catch(() => undefined);
    // A first attempt usually builds (a re-run usually finds its image): its session's gRPC code
    // loads now, while the questions above are in flight, instead of on the way to the build.
    if (o.ctx.runAttempt === 1 && !o.dryRun)
        setImmediate(warmSession);
    return {
        docker,
        prior,
        reachable: docker.ping().then(() => undefined, (err) => (err instanceof Error ? err : new Error(String(err)))),
        facts,
        cache: b.buildCache === 'registry' && !o.dryRun
            ? lookupCache(docker, repo, o)
            : Promise.resolve({ candidates: [], refs: [], skipped: [] }),
    };
}
const GATE_LABEL = 'dev.safe-deploy.gate';
/** Credentials for the image's registry, resolved once and masked before any use. */
function registryAccess(b, log) {
    const access = resolveAuth(b.image, b.registryUsername, b.registryPassword);
    const auth = access.auth;
    if (auth?.password) {
        (0,secrets/* registerSecret */.c)(auth.password);
        (0,secrets/* registerSecret */.c)(`${auth.username}:${auth.password}`);
        (0,secrets/* registerSecret */.c)(Buffer.from(JSON.stringify(auth)).toString('base64url'));
    }
    if (auth?.identitytoken)
        (0,secrets/* registerSecret */.c)(auth.identitytoken);
    log.info(`Registry credentials: ${access.source}.`);
    return access;
}
/**
 * Before the gate: is this commit's image already in the registry, and did its gate pass? A
 * re-run of an old run (a rollback) or a second environment then skips gate and build. Any doubt
 * (registry unreachable, credentials refused) answers undefined: the build stage asks again and
 * reports the cause in its own words.
 */
async function findPriorBuild(b, sha, access, log, docker = new (docker_default())()) {
    try {
        const remote = await lookupRemote(docker, `${b.image}:${sha}`, access.auth);
        if (!remote.exists)
            return null;
        const imageRef = `${b.image}@${remote.digest}`;
        const labels = await imageLabels(docker, imageRef, access.auth, log.debug);
        return { digest: remote.digest, imageRef, gatePassed: labels[GATE_LABEL] === 'passed' };
    }
    catch (err) {
        log.debug(`Could not look for an earlier build: ${err.message}`);
        return undefined;
    }
}
async function runBuild(b, o) {
    const repo = b.image;
    const image = `${repo}:${o.ctx.sha}`;
    const push = b.push && o.mayPush;
    const base = {
        image,
        buildSkipped: false,
        pushed: false,
        tags: [o.ctx.sha, ...b.tags],
    };
    const prep = o.prep ?? prepareBuild(b, { ...o, askPrior: false });
    const { docker } = prep;
    const unreachable = await prep.reachable;
    if (unreachable) {
        const where = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
        throw new Error(`cannot reach the Docker engine at ${where} (${unreachable.message}); is Docker running on this runner?`);
    }
    const auth = o.access.auth;
    const already = (p) => ({
        ...base,
        status: 'passed',
        detail: `already built for this commit: ${p.digest}`,
        digest: p.digest,
        imageRef: p.imageRef,
        buildSkipped: true,
    });
    if (o.prior)
        return already(o.prior);
    if (b.rebuild === 'auto' && push && o.prior === undefined) {
        o.log.info(`Asking the registry whether ${image} already exists…`);
        const remote = await lookupRemote(docker, image, auth);
        if (remote.exists) {
            o.log.info(`${image} is already in the registry (${remote.digest}): not building it again.`);
            return already({ digest: remote.digest, imageRef: `${repo}@${remote.digest}`, gatePassed: false });
        }
    }
    if (o.dryRun) {
        return {
            ...base,
            status: 'skipped',
            detail: `dry run: would build ${image}${push ? ' and push it' : ''} (not in the registry yet)`,
        };
    }
    const contextDir = external_node_path_default().resolve(o.workDir, b.context);
    const labels = {
        'org.opencontainers.image.revision': o.ctx.sha,
        'org.opencontainers.image.created': new Date().toISOString(),
        ...(o.ctx.repository
            ? { 'org.opencontainers.image.source': `${o.ctx.serverUrl}/${o.ctx.repository}` }
            : {}),
        [GATE_LABEL]: o.gateLabel,
        ...b.labels,
    };
    const secrets = new Map(Object.entries(b.buildSecrets));
    // The session opens and the context is listed while the cache lookups finish. The try below
    // closes the session however the build ends (buildImage closes it too: closing twice is
    // nothing); a context that cannot be listed closes it here.
    const opened = startSession(docker, secrets, auth);
    let files;
    try {
        files = listContextFiles(contextDir, b.dockerfile);
    }
    catch (err) {
        void opened.then((s) => s.ok && s.session.close());
        throw err;
    }
    const cacheFrom = b.buildCache === 'registry' ? reportCache(await prep.cache, o.log) : [];
    o.log.info(`Building ${image} from ${contextDir} (${b.dockerfile})…`);
    const started = Date.now();
    let outcome;
    try {
        outcome = await buildImage(docker, {
            contextDir,
            files,
            dockerfile: b.dockerfile,
            tag: image,
            buildArgs: b.buildArgs,
            target: b.buildTarget,
            labels,
            auth,
            secrets,
            cacheFrom,
            inlineCache: b.buildCache === 'registry',
        }, o.log.info, prep.facts, opened);
    }
    catch (err) {
        const missing = err instanceof BuildError ? err.missingSecrets : [];
        if (missing.length > 0) {
            return failure(base, `docker build failed (the Dockerfile asked for secret ${missing.join(', ')}, which build-secrets does not define)`, err, `Add ${missing.map((m) => `\`${m}=…\``).join(' and ')} to build-secrets, or fix the secret id in the Dockerfile's RUN --mount.`);
        }
        return failure(base, 'docker build failed', err, err instanceof BuildError && err.fallbackReason
            ? 'Run the build on an engine with BuildKit (Docker 18.09 or later, Linux), or remove build-secrets.'
            : "Fix the Dockerfile or build context (Docker's message and last lines are above), then push again.");
    }
    finally {
        void opened.then((s) => s.ok && s.session.close());
    }
    const info = (0,describe/* describeBuild */.SY)(outcome, b.buildCache, cacheFrom, (Date.now() - started) / 1000);
    info.sizeBytes = (await docker.getImage(outcome.id).inspect()).Size;
    if (outcome.missingSecrets.length > 0)
        o.log.warn(`The Dockerfile asked for secret ${outcome.missingSecrets.join(', ')}, which build-secrets does not define: its RUN step ran without it.`);
    o.log.info((0,describe/* buildLine */.hU)(info));
    for (const tag of b.tags)
        await docker.getImage(image).tag({ repo, tag });
    if (!push) {
        const why = o.mayPush ? 'push is false' : 'pull requests never push';
        return { ...base, status: 'passed', detail: `built ${image}; not pushed (${why})`, info };
    }
    let digest;
    try {
        for (const tag of base.tags) {
            o.log.info(`Pushing ${repo}:${tag}…`);
            const d = await pushImage(docker, repo, tag, auth, o.log.info);
            digest ??= d;
        }
    }
    catch (err) {
        return failure(base, 'docker push failed', err, 'Check that the registry is reachable and that the credentials may push to this repository.');
    }
    base.info = info;
    if (!digest)
        return { ...base, status: 'failed', detail: `pushed ${image} but the registry reported no digest` };
    return {
        ...base,
        status: 'passed',
        detail: `built and pushed ${image} (${digest})`,
        digest,
        imageRef: `${repo}@${digest}`,
        pushed: true,
    };
}
function failure(base, what, err, hint) {
    const message = err instanceof Error ? err.message : String(err);
    const lastLines = err instanceof DockerStreamError ? err.lastLines : undefined;
    return { ...base, status: 'failed', detail: `${what}: ${message.split('\n')[0]}`, hint, lastLines };
}
/** The docker CLI's DOCKER_API_VERSION pins the API version spoken to the engine; so does it here. */
function engineOptions(env = process.env) {
    const v = env.DOCKER_API_VERSION?.trim();
    return v ? { version: v.startsWith('v') ? v : `v${v}` } : {};
}
/**
 * The cache candidates that exist in the registry, asked together. The event's commits are asked
 * at once and git's parents when git answers (usually the same commit: `before`), so git is not
 * on the way. A missing or unreadable ref is skipped quietly (reportCache logs it at debug level):
 * cache is an optimisation and must never fail a build.
 */
async function lookupCache(docker, repo, o) {
    const asked = new Map();
    const ask = (ref) => {
        const known = asked.get(ref);
        if (known)
            return known;
        const answer = lookupRemote(docker, ref, o.access.auth).then((r) => ({ ref, found: r.exists }), (err) => ({ ref, error: err.message }));
        asked.set(ref, answer);
        return answer;
    };
    const events = eventCommits(o.ctx.payload);
    cacheFromCandidates(repo, o.ctx.sha, events).forEach(ask);
    const parents = await gitParents(o.workDir, o.ctx.sha);
    const candidates = cacheFromCandidates(repo, o.ctx.sha, [...parents, ...events]);
    const answers = await Promise.all(candidates.map(ask));
    return {
        candidates,
        refs: answers.flatMap((a) => ('found' in a && a.found ? [a.ref] : [])),
        skipped: answers.flatMap((a) => ('error' in a ? [{ ref: a.ref, why: a.error }] : [])),
    };
}
/** Logs what the cache lookups found, in the build's log group; returns the refs to use. */
function reportCache(c, log) {
    for (const s of c.skipped)
        log.debug(`Not using ${s.ref} as build cache: ${s.why}`);
    log.info(c.refs.length > 0
        ? `Build cache from the registry: ${c.refs.join(', ')}.`
        : c.candidates.length > 0
            ? `Build cache: none of ${c.candidates.length} earlier image(s) is in the registry; building from local cache only.`
            : 'Build cache: no earlier commit known (no git parents, no event "before"); building from local cache only.');
    return c.refs;
}


/***/ }),

/***/ 1214:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


// Stands in for `@grpc/grpc-js` in the bundle only (src/lazy/tsconfig.json maps the name here):
// dockerode requires it when it loads, for its own BuildKit session, which the action never uses;
// our session (src/build/session.ts) loads the real module on first use. Its path below is not
// the mapped name, so it reaches the real one.
let real;
module.exports = new Proxy(
  {},
  { get: (_, key) => (real ??= __webpack_require__(4885))[key] },
);


/***/ }),

/***/ 8972:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


// Stands in for `@grpc/proto-loader` in the bundle only (src/lazy/tsconfig.json maps the name here):
// dockerode requires it when it loads, for its own BuildKit session, which the action never uses.
let real;
module.exports = new Proxy(
  {},
  { get: (_, key) => (real ??= __webpack_require__(4133))[key] },
);


/***/ }),

/***/ 2314:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


// Stands in for `ssh2` in the bundle only (src/lazy/tsconfig.json maps the name here): docker-modem
// requires it when it loads, for ssh:// engines, which most runs never use. The real module loads
// on first use instead. Its path below is not the mapped name, so it reaches the real one.
let real;
const load = () => (real ??= __webpack_require__(972));
// docker-modem takes `require('ssh2').Client` at load time: a constructor that builds the real one.
function Client(...args) {
  return new (load().Client)(...args);
}
module.exports = new Proxy({ Client }, { get: (own, key) => (key === 'Client' ? Client : load()[key]) });


/***/ })

};
;