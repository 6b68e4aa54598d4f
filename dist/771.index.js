"use strict";
exports.id = 771;
exports.ids = [771];
exports.modules = {

/***/ 9909:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  closeSshConnections: () => (/* reexport */ closeSshConnections),
  deployDocker: () => (/* reexport */ deployDocker),
  dockerFromHost: () => (/* reexport */ dockerFromHost),
  holdDockerLock: () => (/* reexport */ holdDockerLock),
  hostLabel: () => (/* reexport */ hostLabel),
  pingOrExplain: () => (/* reexport */ pingOrExplain),
  preflightDocker: () => (/* reexport */ preflightDocker),
  readDockerState: () => (/* reexport */ readDockerState),
  rollbackDocker: () => (/* reexport */ rollbackDocker)
});

// EXTERNAL MODULE: ../util/status-ranges.ts
var status_ranges = __webpack_require__(6623);
// EXTERNAL MODULE: ../deploy/docker/defaults.ts
var defaults = __webpack_require__(6992);
// EXTERNAL MODULE: ../../node_modules/dockerode/lib/docker.js
var docker = __webpack_require__(5292);
var docker_default = /*#__PURE__*/__webpack_require__.n(docker);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: ./ssh2.cjs
var ssh2 = __webpack_require__(2314);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
var external_node_crypto_default = /*#__PURE__*/__webpack_require__.n(external_node_crypto_);
;// CONCATENATED MODULE: ../deploy/docker/known-hosts.ts

function parseKnownHosts(text) {
    const keys = [];
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const fields = line.split(/\s+/);
        // A marker such as @cert-authority or @revoked is not a plain key: skip the line.
        if (fields[0]?.startsWith('@'))
            continue;
        const [hosts, type, b64] = fields;
        if (!hosts || !type || !b64)
            continue;
        keys.push({ hosts: hosts.split(','), type, key: Buffer.from(b64, 'base64') });
    }
    return keys;
}
/** How a host is named in known_hosts: `host`, or `[host]:port` when the port is not 22. */
function hostPattern(host, port) {
    return port === 22 ? host : `[${host}]:${port}`;
}
function hostMatches(pattern, name) {
    if (pattern.startsWith('|1|')) {
        const [, , salt, hash] = pattern.split('|');
        if (!salt || !hash)
            return false;
        const mac = external_node_crypto_default().createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
        return mac === hash;
    }
    return pattern === name;
}
/** Whether `key` (the raw key blob the server presented) is a known key of host:port. */
function isKnownKey(known, host, port, key) {
    const name = hostPattern(host, port);
    return known.some((k) => k.hosts.some((h) => hostMatches(h, name)) && k.key.equals(key));
}
/** The key's type, read from the blob itself (its first SSH string). */
function keyType(key) {
    if (key.length < 4)
        return 'unknown';
    const len = key.readUInt32BE(0);
    return key.subarray(4, 4 + len).toString('ascii') || 'unknown';
}
/** `SHA256:…` as `ssh-keygen -l` prints it. */
function fingerprint(key) {
    return `SHA256:${external_node_crypto_default().createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
/** The known_hosts line for the key a host presented. */
function knownHostsLine(host, port, key) {
    return `${hostPattern(host, port)} ${keyType(key)} ${key.toString('base64')}`;
}
/** The message when the key is not known: what was presented, and the line to add after checking it. */
function unknownKeyMessage(host, port, key, known) {
    const name = hostPattern(host, port);
    const forHost = known.filter((k) => k.hosts.some((h) => hostMatches(h, name)));
    const why = known.length === 0
        ? 'ssh-known-hosts is not set'
        : forHost.length === 0
            ? `ssh-known-hosts has no key for ${name}`
            : `the host key of ${name} does not match ssh-known-hosts (it may have been re-installed, or someone is in the path)`;
    return (`${why}: ${name} presented ${keyType(key)} key ${fingerprint(key)}. Nothing was changed. ` +
        `If that fingerprint is the host's (check on the host: ssh-keygen -lf /etc/ssh/ssh_host_${keyType(key).replace(/^ssh-/, '')}_key.pub), ` +
        `add this line to ssh-known-hosts: ${knownHostsLine(host, port, key)}`);
}

;// CONCATENATED MODULE: ../deploy/docker/ssh-agent.ts



/**
 * HTTP to a remote Docker engine over SSH, the way the docker CLI does it: one SSH connection per
 * run, and each HTTP connection a `docker system dial-stdio` channel on it. (docker-modem's own ssh
 * transport opens a new SSH connection for every API call, dozens per deploy, and builds an
 * `ssh:` URL that Node deprecates.)
 */
const ssh_agent_open = new Set();
function sshAgent(config, knownHosts) {
    let client;
    const host = config.host ?? '';
    const port = config.port ?? 22;
    const known = parseKnownHosts(knownHosts ?? '');
    const connect = () => (client ??= new Promise((resolve, reject) => {
        // Checked before authentication: an unknown host never sees the key or any request.
        let refused;
        const hostVerifier = (key) => {
            if (isKnownKey(known, host, port, key))
                return true;
            refused = unknownKeyMessage(host, port, key, known);
            return false;
        };
        const c = new ssh2.Client();
        c.once('ready', () => {
            ssh_agent_open.add(c);
            resolve(c);
        });
        c.once('error', (err) => {
            client = undefined;
            reject(refused ? new Error(refused) : err);
        });
        c.once('close', () => {
            client = undefined;
            ssh_agent_open.delete(c);
        });
        c.connect({ ...config, hostVerifier });
    }));
    const agent = new (external_node_http_default()).Agent();
    // Node's Agent accepts a socket through the callback when createConnection returns nothing.
    agent.createConnection = (_options, done) => {
        connect()
            .then((c) => c.exec('docker system dial-stdio', (err, stream) => (err ? done(err) : done(null, stream))))
            .catch((err) => done(err));
        return undefined;
    };
    return agent;
}
/** Ends every SSH connection, so the process can exit when the run is done. */
function closeSshConnections() {
    for (const c of ssh_agent_open)
        c.end();
    ssh_agent_open.clear();
}

;// CONCATENATED MODULE: ../deploy/docker/client.ts


const clients = new Map();
/**
 * Connects to `docker-host`; nothing is sent until the first call (see `pingOrExplain`). One
 * client per host and credentials for the whole run (the preflight, the state read, the deploy
 * and a rollback share it, and over SSH its one connection).
 */
function dockerFromHost(host, sshKey, sshKnownHosts) {
    const key = JSON.stringify([
        host?.trim() || process.env.DOCKER_HOST?.trim() || '',
        sshKey ?? '',
        sshKnownHosts ?? '',
    ]);
    let client = clients.get(key);
    if (!client) {
        client = newClient(host, sshKey, sshKnownHosts);
        clients.set(key, client);
    }
    return client;
}
function newClient(host, sshKey, sshKnownHosts) {
    const target = host?.trim() || process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
    // Every field is set explicitly: docker-modem merges its own DOCKER_HOST defaults under ours, so
    // a `host` left out would leak in from the environment and override a unix socket given here.
    const base = { host: undefined, port: undefined, socketPath: undefined, username: undefined };
    if (target.startsWith('unix://')) {
        return new (docker_default())({ ...base, socketPath: target.slice('unix://'.length) || '/var/run/docker.sock' });
    }
    if (target.startsWith('/'))
        return new (docker_default())({ ...base, socketPath: target });
    let url;
    try {
        url = new URL(target.includes('://') ? target : `tcp://${target}`);
    }
    catch {
        throw new Error(`docker-host "${target}" is not unix://PATH, tcp://HOST:PORT or ssh://USER@HOST[:PORT]`);
    }
    if (url.protocol === 'ssh:') {
        // Plain HTTP to a placeholder address; the agent carries every connection over SSH. docker-modem
        // honours `agent` though its types do not declare it.
        return new (docker_default())({
            ...base,
            protocol: 'http',
            host: 'docker.invalid',
            port: 80,
            agent: sshAgent({
                host: url.hostname,
                port: Number(url.port) || 22,
                username: decodeURIComponent(url.username) || 'root',
                ...(sshKey ? { privateKey: sshKey } : { agent: process.env.SSH_AUTH_SOCK }),
                readyTimeout: 20_000,
            }, sshKnownHosts),
        });
    }
    if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
        // tcp://…:2376 is Docker's TLS port by convention, as the docker CLI assumes.
        const tls = url.protocol === 'https:' || url.port === '2376' || process.env.DOCKER_TLS_VERIFY === '1';
        return new (docker_default())({
            ...base,
            protocol: tls ? 'https' : 'http',
            host: url.hostname,
            port: url.port || (tls ? 2376 : 2375),
        });
    }
    throw new Error(`docker-host "${target}": unsupported scheme ${url.protocol} (use unix://, tcp:// or ssh://)`);
}
/** The host as a person would name it in a message: never with credentials. */
function hostLabel(host) {
    const target = host?.trim() || process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
    return target.replace(/\/\/[^@/]*:[^@/]*@/, '//');
}
/**
 * Fails fast, before anything changes, when the Docker host cannot be reached: a refused
 * connection, a wrong socket path, an ssh failure or a host that never answers.
 */
