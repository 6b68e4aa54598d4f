import type Docker from 'dockerode';
import { execIn, messageOf, sleep, statusOf } from './exec';
import { clientConnectionsScript } from './proc-net';
import { tar, untar } from './tar';

/**
 * The Caddy proxy: one container per host, shared by every app and environment. Its config is
 * managed only through the Docker API (putArchive + exec), so a remote host needs nothing else:
 * the main Caddyfile imports one site file per app and environment, and `caddy reload` applies a
 * change gracefully (in-flight requests finish on the old upstream).
 */
export interface ProxyConfig {
  name: string;
  image: string;
  network: string;
  admin: string;
  /** Ports the proxy must publish when it is not on the host's network. */
  publicPorts: number[];
  log: (line: string) => void;
}

const MAIN = '/etc/caddy/Caddyfile';
const SITES = '/etc/caddy/sites';
const ADMIN_DIR = '/run/caddy';
const RELOAD = ['caddy', 'reload', '--config', MAIN, '--adapter', 'caddyfile'];

export function siteFile(app: string, environment: string): string {
  return `${SITES}/${app}--${environment}.caddy`;
}

export function mainCaddyfile(admin: string): string {
  return [
    '# Managed by safe-deploy. Each app and environment owns one file in /etc/caddy/sites/.',
    '{',
    `\tadmin ${admin}`,
    '}',
    `import ${SITES}/*.caddy`,
    '',
  ].join('\n');
}

/** What ensureProxy found and did, for the log and the summary. */
export type ProxyState =
  { action: 'none' } | { action: 'created'; note: string } | { action: 'started'; note: string };

/**
 * Creates and starts the proxy if it is missing; starts it if stopped or killed (and says so);
 * joins the app's network. Site files live in a named volume, so a re-created proxy serves every
 * app's route again at once.
 */
