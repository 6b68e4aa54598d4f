/**
 * The kubeconfig, read as client-node's KubeConfig reads it and with client-node's own parts: its
 * validators for clusters, users and contexts, and its authenticators (exec credential plugins such
 * as EKS's and GKE's, token files, OIDC, the legacy azure and gcp providers). Not KubeConfig
 * itself: its module imports client-node's generated API, 15 MB of code that took ~250 ms to load
 * on every run (the bundler cannot leave it out: its TypeScript enums count as side effects), and
 * the action sends its few requests itself (requests.ts). Loaded only by runs that deploy to
 * Kubernetes (client.ts imports this module dynamically).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type https from 'node:https';
import yaml from 'js-yaml';
import {
  newClusters,
  newContexts,
  newUsers,
  type Cluster,
  type Context,
  type User,
} from '@kubernetes/client-node/dist/config_types.js';
import type { Authenticator } from '@kubernetes/client-node/dist/auth.js';
import { AzureAuth } from '@kubernetes/client-node/dist/azure_auth.js';
import { ExecAuth } from '@kubernetes/client-node/dist/exec_auth.js';
import { FileAuth } from '@kubernetes/client-node/dist/file_auth.js';
import { GoogleCloudPlatformAuth } from '@kubernetes/client-node/dist/gcp_auth.js';
import { OpenIDConnectAuth } from '@kubernetes/client-node/dist/oidc_auth.js';

export interface Kubeconfig {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext?: string;
}

/** Where a pod's service account is mounted (in-cluster runners). */
const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** client-node's loadFromString: YAML (or JSON), each entry through client-node's validators. */
export function parseKubeconfig(text: string): Kubeconfig {
  const obj = (yaml.load(text) ?? {}) as Record<string, unknown>;
  const current = obj['current-context'];
  return {
    clusters: newClusters(obj.clusters),
    users: newUsers(obj.users),
    contexts: newContexts(obj.contexts),
    currentContext: typeof current === 'string' ? current : undefined,
  };
}

/** client-node's loadFromFile: file paths in the kubeconfig are relative to its directory. */
export function absolutePaths(kc: Kubeconfig, dir: string): Kubeconfig {
  const abs = (f: string | undefined): string | undefined =>
    f && !path.isAbsolute(f) ? path.join(dir, f) : f;
  return {
    ...kc,
    clusters: kc.clusters.map((c) => ({ ...c, caFile: abs(c.caFile) })),
    users: kc.users.map((u) => ({ ...u, certFile: abs(u.certFile), keyFile: abs(u.keyFile) })),
  };
}

/**
 * client-node's mergeConfig as loadFromDefault uses it: a later file's current-context wins, and a
 * name defined twice is an error.
 */
export function mergeKubeconfigs(files: Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { clusters: [], users: [], contexts: [] };
  for (const kc of files) {
    if (kc.currentContext) out.currentContext = kc.currentContext;
    const add = <T extends { name: string }>(into: T[], items: T[], what: string): void => {
      for (const item of items) {
        if (into.some((x) => x.name === item.name)) throw new Error(`Duplicate ${what}: ${item.name}`);
        into.push(item);
      }
    };
    add(out.clusters, kc.clusters, 'cluster');
    add(out.users, kc.users, 'user');
    add(out.contexts, kc.contexts, 'context');
  }
  return out;
}

/** client-node's loadFromCluster: the service account a pod is given. */
export function inClusterKubeconfig(env: NodeJS.ProcessEnv, namespace: string | undefined): Kubeconfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '';
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const server = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    clusters: [{ name: 'inCluster', caFile: `${SERVICE_ACCOUNT}/ca.crt`, server, skipTLSVerify: false }],
    users: [
      {
        name: 'inClusterUser',
        authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICE_ACCOUNT}/token` } },
      },
    ],
    contexts: [{ cluster: 'inCluster', name: 'inClusterContext', user: 'inClusterUser', namespace }],
    currentContext: 'inClusterContext',
  };
}

/** client-node's loadFromDefault: KUBECONFIG's files, else ~/.kube/config, else the pod's service account. */
export function loadDefaultKubeconfig(env: NodeJS.ProcessEnv): Kubeconfig {
  const fromFile = (f: string): Kubeconfig =>
    absolutePaths(parseKubeconfig(fs.readFileSync(f, 'utf8')), path.dirname(f));
  const files = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (files.length) return mergeKubeconfigs(files.map(fromFile));
  const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
  if (fs.existsSync(home)) return fromFile(home);
  const nsFile = `${SERVICE_ACCOUNT}/namespace`;
  return inClusterKubeconfig(env, fs.existsSync(nsFile) ? fs.readFileSync(nsFile, 'utf8') : undefined);
}

/** What one request needs from the kubeconfig: TLS settings and headers (the credentials). */
export interface Credentials {
  headers: Record<string, string>;
  ca?: Buffer;
  cert?: Buffer | string;
  key?: Buffer | string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** The authenticators KubeConfig asks, in its order: the first that recognises the user applies. */
export function authenticators(): Authenticator[] {
  return [
    new AzureAuth(),
    new GoogleCloudPlatformAuth(),
    new ExecAuth(),
    new FileAuth(),
    new OpenIDConnectAuth(),
  ];
}

/**
 * client-node's applyOptions for one request: the cluster's CA and TLS name, the user's client
 * certificate, then the authenticator's token (an exec plugin may give a certificate instead), a
 * static token last. Asked for every request, as client-node does: the authenticators cache a
 * token until it expires and then renew it.
 */
export async function credentialsFor(
  cluster: Cluster,
  user: User,
  auth: Authenticator[],
): Promise<Credentials> {
  const bytes = (file?: string, data?: string): Buffer | undefined =>
    file ? fs.readFileSync(file) : data ? Buffer.from(data, 'base64') : undefined;
  const opts: https.RequestOptions & { headers: Record<string, string> } = { headers: {} };
  if (user.username)
    opts.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  if (user.impersonateUser) opts.headers['Impersonate-User'] = user.impersonateUser;
  opts.cert = bytes(user.certFile, user.certData);
  opts.key = bytes(user.keyFile, user.keyData);
  await auth.find((a) => a.isAuthProvider(user))?.applyAuthentication(user, opts);
  if (user.token) opts.headers.Authorization = `Bearer ${user.token}`;
  return {
    headers: opts.headers,
    ca: bytes(cluster.caFile, cluster.caData),
    cert: opts.cert as Buffer | string | undefined,
    key: opts.key as Buffer | string | undefined,
    rejectUnauthorized: cluster.skipTLSVerify ? false : undefined,
    servername: cluster.tlsServerName,
  };
}