async function pingOrExplain(docker, label, timeoutMs = 15_000) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${Math.round(timeoutMs / 1000)}s`)), timeoutMs);
    });
    try {
        await Promise.race([docker.ping(), timeout]);
    }
    catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        const check = label.startsWith('ssh://') ? 'docker-host and ssh-key' : 'docker-host';
        throw new Error(`cannot reach the Docker host ${label}: ${reason}; check ${check}`);
    }
    finally {
        clearTimeout(timer);
    }
}

;// CONCATENATED MODULE: ../deploy/docker/exec.ts
/**
 * Splits Docker's multiplexed stream (no TTY): frames of an 8-byte header (stream type, 3 zero
 * bytes, big-endian size) and the payload. Used for exec output and for `logs`.
 */
function demux(raw) {
    const out = [];
    const err = [];
    const both = [];
    let i = 0;
    while (i + 8 <= raw.length) {
        const type = raw[i];
        const size = raw.readUInt32BE(i + 4);
        const payload = raw.subarray(i + 8, i + 8 + size);
        (type === 2 ? err : out).push(payload);
        both.push(payload);
        i += 8 + size;
    }
    const text = (parts) => Buffer.concat(parts).toString('utf8');
    return { stdout: text(out), stderr: text(err), both: text(both) };
}
/** Runs a command inside a running container and returns its output and exit code. */
async function execIn(docker, container, cmd, timeoutMs = 30_000, env) {
    const exec = await docker
        .getContainer(container)
        .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, ...(env && { Env: env }) });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks = [];
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            stream.destroy();
            reject(new Error(`\`${cmd.join(' ')}\` in ${container} did not finish in ${timeoutMs}ms`));
        }, timeoutMs);
        stream.on('data', (c) => chunks.push(c));
        const done = () => {
            clearTimeout(timer);
            resolve();
        };
        stream.on('end', done);
        stream.on('close', done);
        stream.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
        });
    });
    // The stream can end a moment before the daemon records the exit code.
    for (let i = 0;; i++) {
        const info = await exec.inspect();
        if (!info.Running && info.ExitCode !== null) {
            const { stdout, stderr } = demux(Buffer.concat(chunks));
            return { exitCode: info.ExitCode, stdout, stderr };
        }
        if (i > 50)
            throw new Error(`\`${cmd.join(' ')}\` in ${container}: no exit code`);
        await sleep(20);
    }
}
/** The last `tail` lines a container wrote, stdout and stderr interleaved as frames arrived. */
async function lastLogLines(docker, container, tail = 50) {
    try {
        const raw = await docker
            .getContainer(container)
            .logs({ stdout: true, stderr: true, tail, follow: false });
        return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
            .both.split('\n')
            .filter((l) => l.trim() !== '')
            .slice(-tail);
    }
    catch {
        return [];
    }
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** The HTTP status Docker answered with, when the error came from the API. */
function statusOf(err) {
    const code = err?.statusCode;
    return typeof code === 'number' ? code : undefined;
}
function messageOf(err) {
    const e = err;
    if (typeof e?.json?.message === 'string')
        return e.json.message;
    return typeof e?.message === 'string' ? e.message : String(err);
}
/** A deploy or rollback that stopped on an error: nothing switched, nothing pruned. */
function failedResult(err, signal) {
    const cancelled = signal?.aborted === true;
    return {
        status: 'failed',
        detail: messageOf(err),
        gap: false,
        removed: [],
        ...(cancelled && { cancelled }),
    };
}

;// CONCATENATED MODULE: ../deploy/docker/lock.ts

const POLL_MS = 250;
/** The holder writes a line this often; the lock exits after LEASE_S seconds without one. */
const HEARTBEAT_MS = 5_000;
const LEASE_S = 20;
/** A lease lock still in `created` after this long belongs to a run that died before starting it. */
const NEVER_STARTED_MS = 30_000;
const KIND = 'safe-deploy.lock.kind';
const PROGRESS_EVERY_MS = 15_000;
function lockName(app, environment) {
    return `safe-deploy-lock-${app}-${environment}`;
}
async function acquireLock(docker, cfg) {
    const started = Date.now();
    let lastProgress = 0;
    for (;;) {
        if (cfg.signal?.aborted)
            throw new Error('cancelled while waiting for the deploy lock');
        const since = new Date().toISOString();
        try {
            const release = await takeLease(docker, cfg, since);
            if (Date.now() - started > POLL_MS)
                cfg.log(`took the deploy lock ${cfg.name}`);
            return release;
        }
        catch (err) {
            if (statusOf(err) !== 409)
                throw err;
        }
        const holder = await describeHolder(docker, cfg.name);
        if (!holder)
            continue; // released between our create and inspect: try again at once
        const age = Date.now() - holder.since.getTime();
        const who = `run ${holder.runId}${holder.url ? ` (${holder.url})` : ''} since ${holder.since.toISOString()}`;
        const dead = holder.lease
            ? holder.status === 'exited' ||
                holder.status === 'dead' ||
                (holder.status === 'created' && age > NEVER_STARTED_MS)
            : age > cfg.staleMs;
        if (dead) {
            cfg.log(holder.lease
                ? `breaking the deploy lock of ${who}: that run is gone (its lock ${holder.status})`
                : `breaking the stale deploy lock held by ${who}: older than ${Math.round(cfg.staleMs / 1000)}s`);
            await docker
                .getContainer(holder.id)
                .remove({ force: true })
                .catch(() => undefined);
            continue;
        }
        const waited = Date.now() - started;
        if (waited >= cfg.waitMs) {
            throw new Error(`the deploy lock ${cfg.name} is held by ${who}; gave up after ${Math.round(waited / 1000)}s ` +
                `(deploy-lock-wait). If that run is gone, free the lock with: docker rm ${cfg.name}`);
        }
        if (lastProgress === 0 || Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
            cfg.log(`waiting for the deploy lock held by ${who}`);
            lastProgress = Date.now();
        }
        await sleep(Math.min(POLL_MS, cfg.waitMs - waited), cfg.signal);
    }
}
/**
 * Creates the lock (409 when another run holds it), attaches to its stdin and starts it. The
 * release closes stdin (the loop ends, the container removes itself) and removes it to be sure.
 */
async function takeLease(docker, cfg, since) {
    // The create is the lock (atomic by name). Tying its life to ours (attach, start) runs off the
    // deploy's critical path: a run that dies before the start leaves a `created` lock, which a
    // waiter breaks after NEVER_STARTED_MS.
    const c = await docker.createContainer(lockCreateBody(cfg, since));
    let beat;
    const tied = (async () => {
        const stream = (await c.attach({ stream: true, stdin: true, hijack: true }));
        stream.on('error', () => undefined); // a dropped connection ends the lease; the release says the rest
        await c.start();
        beat = setInterval(() => stream.write('\n'), HEARTBEAT_MS);
        beat.unref();
        return stream;
    })();
    tied.catch((err) => cfg.log(`note: the deploy lock ${cfg.name} could not be tied to this run (${String(err.message ?? err)}); it is still held`));
    return async () => {
        const stream = await tied.catch(() => undefined);
        clearInterval(beat);
        stream?.end();
        await c.remove({ force: true }).catch((err) => {
            // 404: gone already; 409: the daemon is auto-removing it right now.
            if (statusOf(err) !== 404 && statusOf(err) !== 409)
                throw err;
        });
    };
}
/** The lock container's create body (pure, table-tested). */
function lockCreateBody(cfg, since) {
    return {
        name: cfg.name,
        Image: cfg.image,
        Entrypoint: ['sh', '-c', `while read -t ${LEASE_S} line; do :; done`],
        Cmd: [],
        OpenStdin: true,
        StdinOnce: true,
        AttachStdin: true,
        Labels: {
            'safe-deploy.role': 'lock',
            [KIND]: 'lease',
            'safe-deploy.lock.holder': cfg.runId ?? `local-${process.pid}`,
            'safe-deploy.lock.url': cfg.runUrl ?? '',
            'safe-deploy.lock.since': since,
        },
        HostConfig: { NetworkMode: 'none', AutoRemove: true },
    };
}
async function describeHolder(docker, name) {
    try {
        const info = await docker.getContainer(name).inspect();
        const labels = info.Config.Labels ?? {};
        const since = new Date(labels['safe-deploy.lock.since'] ?? info.Created);
        return {
            id: info.Id,
            lease: labels[KIND] === 'lease',
            status: info.State.Status,
            runId: labels['safe-deploy.lock.holder'] ?? 'unknown',
            url: labels['safe-deploy.lock.url'] ?? '',
            since: Number.isNaN(since.getTime()) ? new Date(info.Created) : since,
        };
    }
    catch (err) {
        if (statusOf(err) === 404)
            return undefined;
        throw err;
    }
}

;// CONCATENATED MODULE: ../deploy/docker/proc-net.ts
const ESTABLISHED = '01';
const CLOSE_WAIT = '08';
/** The hex form /proc/net/tcp uses for an IPv4 address (little-endian 32-bit word). */
function hex4(ip) {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
        return undefined;
    return parts
        .reverse()
        .map((p) => p.toString(16).padStart(2, '0'))
        .join('')
        .toUpperCase();
}
const hexPort = (port) => port.toString(16).padStart(4, '0').toUpperCase();
/**
 * A shell command that prints the tables' header lines and the lines clientConnections keeps for
 * `ports`: on a host-network proxy the table is the whole host's, and its thousand TIME_WAIT lines
 * cost ~30 ms on the way out of an exec. awk: busybox's in the proxy image, mawk here.
 */
function clientConnectionsScript(ports) {
    const hex = ports.map(hexPort).join('|') || 'none';
    return `awk 'FNR == 1 || (($4 == "${ESTABLISHED}" || $4 == "${CLOSE_WAIT}") && $2 ~ /:(${hex})$/)' /proc/net/tcp /proc/net/tcp6 2>/dev/null`;
}
/** The socket lines of /proc/net/tcp{,6}: local address, remote address, state (upper case). */
function sockets(procNet) {
    const out = [];
    for (const line of procNet.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length > 3 && /^\d+:$/.test(f[0] ?? ''))
            out.push({ local: (f[1] ?? '').toUpperCase(), remote: (f[2] ?? '').toUpperCase(), state: f[3] ?? '' });
    }
    return out;
}
/**
 * ESTABLISHED connections whose remote end is `to`, in the text of /proc/net/tcp and tcp6 (an
 * IPv4 address appears in tcp6 as ::ffff:a.b.c.d). Undefined when `to` is not an IPv4 address.
 */
function connectionsTo(procNet, to) {
    const ip = hex4(to.ip);
    if (!ip)
        return undefined;
    const port = hexPort(to.port);
    const remotes = new Set([`${ip}:${port}`, `0000000000000000FFFF0000${ip}:${port}`]);
    return sockets(procNet).filter((s) => s.state === ESTABLISHED && remotes.has(s.remote)).length;
}
/**
 * The server side of the client connections to `ports` (the site's public ports) that are still
 * the server's to answer: ESTABLISHED, or CLOSE_WAIT (the client has sent all it will, the server
 * may still be answering). Keyed by both ends, which no other connection shares while it is open.
 */