export async function ensureProxy(docker: Docker, cfg: ProxyConfig): Promise<ProxyState> {
  const container = docker.getContainer(cfg.name);
  let info: Docker.ContainerInspectInfo | undefined;
  try {
    info = await container.inspect();
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  const hostNet = cfg.network === 'host';
  if (!info) {
    cfg.log(`creating the proxy container ${cfg.name} (${cfg.image})`);
    const ports = hostNet ? [] : cfg.publicPorts.map((p) => `${p}/tcp`);
    const create = (sysctls?: Record<string, string>): Promise<Docker.Container> =>
      docker.createContainer(proxyCreateBody(cfg, ports, sysctls));
    if (hostNet) await create();
    else {
      // Caddy re-opens its listening socket (SO_REUSEPORT) on every reload; without request
      // migration the kernel resets connections still queued on the old one. The proxy's own
      // network namespace can have it; kernels before 5.14 lack it, so fall back without.
      try {
        await create({ [MIGRATE_SYSCTL]: '1' });
      } catch (err) {
        if (!/sysctl|tcp_migrate_req/i.test(messageOf(err))) throw err;
        cfg.log(
          `${MIGRATE_SYSCTL} is not available on this host's kernel: a proxy reload may reset a few queued connections`,
        );
        await create();
      }
    }
    const files = [{ name: 'etc/caddy/' }, { name: 'etc/caddy/sites/' }];
    await container.putArchive(tar([...files, { name: MAIN.slice(1), content: mainCaddyfile(cfg.admin) }]), {
      path: '/',
    });
    await container.start();
    await waitReady(docker, cfg.name);
    if (hostNet) await warnWithoutMigration(docker, cfg);
    return { action: 'created', note: `created the proxy ${cfg.name}` };
  }
  let state: ProxyState = { action: 'none' };
  if (!info.State.Running) {
    const how = info.State.ExitCode === 137 ? 'was killed' : `had stopped (exit code ${info.State.ExitCode})`;
    const since =
      info.State.FinishedAt && !info.State.FinishedAt.startsWith('0001')
        ? ` at ${info.State.FinishedAt}`
        : '';
    const note = `the proxy ${cfg.name} ${how}${since}: started it again`;
    cfg.log(note);
    await container.start().catch((err: unknown) => {
      if (statusOf(err) !== 304) throw err;
    });
    await waitReady(docker, cfg.name);
    state = { action: 'started', note };
  }
  // Host-network proxies reach apps on 127.0.0.1; others by container name: they cannot mix.
  const proxyHostNet = info.HostConfig.NetworkMode === 'host';
  if (proxyHostNet !== hostNet) {
    throw new Error(
      `the proxy ${cfg.name} runs on ${proxyHostNet ? 'the host network' : `network ${info.HostConfig.NetworkMode}`}, ` +
        `this app on ${hostNet ? 'the host network' : `network ${cfg.network}`}: use the same network for all apps ` +
        `on a host, or remove the proxy (docker rm -f ${cfg.name}) to re-create it`,
    );
  }
  if (hostNet) return state;
  if (!(cfg.network in (info.NetworkSettings.Networks ?? {}))) {
    cfg.log(`connecting the proxy to network ${cfg.network}`);
    await docker.getNetwork(cfg.network).connect({ Container: cfg.name });
  }
  const published = Object.keys(info.HostConfig.PortBindings ?? {});
  const missing = cfg.publicPorts.filter((p) => !published.includes(`${p}/tcp`));
  if (missing.length > 0) {
    throw new Error(
      `the proxy ${cfg.name} does not publish port ${missing.join(', ')}; ports are fixed when it is created: ` +
        `remove it (docker rm -f ${cfg.name}) to let the next deploy re-create it, or choose another public-port`,
    );
  }
  return state;
}

/** The proxy's create body (pure, table-tested). */
export function proxyCreateBody(
  cfg: Pick<ProxyConfig, 'name' | 'image' | 'network'>,
  ports: readonly string[],
  sysctls?: Record<string, string>,
): Docker.ContainerCreateOptions {
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
export async function proxyRunning(docker: Docker, name: string): Promise<boolean> {
  try {
    return (await docker.getContainer(name).inspect()).State.Running;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw err;
  }
}

const MIGRATE_SYSCTL = 'net.ipv4.tcp_migrate_req';

/**
 * On the host network the setting is the host's own, which the action must not change behind the
 * operator's back: it says what a reload may cost and how to avoid it.
 */
async function warnWithoutMigration(docker: Docker, cfg: ProxyConfig): Promise<void> {
  const r = await execIn(docker, cfg.name, ['cat', `/proc/sys/${MIGRATE_SYSCTL.replace(/\./g, '/')}`]).catch(
    () => undefined,
  );
  if (r?.exitCode === 0 && r.stdout.trim() === '0') {
    cfg.log(
      `note: ${MIGRATE_SYSCTL}=0 on this host: each proxy reload may reset a few connections still queued on Caddy's old socket; ` +
        `set it to 1 on the host (sysctl -w ${MIGRATE_SYSCTL}=1) for zero dropped connections`,
    );
  }
}

/** Caddy needs a moment after start before its admin endpoint answers `caddy reload`. */
async function waitReady(docker: Docker, name: string): Promise<void> {
  let last = '';
  for (let i = 0; i < 60; i++) {
    const r = await execIn(docker, name, RELOAD).catch((e: unknown) => ({
      exitCode: -1,
      stderr: messageOf(e),
    }));
    if (r.exitCode === 0) return;
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
export async function readSite(docker: Docker, proxy: string, file: string): Promise<string | undefined> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.getContainer(proxy).getArchive({ path: file });
  } catch (err) {
    if (statusOf(err) === 404) return undefined; // no proxy, or no site file for this app yet
    throw err;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const [content] = untar(Buffer.concat(chunks)).values();
  return content?.toString('utf8');
}

export async function writeSite(docker: Docker, proxy: string, file: string, content: string): Promise<void> {
  await docker.getContainer(proxy).putArchive(tar([{ name: file.slice(1), content }]), { path: '/' });
}

export async function removeSite(docker: Docker, proxy: string, file: string): Promise<void> {
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
export function switchSiteExec(
  file: string,
  content: string,
  ports: readonly number[],
): { cmd: string[]; env: string[] } {
  // Exit 97 (not a code caddy uses) tells a file that could not be written from a rejected config.
  const script =
    `{ printf '%s' "$SAFE_DEPLOY_SITE" > "$1.new" && mv -f "$1.new" "$1"; } || exit ${WRITE_FAILED}; ` +
    `${clientConnectionsScript(ports)}; exec ${RELOAD.join(' ')} >&2`;
  return { cmd: ['sh', '-c', script, 'switch-site', file], env: [`SAFE_DEPLOY_SITE=${content}`] };
}

/**
 * Points the proxy at a new upstream: the site file and a graceful reload. A file that cannot be
 * written or a config Caddy rejects fails with Caddy's own last line; the running config stays.
 * Returns the proxy's TCP table (the client connections to `ports`) as read just before the reload,
 * for the drain, or undefined when the proxy had none to read.
 */
export async function switchSite(
  docker: Docker,
  proxy: string,
  file: string,
  content: string,
  ports: readonly number[],
): Promise<string | undefined> {
  const { cmd, env } = switchSiteExec(file, content, ports);
  const r = await execIn(docker, proxy, cmd, 30_000, env);
  const why = lastLine(r.stderr || r.stdout);
  if (r.exitCode === WRITE_FAILED) throw new Error(`could not write ${file} in ${proxy}: ${why}`);
  if (r.exitCode !== 0) throw new Error(`caddy reload in ${proxy} failed (exit ${r.exitCode}): ${why}`);
  return r.stdout.includes('local_address') ? r.stdout : undefined;
}

const WRITE_FAILED = 97;

/** Graceful reload; a config Caddy rejects leaves the running one in place, and we say why. */
export async function reloadProxy(docker: Docker, proxy: string): Promise<void> {
  const r = await execIn(docker, proxy, RELOAD);
  if (r.exitCode !== 0) {
    throw new Error(
      `caddy reload in ${proxy} failed (exit ${r.exitCode}): ${lastLine(r.stderr || r.stdout)}`,
    );
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/** What a site file records: the upstream, and (in a comment) the version behind it. */
export interface SiteState {
  upstream: string;
  container?: string;
  sha?: string;
  image?: string;
}

export function renderSite(address: string, state: SiteState): string {
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

export function parseSite(content: string): SiteState | undefined {
  const upstream = /^\s*reverse_proxy\s+(\S+)/m.exec(content)?.[1];
  if (!upstream) return undefined;
  const meta = /^# safe-deploy (.*)$/m.exec(content)?.[1] ?? '';
  const field = (k: string): string | undefined => new RegExp(`(?:^| )${k}=(\\S+)`).exec(meta)?.[1];
  return { upstream, container: field('container'), sha: field('sha'), image: field('image') };
}
