import type Docker from 'dockerode';

/** Where and how to reach the Docker host, the proxy and the lock: shared by deploy and rollback. */
export interface DockerTargetOptions {
  /** Container name prefix and the key (with `environment`) of the proxy site and the lock. */
  app: string;
  environment: string;
  /** `unix://…`, `tcp://…` or `ssh://user@host[:port]`; default `DOCKER_HOST`, else the local socket. */
  host?: string;
  /** Private key (PEM/OpenSSH text) for `ssh://` hosts. */
  sshKey?: string;
  /** known_hosts lines for `ssh://` hosts; a host key not among them refuses the connection. */
  sshKnownHosts?: string;
  /** An already-built client (tests, or a caller that connected already); wins over `host`. */
  docker?: Docker;
  /** Default `safe-deploy` (a bridge network, created if missing); `host` runs on the host's network. */
  network?: string;
  /** `caddy` (default): zero-downtime switch through the proxy. `none`: stop old, start new (a gap). */
  proxy?: 'caddy' | 'none';
  /** Defaults: src/deploy/docker/defaults.ts. */
  proxyImage?: string;
  proxyName?: string;
  /** Caddy's admin address inside the proxy; default a Unix socket only the proxy container sees. */
  proxyAdmin?: string;
  publicPort?: number; // default 80
  /** Enables automatic HTTPS in the proxy (ports 80 and 443); `publicPort` is then not used. */
  domain?: string;
  healthPath?: string; // default /health
  healthTimeoutMs?: number; // default 60s
  healthIntervalMs?: number; // default 1s
  healthStatus?: string; // default 200-399
  /** Between the switch and SIGTERM to the old container, and again between SIGTERM and SIGKILL. */
  drainMs?: number; // default 30s
  retain?: number; // default 5 stopped containers kept for rollback
  lockWaitMs?: number; // default 10m
  /** A lock older than this is taken to belong to a run that was killed outright, and is broken. */
  lockStaleMs?: number; // default 1h
  /** Written on the lock so a waiting run can say who holds it. */
  runId?: string;
  runUrl?: string;
  /** Host ports handed to containers on `network: host` (each gets its own, as `PORT`). */
  hostPortRange?: [number, number]; // default 20000-29999
  /** For pulling images the host does not have yet. */
  registryAuth?: { username: string; password: string; serveraddress?: string };
  /** Cancels the run: before the switch, the new container is removed and the old one keeps serving. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Local TCP ports on the host's network with any socket, and those listening (state 0A). */
export interface PortTable {
  any: ReadonlySet<number>;
  listening: ReadonlySet<number>;
}

/** What is live, as read from the proxy's site file: shared by a run's state read and its deploy. */
export interface LiveSnapshot {
  version?: DockerVersion;
  /** The site file as it was, to restore if a reload fails; undefined when there was none. */
  siteContent?: string;
  upstream?: string;
  /** The app's containers and which of them were ever live, read with it (by the state read). */
  containers?: { all: readonly Docker.ContainerInfo[]; wasLive: ReadonlySet<string> };
  /**
   * The host's ports (network: host, read in the proxy), read with it under a lock the run holds:
   * the deploy picks a free port, a rollback checks its container's, without another exec.
   * Undefined (or resolving to undefined) when they could not be read then.
   */
  ports?: Promise<PortTable | undefined>;
}

/** How a deploy or rollback relates to the lock and the state read before it. */
interface AfterStateRead {
  /**
   * The live state this run already read. Read before the lock: under the lock only the site
   * file is read again, and when it is unchanged this snapshot is used as is. Read under a lock
   * the caller still holds (`lockHeld`): used as is, nothing can have changed it.
   */
  known?: LiveSnapshot;
  /** The caller holds the app+environment lock (holdDockerLock) for the whole read-decide-change. */
  lockHeld?: boolean;
}

export interface DockerDeployOptions extends DockerTargetOptions, AfterStateRead {
  /** The image to run, by tag or digest. */
  image: string;
  /** The commit SHA (full); its first 7 characters name the container. */
  sha: string;
  /** The port the app listens on inside its container (not on `network: host`); also given as `PORT`. */
  port?: number; // default 3000
  env?: Record<string, string> | readonly string[];
  /** Bind or volume specs, `src:dst[:opts]`. */
  volumes?: readonly string[];
}

export interface DockerRollbackOptions extends DockerTargetOptions, AfterStateRead {
  /** A retained container's name, or a commit SHA (prefix); default: the newest stopped one. */
  to?: string;
}

/** One deployed version as the host knows it. */
export interface DockerVersion {
  sha: string;
  image: string;
  container: string;
  /** The run that deployed it, when known. */
  runUrl?: string;
  deployedAt?: string;
}

export interface HealthReport {
  healthy: boolean;
  url: string;
  probes: number;
  /** Time from the first probe to the healthy answer (or to giving up). */
  elapsedMs: number;
  lastStatus?: number;
  lastError?: string;
  /** Set when the container probes run in (the proxy) stopped or vanished during the wait. */
  proberDown?: string;
  /** Set when the container exited during the wait. */
  exitCode?: number;
  cancelled?: boolean;
}

export interface DockerDeployResult {
  status: 'deployed' | 'rolled-back' | 'failed';
  /** One line a person can act on. */
  detail: string;
  /** What served before this run (read from the proxy, or the running container without one). */
  previous?: DockerVersion;
  /** What serves after this run (the new version, or `previous` when it failed). */
  current?: DockerVersion;
  health?: HealthReport;
  /** The failed container's last 50 log lines and exit code. */
  logs?: string[];
  exitCode?: number;
  cancelled?: boolean;
  /** True when traffic had a gap (`proxy: none`): the old container stopped before the new one started. */
  gap: boolean;
  /** Where the proxy sends traffic (`127.0.0.1:20123` or `app-abc1234-1:3000`). */
  upstream?: string;
  /** The public address the proxy answers on. */
  url?: string;
  /** Old containers removed by `retain`. */
  removed: string[];
  /** How long the old version took to drain after the switch (see drain.ts). */
  drain?: { ms: number; drained: boolean; peak: number };
  /** What this run had to do to the proxy (created it, started it again), for the log and summary. */
  proxyNote?: string;
}