function clientConnections(procNet, ports) {
    const suffixes = ports.map((p) => `:${hexPort(p)}`);
    const keys = new Set();
    for (const s of sockets(procNet)) {
        if ((s.state === ESTABLISHED || s.state === CLOSE_WAIT) && suffixes.some((x) => s.local.endsWith(x)))
            keys.add(`${s.local}>${s.remote}`);
    }
    return keys;
}

;// CONCATENATED MODULE: ../deploy/docker/tar.ts
const BLOCK = 512;
function writeString(buf, value, offset, length) {
    buf.write(value.slice(0, length), offset, length, 'utf8');
}
function writeOctal(buf, value, offset, length) {
    // Octal digits, zero padded, followed by a NUL, as every tar reader expects.
    writeString(buf, value.toString(8).padStart(length - 1, '0') + '\0', offset, length);
}
/** ustar keeps names up to 100 bytes, or 155 + 100 split at a `/`. */
function splitName(name) {
    if (Buffer.byteLength(name) <= 100)
        return ['', name];
    const cut = name.lastIndexOf('/', 155);
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(rest) > 100) {
        throw new Error(`tar: name too long: ${name}`);
    }
    return [prefix, rest];
}
function header(entry, size, isDir) {
    const buf = Buffer.alloc(BLOCK);
    const [prefix, name] = splitName(entry.name);
    writeString(buf, name, 0, 100);
    writeOctal(buf, entry.mode ?? (isDir ? 0o755 : 0o644), 100, 8);
    writeOctal(buf, 0, 108, 8); // uid
    writeOctal(buf, 0, 116, 8); // gid
    writeOctal(buf, size, 124, 12);
    writeOctal(buf, Math.floor(Date.now() / 1000), 136, 12);
    buf.fill(' ', 148, 156); // the checksum is computed with its own field as spaces
    writeString(buf, isDir ? '5' : '0', 156, 1);
    writeString(buf, 'ustar\0', 257, 6);
    writeString(buf, '00', 263, 2);
    writeString(buf, prefix, 345, 155);
    let sum = 0;
    for (const byte of buf)
        sum += byte;
    writeString(buf, sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    return buf;
}
function tar(entries) {
    const parts = [];
    for (const entry of entries) {
        const isDir = entry.name.endsWith('/');
        const body = isDir ? Buffer.alloc(0) : Buffer.from(entry.content ?? '');
        parts.push(header(entry, body.length, isDir), body);
        const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
        if (pad > 0)
            parts.push(Buffer.alloc(pad));
    }
    parts.push(Buffer.alloc(BLOCK * 2)); // end of archive
    return Buffer.concat(parts);
}
/** The regular files of a tar archive (as `getArchive` returns it), by name. */
function untar(archive) {
    const files = new Map();
    let i = 0;
    while (i + BLOCK <= archive.length) {
        const head = archive.subarray(i, i + BLOCK);
        if (head.every((b) => b === 0))
            break; // end of archive
        const field = (offset, length) => head
            .subarray(offset, offset + length)
            .toString('utf8')
            .replace(/\0.*$/s, '');
        const size = parseInt(field(124, 12).trim() || '0', 8);
        const type = field(156, 1);
        const prefix = field(345, 155);
        const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
        if (type === '0' || type === '')
            files.set(name, archive.subarray(i + BLOCK, i + BLOCK + size));
        i += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return files;
}

;// CONCATENATED MODULE: ../deploy/docker/proxy.ts



const MAIN = '/etc/caddy/Caddyfile';
const SITES = '/etc/caddy/sites';
const ADMIN_DIR = '/run/caddy';
const RELOAD = ['caddy', 'reload', '--config', MAIN, '--adapter', 'caddyfile'];
function siteFile(app, environment) {
    return `${SITES}/${app}--${environment}.caddy`;
}
function mainCaddyfile(admin) {
    return [
        '# Managed by safe-deploy. Each app and environment owns one file in /etc/caddy/sites/.',
        '{',
        `\tadmin ${admin}`,
        '}',
        `import ${SITES}/*.caddy`,
        '',
    ].join('\n');
}
/**
 * Creates and starts the proxy if it is missing; starts it if stopped or killed (and says so);
 * joins the app's network. Site files live in a named volume, so a re-created proxy serves every
 * app's route again at once.
 */
async function ensureProxy(docker, cfg) {
    const container = docker.getContainer(cfg.name);
    let info;
    try {
        info = await container.inspect();
    }
    catch (err) {
        if (statusOf(err) !== 404)
            throw err;
    }
    const hostNet = cfg.network === 'host';
    if (!info) {
        cfg.log(`creating the proxy container ${cfg.name} (${cfg.image})`);
        const ports = hostNet ? [] : cfg.publicPorts.map((p) => `${p}/tcp`);
        const create = (sysctls) => docker.createContainer(proxyCreateBody(cfg, ports, sysctls));
        if (hostNet)
            await create();
        else {
            // Caddy re-opens its listening socket (SO_REUSEPORT) on every reload; without request
            // migration the kernel resets connections still queued on the old one. The proxy's own
            // network namespace can have it; kernels before 5.14 lack it, so fall back without.
            try {
                await create({ [MIGRATE_SYSCTL]: '1' });
            }
            catch (err) {
                if (!/sysctl|tcp_migrate_req/i.test(messageOf(err)))
                    throw err;
                cfg.log(`${MIGRATE_SYSCTL} is not available on this host's kernel: a proxy reload may reset a few queued connections`);
                await create();
            }
        }
        const files = [{ name: 'etc/caddy/' }, { name: 'etc/caddy/sites/' }];
        await container.putArchive(tar([...files, { name: MAIN.slice(1), content: mainCaddyfile(cfg.admin) }]), {
            path: '/',
        });
        await container.start();
        await waitReady(docker, cfg.name);
        if (hostNet)
            await warnWithoutMigration(docker, cfg);
        return { action: 'created', note: `created the proxy ${cfg.name}` };
    }
    let state = { action: 'none' };
    if (!info.State.Running) {
        const how = info.State.ExitCode === 137 ? 'was killed' : `had stopped (exit code ${info.State.ExitCode})`;
        const since = info.State.FinishedAt && !info.State.FinishedAt.startsWith('0001')
            ? ` at ${info.State.FinishedAt}`
            : '';
        const note = `the proxy ${cfg.name} ${how}${since}: started it again`;
        cfg.log(note);
        await container.start().catch((err) => {
            if (statusOf(err) !== 304)
                throw err;
        });
        await waitReady(docker, cfg.name);
        state = { action: 'started', note };
    }
    // Host-network proxies reach apps on 127.0.0.1; others by container name: they cannot mix.
    const proxyHostNet = info.HostConfig.NetworkMode === 'host';
    if (proxyHostNet !== hostNet) {
        throw new Error(`the proxy ${cfg.name} runs on ${proxyHostNet ? 'the host network' : `network ${info.HostConfig.NetworkMode}`}, ` +
            `this app on ${hostNet ? 'the host network' : `network ${cfg.network}`}: use the same network for all apps ` +
            `on a host, or remove the proxy (docker rm -f ${cfg.name}) to re-create it`);
    }
    if (hostNet)
        return state;
    if (!(cfg.network in (info.NetworkSettings.Networks ?? {}))) {
        cfg.log(`connecting the proxy to network ${cfg.network}`);
        await docker.getNetwork(cfg.network).connect({ Container: cfg.name });
    }
    const published = Object.keys(info.HostConfig.PortBindings ?? {});
    const missing = cfg.publicPorts.filter((p) => !published.includes(`${p}/tcp`));
    if (missing.length > 0) {
        throw new Error(`the proxy ${cfg.name} does not publish port ${missing.join(', ')}; ports are fixed when it is created: ` +
            `remove it (docker rm -f ${cfg.name}) to let the next deploy re-create it, or choose another public-port`);
    }
    return state;
}
/** The proxy's create body (pure, table-tested). */
function proxyCreateBody(cfg, ports, sysctls) {
    return {
        name: cfg.name,
        Image: cfg.image,
        Labels: { 'safe-deploy.role': 'proxy' },
        ExposedPorts: Object.fromEntries(ports.map((p) => [p, {}])),
        HostConfig: {
            NetworkMode: cfg.network,
            RestartPolicy: { Name: 'unless-stopped' },
            // Certificates live in /data (keep them across re-creation: ACME rate limits); site files
            // in their own volume, so a re-created proxy restores every app's route.
            Binds: [`${cfg.name}-data:/data`, `${cfg.name}-config:/config`, `${cfg.name}-sites:${SITES}`],
            // The admin socket's directory: fresh on every start, so no stale socket file survives a kill.
            Tmpfs: { [ADMIN_DIR]: 'mode=0700' },
            PortBindings: Object.fromEntries(ports.map((p) => [p, [{ HostPort: p.split('/')[0] ?? '' }]])),
            Sysctls: sysctls,
        },
    };
}
/** Whether the proxy container is running now (an exec failure may mean it died). */
async function proxyRunning(docker, name) {
    try {
        return (await docker.getContainer(name).inspect()).State.Running;
    }
    catch (err) {
        if (statusOf(err) === 404)
            return false;
        throw err;
    }
}
const MIGRATE_SYSCTL = 'net.ipv4.tcp_migrate_req';
/**
 * On the host network the setting is the host's own, which the action must not change behind the
 * operator's back: it says what a reload may cost and how to avoid it.
 */
async function warnWithoutMigration(docker, cfg) {
    const r = await execIn(docker, cfg.name, ['cat', `/proc/sys/${MIGRATE_SYSCTL.replace(/\./g, '/')}`]).catch(() => undefined);
    if (r?.exitCode === 0 && r.stdout.trim() === '0') {
        cfg.log(`note: ${MIGRATE_SYSCTL}=0 on this host: each proxy reload may reset a few connections still queued on Caddy's old socket; ` +
            `set it to 1 on the host (sysctl -w ${MIGRATE_SYSCTL}=1) for zero dropped connections`);
    }
}
/** Caddy needs a moment after start before its admin endpoint answers `caddy reload`. */
async function waitReady(docker, name) {
    let last = '';
    for (let i = 0; i < 60; i++) {
        const r = await execIn(docker, name, RELOAD).catch((e) => ({
            exitCode: -1,
            stderr: messageOf(e),
        }));
        if (r.exitCode === 0)
            return;
        last = r.stderr.trim();
        await sleep(250);
    }
    throw new Error(`the proxy ${name} did not become ready: ${lastLine(last)}`);
}
/**
 * The site file as the proxy has it, or undefined when there is none. Read with the archive API,
 * which works whether the proxy runs, is stopped, or does not exist yet (a host where safe-deploy
 * never ran): reading live state must never need the proxy to be up.
 */
async function readSite(docker, proxy, file) {
    let stream;
    try {
        stream = await docker.getContainer(proxy).getArchive({ path: file });
    }
    catch (err) {
        if (statusOf(err) === 404)
            return undefined; // no proxy, or no site file for this app yet
        throw err;
    }
    const chunks = [];
    for await (const chunk of stream)
        chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    const [content] = untar(Buffer.concat(chunks)).values();
    return content?.toString('utf8');
}
async function writeSite(docker, proxy, file, content) {
    await docker.getContainer(proxy).putArchive(tar([{ name: file.slice(1), content }]), { path: '/' });
}
async function removeSite(docker, proxy, file) {
    await execIn(docker, proxy, ['rm', '-f', file]);
}
/**
 * The switch as one exec: write the site file (under a temporary name, then renamed, so Caddy
 * never reads half a file), read the proxy's TCP table, and reload. One round trip to the engine
 * instead of an archive upload and then an exec: ~50 ms off every deploy and rollback
 * (bench/rollback --trace-docker). The table, on stdout (Caddy's own output goes to stderr), is
 * the drain's evidence of which client connections the old config holds (drain.ts); it is read
 * before the reload because the old config stops accepting during it. The content travels in the
 * exec's environment, which is fine: a site file holds an address, an upstream and a version,
 * never a secret. Pure, so its argv is table-tested.
 */
function switchSiteExec(file, content, ports) {
    // Exit 97 (not a code caddy uses) tells a file that could not be written from a rejected config.
    const script = `{ printf '%s' "$SAFE_DEPLOY_SITE" > "$1.new" && mv -f "$1.new" "$1"; } || exit ${WRITE_FAILED}; ` +
        `${clientConnectionsScript(ports)}; exec ${RELOAD.join(' ')} >&2`;
    return { cmd: ['sh', '-c', script, 'switch-site', file], env: [`SAFE_DEPLOY_SITE=${content}`] };
}
/**
 * Points the proxy at a new upstream: the site file and a graceful reload. A file that cannot be
 * written or a config Caddy rejects fails with Caddy's own last line; the running config stays.
 * Returns the proxy's TCP table (the client connections to `ports`) as read just before the reload,
 * for the drain, or undefined when the proxy had none to read.
 */
async function switchSite(docker, proxy, file, content, ports) {
    const { cmd, env } = switchSiteExec(file, content, ports);
    const r = await execIn(docker, proxy, cmd, 30_000, env);
    const why = lastLine(r.stderr || r.stdout);
    if (r.exitCode === WRITE_FAILED)
        throw new Error(`could not write ${file} in ${proxy}: ${why}`);
    if (r.exitCode !== 0)
        throw new Error(`caddy reload in ${proxy} failed (exit ${r.exitCode}): ${why}`);
    return r.stdout.includes('local_address') ? r.stdout : undefined;
}
const WRITE_FAILED = 97;
/** Graceful reload; a config Caddy rejects leaves the running one in place, and we say why. */
async function reloadProxy(docker, proxy) {
    const r = await execIn(docker, proxy, RELOAD);
    if (r.exitCode !== 0) {
        throw new Error(`caddy reload in ${proxy} failed (exit ${r.exitCode}): ${lastLine(r.stderr || r.stdout)}`);
    }
}
function lastLine(text) {
    const lines = text.trim().split('\n');
    return lines[lines.length - 1] ?? '';
}
function renderSite(address, state) {
    return [
        '# Managed by safe-deploy through the Docker API; rewritten on every deploy.',
        `# safe-deploy container=${state.container ?? ''} sha=${state.sha ?? ''} image=${state.image ?? ''}`,
        `${address} {`,
        `\treverse_proxy ${state.upstream} {`,
        // A request that meets a refused connection (an upstream restarting) is retried for a while
        // instead of answered with a 502 at once.
        '\t\tlb_try_duration 5s',
        '\t\tlb_try_interval 250ms',
        '\t}',
        '}',
        '',
    ].join('\n');
}
function parseSite(content) {
    const upstream = /^\s*reverse_proxy\s+(\S+)/m.exec(content)?.[1];
    if (!upstream)
        return undefined;
    const meta = /^# safe-deploy (.*)$/m.exec(content)?.[1] ?? '';
    const field = (k) => new RegExp(`(?:^| )${k}=(\\S+)`).exec(meta)?.[1];
    return { upstream, container: field('container'), sha: field('sha'), image: field('image') };
}

;// CONCATENATED MODULE: ../deploy/docker/context.ts






const LABELS = {
    app: 'safe-deploy.app',
    environment: 'safe-deploy.environment',
    sha: 'safe-deploy.sha',
    image: 'safe-deploy.image',
    deployedAt: 'safe-deploy.deployed-at',
    port: 'safe-deploy.port',
    upstream: 'safe-deploy.upstream',
    /** The workflow run that deployed it: re-running that run is the rollback button. */
    runUrl: 'safe-deploy.run-url',
};
/** Docker names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; anything else becomes `-`. */
function nameSafe(s) {
    return s.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '') || 'app';
}
const pinged = new WeakSet();
/** Validates options, connects and pings: everything that can fail before anything changes. */
async function connect(opts) {
    const log = opts.log ?? (() => undefined);
    const accept = (0,status_ranges/* parseStatusRanges */.C)(opts.healthStatus ?? '200-399');
    const docker = opts.docker ?? dockerFromHost(opts.host, opts.sshKey, opts.sshKnownHosts);
    // Once per client: a run's preflight, state read, deploy and rollback share one.
    if (!pinged.has(docker)) {
        await pingOrExplain(docker, hostLabel(opts.host));
        pinged.add(docker);
    }
    const appName = nameSafe(opts.app);
    const envName = nameSafe(opts.environment);
    const network = opts.network?.trim() || 'safe-deploy';
    return {
        docker,
        log,
        app: opts.app,
        environment: opts.environment,
        appName,
        envName,
        network,
        hostNet: network === 'host',
        proxy: opts.proxy ?? 'caddy',
        proxyImage: opts.proxyImage?.trim() || defaults/* DEFAULT_PROXY_IMAGE */.l5,
        proxyName: opts.proxyName?.trim() || defaults/* DEFAULT_PROXY_NAME */.J6,
        proxyAdmin: opts.proxyAdmin?.trim() || defaults/* DEFAULT_PROXY_ADMIN */.jX,
        publicPort: opts.publicPort ?? 80,
        domain: opts.domain?.trim() || undefined,
        healthPath: normalisePath(opts.healthPath ?? '/health'),
        healthTimeoutMs: opts.healthTimeoutMs ?? 60_000,
        healthIntervalMs: opts.healthIntervalMs ?? 1_000,
        accept,
        drainMs: opts.drainMs ?? 30_000,
        retain: Math.max(0, opts.retain ?? 5),
        hostPortRange: opts.hostPortRange ?? [20_000, 29_999],
        site: siteFile(appName, envName),
        lock: lockName(appName, envName),
        hostName: hostNameOf(opts.host),
        signal: opts.signal,
        opts,
    };
}
function hostNameOf(host) {
    const target = host?.trim() || process.env.DOCKER_HOST?.trim() || '';
    if (!target.includes('://') || target.startsWith('unix://'))
        return '127.0.0.1';
    try {
        return new URL(target).hostname || '127.0.0.1';
    }
    catch {
        return '127.0.0.1';
    }
}
function normalisePath(p) {
    return p.startsWith('/') ? p : `/${p}`;
}
/** Pulls an image the host does not have; a host that has it is left alone (tags are by SHA). */
async function ensureImage(ctx, image) {
    try {
        await ctx.docker.getImage(image).inspect();
        return;
    }
    catch (err) {
        if (statusOf(err) !== 404)
            throw err;
    }
    ctx.log(`pulling ${image}`);
    try {
        const stream = await ctx.docker.pull(image, { authconfig: ctx.opts.registryAuth });
        await new Promise((resolve, reject) => {
            ctx.docker.modem.followProgress(stream, (err, events) => {
                const failed = err?.message ?? events.find((e) => e.error)?.error;
                if (failed)
                    reject(new Error(failed));
                else
                    resolve();
            });
        });
    }
    catch (err) {
        throw new Error(`image ${image} is not on the Docker host and could not be pulled: ${messageOf(err)}`);
    }
}
async function ensureNetwork(ctx) {
    if (ctx.hostNet || ['bridge', 'none'].includes(ctx.network))
        return;
    const found = await ctx.docker.listNetworks({ filters: { name: [ctx.network] } });
    if (found.some((n) => n.Name === ctx.network))
        return;
    ctx.log(`creating network ${ctx.network}`);
    await ctx.docker.createNetwork({ Name: ctx.network, Driver: 'bridge', CheckDuplicate: true });
}
function takeLock(ctx) {
    return acquireLock(ctx.docker, {
        name: ctx.lock,
        // The proxy image (or, with proxy: none, the probe image): it has the shell the lease runs in.
        image: ctx.proxyImage,
        runId: ctx.opts.runId,
        runUrl: ctx.opts.runUrl,
        waitMs: ctx.opts.lockWaitMs ?? 600_000,
        staleMs: ctx.opts.lockStaleMs ?? 3_600_000,
        signal: ctx.signal,
        log: ctx.log,
    });
}
/**
 * Takes the app+environment lock for a span the caller ends: read what is live, decide, change
 * it (deploy or rollback with `lockHeld`). What the decision saw is then what the change finds,
 * with no second read under the lock; the lock container starts while the state is read.
 */
async function holdDockerLock(opts) {
    const ctx = await connect(opts);
    await ensureImage(ctx, ctx.proxyImage);
    return takeLock(ctx);
}
/** Runs `fn` holding the app+environment lock (unless the caller holds it); released on every path. */
async function withLock(ctx, fn, held = false) {
    if (held)
        return fn();
    const release = await takeLock(ctx);
    try {
        return await fn();
    }
    finally {
        await release().catch((err) => ctx.log(`could not release ${ctx.lock}: ${messageOf(err)}`));
    }
}

;// CONCATENATED MODULE: ../deploy/docker/containers.ts


/** Every container of this app and environment (running or not), newest first. */
async function appContainers(ctx) {
    const list = await ctx.docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.app}=${ctx.app}`, `${LABELS.environment}=${ctx.environment}`] },
    });
    return list.sort((a, b) => createdMs(b) - createdMs(a));
}
/** `Created` has whole seconds only; the deployed-at label orders containers made in the same second. */
function createdMs(c) {
    const labelled = Date.parse(c.Labels[LABELS.deployedAt] ?? '');
    return Number.isNaN(labelled) ? c.Created * 1000 : labelled;
}
function nameOf(info) {
    return (info.Names[0] ?? info.Id).replace(/^\//, '');
}
/** `<app>-<sha7>-<n>`: n counts up past every container this host has had for that commit. */
function nextName(ctx, sha, existing) {
    const prefix = `${ctx.appName}-${sha.slice(0, 7)}-`;
    let n = 0;
    for (const c of existing) {
        const name = nameOf(c);
        if (name.startsWith(prefix))
            n = Math.max(n, Number(name.slice(prefix.length)) || 0);
    }
    return `${prefix}${n + 1}`;
}
/**
 * A free host port for a container on `network: host`. It is read from the host itself (the
 * proxy shares the host's network namespace, so its /proc/net/tcp is the host's), because the
 * runner may be another machine; ports promised to stopped safe-deploy containers are skipped too,
 * so a rollback can restart one on its old port.
 */
async function pickHostPort(ctx, prober, known) {
    const used = new Set((known ?? (await readPorts(ctx, prober))).any);
    const labelled = await ctx.docker.listContainers({ all: true, filters: { label: [LABELS.port] } });
    for (const c of labelled)
        used.add(Number(c.Labels[LABELS.port]));
    const [lo, hi] = ctx.hostPortRange;
    for (let i = 0; i < 200; i++) {
        const port = lo + Math.floor(Math.random() * (hi - lo + 1));
        if (!used.has(port))
            return port;
    }
    throw new Error(`no free host port in ${lo}-${hi}`);
}
/**
 * Local TCP ports in the prober's network namespace (the host's, on `network: host`): every
 * socket, and the listening ones (state 0A; a TIME_WAIT left by the proxy does not block a bind).
 */
async function readPorts(ctx, prober) {
    const r = await execIn(ctx.docker, prober, ['sh', '-c', PORTS_SCRIPT]);
    return parsePortTable(r.stdout);
}
/**
 * Reduced to unique "port state" pairs inside the container: a busy host has tens of thousands
 * of sockets (megabytes of text) but only a few hundred distinct local ports.
 */
const PORTS_SCRIPT = `awk '$1 ~ /^[0-9]+:$/ { split($2, a, ":"); print a[2], $4 }' /proc/net/tcp /proc/net/tcp6 | sort -u`;
/** The `port state` pairs (hex, as /proc/net/tcp writes them) that readPorts' script prints. */
function parsePortTable(text) {
    const any = new Set();
    const listening = new Set();
    for (const m of text.matchAll(/^([0-9A-F]{4}) ([0-9A-F]{2})$/gim)) {
        const port = parseInt(m[1] ?? '0', 16);
        any.add(port);
        if (m[2] === '0A')
            listening.add(port);
    }
    return { any, listening };
}
/** Stops a container: SIGTERM, then SIGKILL after `timeoutMs`. Already stopped or gone is fine. */
async function stopContainer(ctx, name, timeoutMs) {
    try {
        await ctx.docker.getContainer(name).stop({ t: Math.max(1, Math.ceil(timeoutMs / 1000)) });
    }
    catch (err) {
        if (statusOf(err) !== 304 && statusOf(err) !== 404)
            throw err;
    }
}
async function removeContainer(ctx, name) {
    try {
        await ctx.docker.getContainer(name).remove({ force: true, v: false });
    }
    catch (err) {
        if (statusOf(err) !== 404)
            throw err;
    }
}
/**
 * Which containers were ever live: `keepRestarting` is called at the moment traffic moves to a
 * container, so its restart policy is the mark (labels cannot change after creation). A container
 * a killed run left behind (started, maybe even healthy, never switched to) has policy `no`.
 */
async function everLive(ctx, list) {
    const marked = await Promise.all(list.map(async (c) => {
        try {
            const info = await ctx.docker.getContainer(c.Id).inspect();
            return info.HostConfig.RestartPolicy?.Name === LIVE_POLICY ? nameOf(c) : undefined;
        }
        catch (err) {
            if (statusOf(err) === 404)
                return undefined;
            throw err;
        }
    }));
    return new Set(marked.filter((n) => n !== undefined));
}
const LIVE_POLICY = 'unless-stopped';
/**
 * Keeps the newest `retain` stopped containers that were live (rollback targets) and removes
 * older ones, and every stopped container that never took traffic (left by a failed or killed run).
 */
async function prune(ctx, keep) {
    const all = await appContainers(ctx);
    const live = await everLive(ctx, all);
    const stopped = all.filter((c) => c.State !== 'running' && !keep.includes(nameOf(c)));
    const retained = stopped.filter((c) => live.has(nameOf(c)));
    const never = stopped.filter((c) => !live.has(nameOf(c)));
    const removed = [];
    for (const c of [...retained.slice(ctx.retain), ...never]) {
        await removeContainer(ctx, nameOf(c));
        removed.push(nameOf(c));
    }
    if (removed.length > 0)
        ctx.log(`removed old containers (retain ${ctx.retain}): ${removed.join(', ')}`);
    return removed;
}
/**
 * Once traffic has moved to a container it restarts on its own; before, a crash must stay
 * visible. Also the mark of a container that was live (see `everLive`): a fresh container and a
 * retained one put back in service get it alike.
 */
async function keepRestarting(ctx, name) {
    await ctx.docker.getContainer(name).update({ RestartPolicy: { Name: LIVE_POLICY, MaximumRetryCount: 0 } });
}
async function startExisting(ctx, name) {
    try {
        await ctx.docker.getContainer(name).start();
    }
    catch (err) {
        if (statusOf(err) !== 304)
            throw err;
    }
}

;// CONCATENATED MODULE: ../deploy/docker/live.ts




/**
 * `known`: a snapshot this run read earlier. Read under the lock the run still holds (`held`), it
 * stands as is. Read before the lock, the site file is read again (one archive call); unchanged,
 * the snapshot stands, with no container inspected again.
 */
async function readLive(ctx, known, held = false) {
    if (known && held)
        return known;
    if (ctx.proxy === 'none') {
        const running = (await appContainers(ctx)).find((c) => c.State === 'running');
        return { version: running ? versionFromLabels(nameOf(running), running.Labels) : undefined };
    }
    const siteContent = await readSite(ctx.docker, ctx.proxyName, ctx.site);
    if (known && known.siteContent === siteContent)
        return known;
    const state = siteContent === undefined ? undefined : parseSite(siteContent);
    if (!state)
        return { siteContent };
    let container = state.container;
    if (!container) {
        // A site file without our comment (edited by hand): find the container by its upstream.
        const match = (await appContainers(ctx)).find((c) => c.Labels[LABELS.upstream] === state.upstream);
        container = match ? nameOf(match) : undefined;
    }
    if (container) {
        try {
            const info = await ctx.docker.getContainer(container).inspect();
            const fromLabels = versionFromLabels(container, info.Config.Labels ?? {});
            if (fromLabels)
                return { version: fromLabels, siteContent, upstream: state.upstream };
        }
        catch (err) {
            if (statusOf(err) !== 404)
                throw err;
        }
    }
    const version = container && state.sha ? { container, sha: state.sha, image: state.image ?? '' } : undefined;
    return { version, siteContent, upstream: state.upstream };
}
function versionFromLabels(container, labels) {
    const sha = labels[LABELS.sha];
    if (!sha)
        return undefined;
    const image = labels[LABELS.image] ?? '';
    return { container, sha, image, runUrl: labels[LABELS.runUrl], deployedAt: labels[LABELS.deployedAt] };
}
/** Where the proxy reaches a container, and where the health probe asks. */
function upstreamFor(ctx, container, port) {
    return ctx.hostNet ? `127.0.0.1:${port}` : `${container}:${port}`;
}
/** The site address: the domain (automatic HTTPS) or the public port (plain HTTP). */
function siteAddress(ctx) {
    return ctx.domain ?? `:${ctx.publicPort}`;
}
function publicUrl(ctx) {
    return ctx.domain ? `https://${ctx.domain}` : `http://${ctx.hostName}:${ctx.publicPort}`;
}

