import Docker from 'dockerode';
import { sshAgent } from './ssh-agent';

const clients = new Map<string, Docker>();

/**
 * Connects to `docker-host`; nothing is sent until the first call (see `pingOrExplain`). One
 * client per host and credentials for the whole run (the preflight, the state read, the deploy
 * and a rollback share it, and over SSH its one connection).
 */
export function dockerFromHost(host?: string, sshKey?: string, sshKnownHosts?: string): Docker {
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

function newClient(host?: string, sshKey?: string, sshKnownHosts?: string): Docker {
  const target = host?.trim() || process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  // Every field is set explicitly: docker-modem merges its own DOCKER_HOST defaults under ours, so
  // a `host` left out would leak in from the environment and override a unix socket given here.
  const base = { host: undefined, port: undefined, socketPath: undefined, username: undefined };
  if (target.startsWith('unix://')) {
    return new Docker({ ...base, socketPath: target.slice('unix://'.length) || '/var/run/docker.sock' });
  }
  if (target.startsWith('/')) return new Docker({ ...base, socketPath: target });
  let url: URL;
  try {
    url = new URL(target.includes('://') ? target : `tcp://${target}`);
  } catch {
    throw new Error(`docker-host "${target}" is not unix://PATH, tcp://HOST:PORT or ssh://USER@HOST[:PORT]`);
  }
  if (url.protocol === 'ssh:') {
    // Plain HTTP to a placeholder address; the agent carries every connection over SSH. docker-modem
    // honours `agent` though its types do not declare it.
    return new Docker({
      ...base,
      protocol: 'http',
      host: 'docker.invalid',
      port: 80,
      agent: sshAgent(
        {
          host: url.hostname,
          port: Number(url.port) || 22,
          username: decodeURIComponent(url.username) || 'root',
          ...(sshKey ? { privateKey: sshKey } : { agent: process.env.SSH_AUTH_SOCK }),
          readyTimeout: 20_000,
        },
        sshKnownHosts,
      ),
    } as Docker.DockerOptions);
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    // tcp://…:2376 is Docker's TLS port by convention, as the docker CLI assumes.
    const tls = url.protocol === 'https:' || url.port === '2376' || process.env.DOCKER_TLS_VERIFY === '1';
    return new Docker({
      ...base,
      protocol: tls ? 'https' : 'http',
      host: url.hostname,
      port: url.port || (tls ? 2376 : 2375),
    });
  }
  throw new Error(
    `docker-host "${target}": unsupported scheme ${url.protocol} (use unix://, tcp:// or ssh://)`,
  );
}

/** The host as a person would name it in a message: never with credentials. */
export function hostLabel(host?: string): string {
  const target = host?.trim() || process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  return target.replace(/\/\/[^@/]*:[^@/]*@/, '//');
}

/**
 * Fails fast, before anything changes, when the Docker host cannot be reached: a refused
 * connection, a wrong socket path, an ssh failure or a host that never answers.
 */
export async function pingOrExplain(docker: Docker, label: string, timeoutMs = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${Math.round(timeoutMs / 1000)}s`)), timeoutMs);
  });
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const check = label.startsWith('ssh://') ? 'docker-host and ssh-key' : 'docker-host';
    throw new Error(`cannot reach the Docker host ${label}: ${reason}; check ${check}`);
  } finally {
    clearTimeout(timer);
  }
}
