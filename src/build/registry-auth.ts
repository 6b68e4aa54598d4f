import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

export interface ResolvedAuth {
  auth?: RegistryAuth;
  /** Where the credentials came from, for the log (never the credentials themselves). */
  source: string;
}

const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** The registry host of an image repository, by Docker's rule: a first part with `.` or `:` or `localhost`. */
export function registryHost(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/**
 * Credentials for pushing `image`: the inputs when given, else the Docker config file that
 * `docker login` / `docker/login-action` write (`auths`, or a credential helper), else none.
 */
export function resolveAuth(
  image: string,
  username: string | undefined,
  password: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedAuth {
  const host = registryHost(image);
  if (username && password)
    return {
      auth: { username, password, serveraddress: host },
      source: 'registry-username/registry-password',
    };

  const configDir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const file = path.join(configDir, 'config.json');
  if (!fs.existsSync(file)) return { source: `none (no ${file})` };
  let config: DockerConfig;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8')) as DockerConfig;
  } catch {
    throw new Error(
      `${file} is not valid JSON; fix or remove it, or set registry-username and registry-password.`,
    );
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
  if (helper) return { auth: fromHelper(helper, host), source: `docker-credential-${helper}` };
  return { source: `none (no entry for ${host} in ${file})` };
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string } | undefined>;
  credHelpers?: Record<string, string | undefined>;
  credsStore?: string;
}

/** The credential-helper protocol: server URL on stdin, JSON {Username, Secret} on stdout. */
function fromHelper(helper: string, host: string): RegistryAuth | undefined {
  try {
    const out = execFileSync(`docker-credential-${helper}`, ['get'], {
      input: host,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const { Username, Secret } = JSON.parse(out) as { Username: string; Secret: string };
    return Username === '<token>'
      ? { identitytoken: Secret, serveraddress: host }
      : { username: Username, password: Secret, serveraddress: host };
  } catch {
    return undefined;
  }
}