;// CONCATENATED MODULE: ../deploy/docker/launch.ts




function envList(env) {
    if (!env)
        return [];
    return Array.isArray(env)
        ? [...env]
        : Object.entries(env).map(([k, v]) => `${k}=${v}`);
}
/**
 * Creates and starts the new version's container, without a restart policy: until it is proved
 * healthy a crash must leave it exited (with its exit code), not restarting in a loop.
 */
async function launch(ctx, opts, prober, existing, ports) {
    const direct = ctx.proxy === 'none';
    let port = opts.port ?? 3000;
    if (ctx.hostNet)
        port = direct || !prober ? ctx.publicPort : await pickHostPort(ctx, prober, await ports);
    let name = nextName(ctx, opts.sha, existing);
    const env = envList(opts.env).filter((e) => !e.startsWith('PORT='));
    for (let attempt = 0;; attempt++) {
        const upstream = upstreamFor(ctx, name, port);
        const labels = {
            [LABELS.app]: ctx.app,
            [LABELS.environment]: ctx.environment,
            [LABELS.sha]: opts.sha,
            [LABELS.image]: opts.image,
            [LABELS.deployedAt]: new Date().toISOString(),
            [LABELS.upstream]: upstream,
        };
        if (ctx.opts.runUrl)
            labels[LABELS.runUrl] = ctx.opts.runUrl;
        if (ctx.hostNet)
            labels[LABELS.port] = String(port);
        // Without a proxy on a bridge network the container itself is published on the public port.
        const publish = direct && !ctx.hostNet;
        try {
            const container = await ctx.docker.createContainer({
                name,
                Image: opts.image,
                Env: [...env, `PORT=${port}`],
                Labels: labels,
                ExposedPorts: ctx.hostNet ? undefined : { [`${port}/tcp`]: {} },
                HostConfig: {
                    NetworkMode: ctx.network,
                    Binds: opts.volumes ? [...opts.volumes] : undefined,
                    RestartPolicy: { Name: 'no' },
                    PortBindings: publish ? { [`${port}/tcp`]: [{ HostPort: String(ctx.publicPort) }] } : undefined,
                },
            });
            try {
                await container.start();
            }
            catch (err) {
                await removeContainer(ctx, name);
                throw new Error(`the new container ${name} did not start: ${messageOf(err)}`);
            }
            const healthUrl = `http://${ctx.hostNet ? '127.0.0.1' : name}:${port}${ctx.healthPath}`;
            return { name, port, upstream, healthUrl };
        }
        catch (err) {
            // A container outside safe-deploy's labels may hold the name: take the next number.
            if (statusOf(err) !== 409 || attempt >= 20)
                throw err;
            const n = Number(name.slice(name.lastIndexOf('-') + 1)) + 1;
            name = `${name.slice(0, name.lastIndexOf('-'))}-${n}`;
        }
    }
}

;// CONCATENATED MODULE: ../deploy/docker/drain.ts



/**
 * Reads one table against the client connections open before the reload. `unsure` is the set of
 * those accepted since, as the first read after the switch found them; the first read passes
 * none and gets it back in `clients`.
 */
function leftOf(procNet, endpoints, ports, before, unsure) {
    let upstream = 0;
    for (const e of endpoints) {
        const n = connectionsTo(procNet, e);
        if (n === undefined)
            return undefined;
        upstream += n;
    }
    const clients = clientConnections(procNet, ports);
    const left = { upstream, old: 0, unsure: 0 };
    for (const key of clients) {
        if (before.has(key))
            left.old++;
        else if (!unsure || unsure.has(key))
            left.unsure++;
    }
    return { left, clients };
}
/** Done when nothing of the old config is left; connections of either config count only while settling. */
function drainedBy(left, elapsedMs, settleMs) {
    return left.upstream === 0 && left.old === 0 && (left.unsure === 0 || elapsedMs >= settleMs);
}
/** Where the proxy reaches a container: its upstream label, with a container name resolved to its IP. */
async function endpointOf(ctx, c) {
    const upstream = c.Labels[LABELS.upstream];
    if (!upstream)
        return undefined;
    const cut = upstream.lastIndexOf(':');
    const host = upstream.slice(0, cut);
    const port = Number(upstream.slice(cut + 1));
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host))
        return { ip: host, port };
    const info = await ctx.docker.getContainer(c.Id).inspect();
    const ip = info.NetworkSettings.Networks?.[ctx.network]?.IPAddress;
    return ip ? { ip, port } : undefined;
}
/** Polls back off from a first read right after the switch to this. */
const drain_POLL_MS = 100;
/** The wait for connections accepted during the reload: see above. Far below the 30 s drain-timeout default. */
const SETTLE_MS = 2_000;
/**
 * Waits until nothing of the old config is left (see above), at most `boundMs`. `before` is the
 * client connections the switch read just before the reload; without it (no table read there)
 * every client connection counts as unsure, which is the old rule: the settle window, then no
 * upstream connection in two reads in a row.
 */
async function waitDrained(ctx, endpoints, boundMs, ports, before) {
    const started = Date.now();
    const settle = Math.min(SETTLE_MS, boundMs);
    let peak = 0;
    let clear = 0;
    let unsure;
    for (let poll = 0;; poll++) {
        let read;
        try {
            const r = await execIn(ctx.docker, ctx.proxyName, ['cat', '/proc/net/tcp', '/proc/net/tcp6'], 10_000);
            read = leftOf(r.stdout, endpoints, ports, before ?? new Set(), before ? unsure : new Set());
        }
        catch (err) {
            ctx.log(`cannot read the proxy's connections (${messageOf(err)}): waiting the whole drain-timeout`);
        }
        if (read === undefined) {
            await sleep(Math.max(0, boundMs - (Date.now() - started)), ctx.signal);
            return { ms: Date.now() - started, drained: false, peak };
        }
        const { left, clients } = read;
        unsure ??= new Set([...clients].filter((k) => !before?.has(k)));
        peak = Math.max(peak, left.upstream, left.old);
        const elapsed = Date.now() - started;
        if (before) {
            if (drainedBy(left, elapsed, settle))
                return { ms: elapsed, drained: true, peak };
        }
        else {
            clear = left.upstream === 0 ? clear + 1 : 0;
            if (clear >= 2 && elapsed >= settle)
                return { ms: elapsed, drained: true, peak };
        }
        if (elapsed >= boundMs || ctx.signal?.aborted)
            return { ms: elapsed, drained: false, peak };
        await sleep(Math.min(10 * 2 ** poll, drain_POLL_MS, boundMs - elapsed), ctx.signal);
    }
}

;// CONCATENATED MODULE: ../deploy/docker/health.ts

const PROBE_TIMEOUT_S = 3;
const FIRST_BACKOFF_MS = 25;
async function waitHealthy(docker, cfg) {
    const started = Date.now();
    const report = { healthy: false, url: cfg.url, probes: 0, elapsedMs: 0 };
    let withTimeout = true;
    let lastLog = started;
    for (;;) {
        if (cfg.signal?.aborted)
            return done(report, started, { cancelled: true });
        const exitCode = await exitedWith(docker, cfg.container);
        if (exitCode !== undefined)
            return done(report, started, { exitCode });
        const wget = ['wget', '-q', '-S', '-O', '/dev/null', cfg.url];
        const cmd = withTimeout ? ['timeout', String(PROBE_TIMEOUT_S), ...wget] : wget;
        report.probes++;
        try {
            const r = await execIn(docker, cfg.prober, cmd, (PROBE_TIMEOUT_S + 5) * 1000);
            const out = `${r.stderr}\n${r.stdout}`;
            if (r.exitCode >= 126 && /not found|no such file/i.test(out)) {
                if (!withTimeout)
                    throw new Error(`the proxy image has no wget (busybox): cannot probe ${cfg.url}`);
                withTimeout = false; // an image without the timeout applet: plain wget still works
                report.probes--;
                continue;
            }
            const status = /HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(out)?.[1];
            if (status !== undefined) {
                report.lastStatus = Number(status);
                report.lastError = undefined;
                if (cfg.accept(report.lastStatus))
                    return done(report, started, { healthy: true });
            }
            else {
                report.lastError = out.trim().split('\n').pop() || `wget exited ${r.exitCode}`;
            }
        }
        catch (err) {
            // An exec that fails is a fact about the prober (the proxy), not about the app: a proxy that
            // died must stop the wait at once, not be probed through until the timeout.
            const down = await proberDown(docker, cfg.prober);
            if (down)
                return done(report, started, { proberDown: `${down} (${messageOf(err)})` });
            report.lastError = messageOf(err);
        }
        const elapsed = Date.now() - started;
        if (elapsed >= cfg.timeoutMs) {
            // One last look: a container that died late should be reported with its exit code.
            return done(report, started, { exitCode: await exitedWith(docker, cfg.container) });
        }
        if (Date.now() - lastLog >= 10_000) {
            cfg.log(`still waiting for ${cfg.url}: ${describe(report)} after ${report.probes} probes`);
            lastLog = Date.now();
        }
        // Early probes come fast and back off (25, 50, 100 ms…) up to health-interval: an app that
        // answers in 100 ms is known healthy in about that, and a slow one is not probed in a busy loop.
        const backoff = Math.min(cfg.intervalMs, FIRST_BACKOFF_MS * 2 ** Math.max(0, report.probes - 1));
        await sleep(Math.min(backoff, cfg.timeoutMs - elapsed), cfg.signal);
    }
}
function describe(report) {
    if (report.lastStatus !== undefined)
        return `HTTP ${report.lastStatus}`;
    return report.lastError ?? 'no answer';
}
function done(report, started, extra) {
    const out = { ...report, ...extra, elapsedMs: Date.now() - started };
    if (out.exitCode === undefined)
        delete out.exitCode;
    return out;
}
async function proberDown(docker, prober) {
    try {
        const info = await docker.getContainer(prober).inspect();
        return info.State.Running ? undefined : `${prober} stopped with exit code ${info.State.ExitCode}`;
    }
    catch (err) {
        return `${prober} is gone: ${messageOf(err)}`;
    }
}
/** The exit code when the container is no longer running (new containers run without restarts). */
async function exitedWith(docker, container) {
    const info = await docker.getContainer(container).inspect();
    return info.State.Running ? undefined : info.State.ExitCode;
}

;// CONCATENATED MODULE: ../deploy/docker/steps.ts





/** The steps deploy and rollback share. */
function proxyConfig(ctx) {
    return {
        name: ctx.proxyName,
        image: ctx.proxyImage,
        network: ctx.network,
        admin: ctx.proxyAdmin,
        publicPorts: ctx.domain ? [80, 443] : [ctx.publicPort],
        log: ctx.log,
    };
}
async function probe(ctx, container, url, prober = ctx.proxyName) {
    const health = await waitHealthy(ctx.docker, {
        prober,
        container,
        url,
        accept: ctx.accept,
        timeoutMs: ctx.healthTimeoutMs,
        intervalMs: ctx.healthIntervalMs,
        signal: ctx.signal,
        log: ctx.log,
    });
    if (health.healthy)
        ctx.log(`healthy after ${health.probes} probe(s), ${health.elapsedMs}ms`);
    return health;
}
/** The new container failed its health check: keep its last words, remove it, report. */
async function failedHealth(ctx, container, health, previous) {
    const logs = await lastLogLines(ctx.docker, container, 50);
    await removeContainer(ctx, container);
    const still = previous ? `${previous.sha.slice(0, 7)} keeps serving` : 'nothing was serving';
    let why;
    if (health.cancelled)
        why = `cancelled during the health check of ${container}`;
    else if (health.exitCode !== undefined)
        why = `${container} exited with code ${health.exitCode} before it was healthy`;
    else
        why = `${container} was not healthy in ${Math.round(ctx.healthTimeoutMs / 1000)}s (${describe(health)})`;
    ctx.log(`${why}; removed it, ${still}`);
    for (const line of logs)
        ctx.log(`  | ${line}`);
    return {
        status: 'failed',
        detail: `${why}; ${still}`,
        previous,
        current: previous,
        health,
        logs,
        ...(health.exitCode !== undefined && { exitCode: health.exitCode }),
        ...(health.cancelled && { cancelled: true }),
        gap: false,
        removed: [],
    };
}
/**
 * After the switch: the old containers (the previous one, and strays of killed runs) are stopped
 * once no request can still reach them (drain.ts: requests in flight finish, and so do those the
 * old config accepted before the reload), at most `drainMs` later; then SIGTERM, and another
 * `drainMs` before SIGKILL. A cancel here only shortens the
 * drain: traffic has already moved, and the old containers must not keep running. `table` is the
 * proxy's TCP table from just before the reload (switchSite), the drain's evidence.
 */
async function retire(ctx, keep, table) {
    const running = (await appContainers(ctx)).filter((c) => c.State === 'running' && nameOf(c) !== keep);
    if (running.length === 0)
        return undefined;
    let d;
    if (ctx.proxy === 'none')
        await sleep(ctx.drainMs, ctx.signal);
    else {
        const endpoints = (await Promise.all(running.map((c) => endpointOf(ctx, c)))).filter((e) => e !== undefined);
        const ports = proxyConfig(ctx).publicPorts;
        const before = table === undefined ? undefined : clientConnections(table, ports);
        d = await waitDrained(ctx, endpoints, ctx.drainMs, ports, before);
        ctx.log(d.drained
            ? `drained in ${d.ms} ms (${d.peak} connection(s) were still open to the old version)`
            : `drain-timeout (${ctx.drainMs} ms) reached with ${d.peak} connection(s) open: stopping anyway`);
    }
    const grace = ctx.signal?.aborted ? Math.min(ctx.drainMs, 5_000) : ctx.drainMs;
    for (const c of running) {
        ctx.log(`stopping ${nameOf(c)}`);
        await stopContainer(ctx, nameOf(c), grace);
    }
    return d;
}
/**
 * Once traffic has moved the run has succeeded: a failure to stop or prune old containers is
 * logged, not reported as a failed deploy (which would claim the old version still serves).
 */
async function afterSwitch(ctx, live, table) {
    let drain;
    try {
        drain = await retire(ctx, live, table);
        return { removed: await prune(ctx, [live]), drain };
    }
    catch (err) {
        ctx.log(`warning: ${live} is live, but cleaning up old containers failed: ${messageOf(err)}`);
        return { removed: [], drain };
    }
}

;// CONCATENATED MODULE: ../deploy/docker/direct.ts





/**
 * `proxy: none`: the container itself holds the public port, and two cannot, so the old one is
 * stopped before the new one starts: a gap, said so in the result. A new version that fails
 * its health check is removed and the old one started again.
 */
async function deployDirect(ctx, opts) {
    await ensureNetwork(ctx);
    const prober = await startProber(ctx);
    try {
        const existing = await appContainers(ctx);
        const previous = (await readLive(ctx)).version;
        const running = existing.filter((c) => c.State === 'running').map(nameOf);
        if (ctx.signal?.aborted)
            throw new Error('cancelled before the new container started; nothing changed');
        ctx.log(`proxy: none: stopping ${running.join(', ') || 'nothing'} first (traffic has a gap until the new one is up)`);
        for (const name of running)
            await stopContainer(ctx, name, ctx.drainMs);
        let launchedName;
        try {
            const launched = await launch(ctx, opts, undefined, existing);
            launchedName = launched.name;
            const health = await probe(ctx, launched.name, launched.healthUrl, prober);
            if (!health.healthy) {
                const failed = await failedHealth(ctx, launched.name, health, previous);
                await restart(ctx, running);
                return { ...failed, gap: true };
            }
            await keepRestarting(ctx, launched.name);
            const removed = await prune(ctx, [launched.name]);
            return {
                status: 'deployed',
                detail: `${opts.sha.slice(0, 7)} is live in ${launched.name} (proxy: none, so traffic had a gap)`,
                previous,
                current: { sha: opts.sha, image: opts.image, container: launched.name },
                gap: true,
                upstream: launched.upstream,
                url: publicUrl(ctx),
                removed,
            };
        }
        catch (err) {
            if (launchedName)
                await removeContainer(ctx, launchedName).catch(() => undefined);
            await restart(ctx, running);
            throw err;
        }
    }
    finally {
        await removeContainer(ctx, prober).catch(() => undefined);
    }
}
async function restart(ctx, names) {
    for (const name of names) {
        ctx.log(`starting ${name} again`);
        await startExisting(ctx, name).catch((err) => ctx.log(`could not start ${name} again: ${String(err)}`));
    }
}
/**
 * Without a proxy there is still a container on the app's network to probe from: a short-lived
 * one from the proxy image (it has busybox wget), removed afterwards.
 */
async function startProber(ctx) {
    const name = `safe-deploy-probe-${ctx.appName}-${ctx.envName}`;
    await removeContainer(ctx, name);
    const c = await ctx.docker.createContainer({
        name,
        Image: ctx.proxyImage,
        Entrypoint: ['sleep'],
        Cmd: ['3600'],
        Labels: { 'safe-deploy.role': 'probe' },
        HostConfig: { NetworkMode: ctx.network, AutoRemove: false },
    });
    await c.start();
    return name;
}

;// CONCATENATED MODULE: ../deploy/docker/swap.ts








/**
 * Deploys one image to a Docker host with zero downtime: start the new container next to the
 * old one, probe it healthy from inside the proxy, point the proxy at it (`caddy reload`), let
 * the old one drain, stop it, and keep a few stopped versions for instant rollback. Any failure
 * before the switch removes the new container and leaves the old one serving. Never throws:
 * every outcome is a result with a one-line `detail`.
 */
async function deployDocker(opts) {
    let ctx;
    try {
        ctx = await connect(opts);
        const c = ctx;
        c.log(`deploying ${opts.image} (${opts.sha.slice(0, 7)}) as ${c.app} (${c.environment})`);
        await ensureImage(c, opts.image);
        // The proxy, or (proxy: none) the container probes run in; a held lock was taken with it.
        if (!opts.lockHeld)
            await ensureImage(c, c.proxyImage);
        return await withLock(c, () => (c.proxy === 'none' ? deployDirect(c, opts) : deployProxied(c, opts)), opts.lockHeld);
    }
    catch (err) {
        return failedResult(err, opts.signal);
    }
}
async function deployProxied(ctx, opts) {
    await ensureNetwork(ctx);
    const proxyState = await ensureProxy(ctx.docker, proxyConfig(ctx));
    const proxyNote = proxyState.action === 'none' ? undefined : proxyState.note;
    const live = await readLive(ctx, opts.known, opts.lockHeld);
    const previous = live.version;
    ctx.log(previous ? `live: ${previous.sha.slice(0, 7)} in ${previous.container}` : 'live: nothing yet');
    if (ctx.signal?.aborted)
        throw new Error('cancelled before the new container started; nothing changed');
    // Read under the lock the run still holds, the state read's containers and ports stand.
    const known = opts.lockHeld ? opts.known : undefined;
    const launched = await launch(ctx, opts, ctx.proxyName, known?.containers?.all ?? (await appContainers(ctx)), known?.ports);
    const current = { sha: opts.sha, image: opts.image, container: launched.name };
    ctx.log(`started ${launched.name}; probing ${launched.healthUrl}`);
    let switched = false;
    let table; // the proxy's TCP table just before the reload: the drain's evidence
    let health;
    try {
        health = await probe(ctx, launched.name, launched.healthUrl);
        if (health.proberDown) {
            return await proxyDied(ctx, live, launched.name, `during the health check of ${launched.name}`, health);
        }
        if (!health.healthy)
            return { ...(await failedHealth(ctx, launched.name, health, previous)), proxyNote };
        const site = renderSite(siteAddress(ctx), { upstream: launched.upstream, ...current });
        try {
            table = await switchSite(ctx.docker, ctx.proxyName, ctx.site, site, proxyConfig(ctx).publicPorts);
        }
        catch (err) {
            if (!(await proxyRunning(ctx.docker, ctx.proxyName)))
                return await proxyDied(ctx, live, launched.name, `while switching to ${launched.name}`, health);
            // Put the file back as it was, so the next reload (any app's) does not pick up ours.
            await restoreSite(ctx, live);
            const still = previous ? `${previous.sha.slice(0, 7)} keeps serving` : 'nothing was serving';
            throw new Error(`${messageOf(err)}; removed ${launched.name}, ${still}`);
        }
        switched = true;
        ctx.log(`switched ${siteAddress(ctx)} to ${launched.name} (${launched.upstream})`);
        // The mark of a version that was live (only these count as retained versions), and from now
        // on it restarts on its own.
        await keepRestarting(ctx, launched.name);
    }
    finally {
        if (!switched)
            await removeContainer(ctx, launched.name).catch(() => undefined);
    }
    const { removed, drain } = await afterSwitch(ctx, launched.name, table);
    const notes = [proxyNote, await healAfterSwitch(ctx, launched.name)].filter(Boolean);
    return {
        status: 'deployed',
        detail: `${opts.sha.slice(0, 7)} is live in ${launched.name}${previous ? `, replacing ${previous.sha.slice(0, 7)}` : ''}` +
            (notes.length ? ` (${notes.join('; ')})` : ''),
        previous,
        current,
        health,
        gap: false,
        upstream: launched.upstream,
        url: publicUrl(ctx),
        removed,
        ...(drain && { drain }),
        ...(notes.length && { proxyNote: notes.join('; ') }),
    };
}
/** Writes back the site file as it was before this run (or removes ours when there was none). */
async function restoreSite(ctx, live) {
    if (live.siteContent !== undefined)
        await writeSite(ctx.docker, ctx.proxyName, ctx.site, live.siteContent);
    else
        await removeSite(ctx.docker, ctx.proxyName, ctx.site);
}
/**
 * The proxy stopped or vanished mid-deploy: every app on the host is down, and it is not the new
 * version's fault. Start (or re-create) it, put this app's previous route back, remove the new
 * container, and fail with the real cause.
 */
async function proxyDied(ctx, live, launched, when, health) {
    const cause = health.proberDown ?? `${ctx.proxyName} stopped`;
    ctx.log(`the proxy went down ${when}: ${cause}`);
    await removeContainer(ctx, launched).catch(() => undefined);
    let healed;
    try {
        await ensureProxy(ctx.docker, proxyConfig(ctx));
        await restoreSite(ctx, live);
        await reloadProxy(ctx.docker, ctx.proxyName);
        healed = live.version
            ? `started it again: ${live.version.sha.slice(0, 7)} serves again`
            : 'started it again';
    }
    catch (err) {
        healed = `could not start it again (${messageOf(err)}): start it by hand with docker start ${ctx.proxyName}`;
    }
    const detail = `the proxy ${ctx.proxyName} went down ${when} (${cause}); ${healed}; removed ${launched}. Re-run the deploy`;
    ctx.log(detail);
    return {
        status: 'failed',
        detail,
        previous: live.version,
        current: live.version,
        health,
        gap: false,
        removed: [],
        ...(health.cancelled && { cancelled: true }),
    };
}
/** The proxy died after the switch (during the drain): start it again; the site file names the new version. */
async function healAfterSwitch(ctx, liveContainer) {
    try {
        if (await proxyRunning(ctx.docker, ctx.proxyName))
            return undefined;
        const state = await ensureProxy(ctx.docker, proxyConfig(ctx));
        return state.action === 'none' ? undefined : `${state.note} after the switch; ${liveContainer} serves`;
    }
    catch (err) {
        const line = `warning: the proxy ${ctx.proxyName} is down and could not be started: ${messageOf(err)}`;
        ctx.log(line);
        return line;
    }
}

;// CONCATENATED MODULE: ../deploy/docker/rollback.ts







/**
 * Puts a retained (stopped) container back in service: start it, probe it healthy, point the
 * proxy back at it, stop the bad one. Used by verify's automatic rollback and by `rollback-to`
 * when the target is still on the host. Nothing is rebuilt or pulled: that is what makes it instant.
 */
async function rollbackDocker(opts) {
    try {
        const ctx = await connect(opts);
        // A held lock was taken with this image (holdDockerLock ensured it): no second inspect.
        if (!opts.lockHeld)
            await ensureImage(ctx, ctx.proxyImage);
        return await withLock(ctx, async () => {
            const direct = ctx.proxy === 'none';
            const proxyState = direct ? undefined : await ensureProxy(ctx.docker, proxyConfig(ctx));
            const proxyNote = proxyState && proxyState.action !== 'none' ? proxyState.note : undefined;
            // One read of what is live (the run's earlier snapshot when it still holds).
            const live = await readLive(ctx, opts.known, opts.lockHeld);
            // Read under the lock the run still holds, the state read's containers and ports stand.
            const held = opts.lockHeld ? opts.known : undefined;
            const known = held?.containers;
            const all = known?.all ?? (await appContainers(ctx));
            // A named container needs only its own mark checked; a search needs every one's.
            const named = opts.to ? all.filter((c) => nameOf(c) === opts.to) : [];
            const wasLive = known?.wasLive ?? (await everLive(ctx, named.length === 1 ? named : all));
            const target = pickTarget(all, wasLive, opts.to, live.version);
            return rollbackLocked(ctx, nameOf(target), live, proxyNote, all, held?.ports);
        }, opts.lockHeld);
    }
    catch (err) {
        return failedResult(err, opts.signal);
    }
}
/** `to`: a container name or a SHA prefix; default the newest stopped version that is not live. */
function pickTarget(all, wasLive, to, live) {
    // Only containers that were live: one a killed run left behind never passed a switch.
    const candidates = all.filter((c) => nameOf(c) !== live?.container && wasLive.has(nameOf(c)));
    const found = to
        ? candidates.find((c) => nameOf(c) === to || (c.Labels[LABELS.sha] ?? '').startsWith(to.toLowerCase()))
        : (candidates.find((c) => c.State !== 'running' && c.Labels[LABELS.sha] !== live?.sha) ??
            candidates.find((c) => c.State !== 'running'));
    if (!found) {
        const kept = all.map(nameOf).join(', ') || 'none';
        throw new Error(`no retained container ${to ? `matches ${to}` : 'to roll back to'} (containers on the host: ${kept})`);
    }
    return found;
}
async function rollbackLocked(ctx, target, live, proxyNote, all, ports) {
    const direct = ctx.proxy === 'none';
    // The ports the host listens on: read with the state under the run's lock, or else next to the
    // inspect, not after it: the exec is the slowest read of a rollback.
    const portTable = async () => (await ports) ?? readPorts(ctx, ctx.proxyName);
    const [info, table] = await Promise.all([
        ctx.docker.getContainer(target).inspect(),
        ctx.hostNet && !direct ? portTable() : undefined,
    ]);
    const listening = table?.listening;
    const version = versionFromLabels(target, info.Config.Labels ?? {});
    const upstream = info.Config.Labels?.[LABELS.upstream];
    if (!version || !upstream)
        throw new Error(`${target} has no safe-deploy labels: cannot roll back to it`);
    const prober = direct ? await startProber(ctx) : ctx.proxyName;
    try {
        const port = Number(upstream.slice(upstream.lastIndexOf(':') + 1));
        if (!info.State.Running && listening?.has(port)) {
            throw new Error(`${target} would listen on port ${port}, which something else holds now`);
        }
        // Read under the lock by the caller: no other run can have started or stopped one since.
        const running = all.filter((c) => c.State === 'running' && nameOf(c) !== target);
        if (direct)
            for (const c of running)
                await stopContainer(ctx, nameOf(c), ctx.drainMs);
        ctx.log(`rolling back to ${version.sha.slice(0, 7)}: starting ${target}`);
        await startExisting(ctx, target);
        const host = ctx.hostNet ? '127.0.0.1' : target;
        const health = await probe(ctx, target, `http://${host}:${port}${ctx.healthPath}`, prober);
        if (!health.healthy) {
            await stopContainer(ctx, target, 5_000);
            if (direct)
                for (const c of running)
                    await startExisting(ctx, nameOf(c));
            const why = health.cancelled
                ? 'cancelled'
                : `not healthy (${health.lastStatus ?? health.lastError ?? 'no answer'})`;
            return {
                status: 'failed',
                detail: `rollback to ${target} failed: ${why}; ${live.version?.sha.slice(0, 7) ?? 'nothing'} is still live`,
                previous: live.version,
                current: live.version,
                health,
                gap: direct,
                removed: [],
                ...(health.cancelled && { cancelled: true }),
            };
        }
        let table; // the proxy's TCP table just before the reload: the drain's evidence
        if (!direct) {
            table = await switchSite(ctx.docker, ctx.proxyName, ctx.site, renderSite(siteAddress(ctx), { upstream, ...version }), proxyConfig(ctx).publicPorts);
            ctx.log(`switched ${siteAddress(ctx)} back to ${target}`);
        }
        await keepRestarting(ctx, target); // the same restart policy as a fresh container once live
        const { removed, drain } = await afterSwitch(ctx, target, table);
        return {
            status: 'rolled-back',
            detail: `${version.sha.slice(0, 7)} is live again in ${target}${live.version ? `, replacing ${live.version.sha.slice(0, 7)}` : ''}` +
                (proxyNote ? ` (${proxyNote})` : ''),
            ...(proxyNote && { proxyNote }),
            previous: live.version,
            current: version,
            health,
            gap: direct,
            upstream,
            url: publicUrl(ctx),
            removed,
            ...(drain && { drain }),
        };
    }
    finally {
        if (direct)
            await ctx.docker
                .getContainer(prober)
                .remove({ force: true })
                .catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ../deploy/docker/state.ts



/**
 * What the host knows about an app and environment, read without changing anything: the live
 * version (from the proxy) and every version whose container it still has (retained for rollback),
 * newest first.
 */
async function readDockerState(opts, withPorts = false) {
    const ctx = await connect(opts);
    // With the lock held, the port table read now (next to the state) still holds at the change.
    // A proxy that is not running cannot be asked: the change reads the ports itself. Not awaited
    // here: the decision does not need it, and the exec is the slowest of these reads.
    const ports = withPorts && ctx.hostNet && ctx.proxy === 'caddy'
        ? readPorts(ctx, ctx.proxyName).catch(() => undefined)
        : undefined;
    const snapshot = await readLive(ctx);
    const live = snapshot.version;
    const all = await appContainers(ctx);
    // Only versions that were live count: a container a killed run left is not a past release.
    const wasLive = await everLive(ctx, all);
    const retained = all
        .filter((c) => wasLive.has(nameOf(c)) || nameOf(c) === live?.container)
        .map((c) => versionFromLabels(nameOf(c), c.Labels))
        .filter((v) => v !== undefined);
    return { live, retained, snapshot: { ...snapshot, containers: { all, wasLive }, ports } };
}
/** Reaches the host (ping; over SSH the host key is checked first) and changes nothing. */
async function preflightDocker(opts) {
    await connect(opts);
}

;// CONCATENATED MODULE: ../deploy/docker/index.ts
/** The `deploy-to: docker` engine: one entry point for the pipeline, independent of inputs. */








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