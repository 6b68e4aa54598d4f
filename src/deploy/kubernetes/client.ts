/**
 * The connection to the cluster: @kubernetes/client-node (real kubeconfigs, exec credential
 * plugins, client certificates), loaded only when a run deploys to Kubernetes — it is several
 * times the size of the rest of the action. Every failure becomes a KubeError: one line naming
 * the context, namespace, resource and verb, never a stack trace, a token or the kubeconfig.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as K8s from '@kubernetes/client-node';

export class KubeError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export interface ConnectOptions {
  /** kubeconfig contents (already decoded); unset: the runner's KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export interface Kube {
  k8s: typeof K8s;
  apps: K8s.AppsV1Api;
  core: K8s.CoreV1Api;
  batch: K8s.BatchV1Api;
  coordination: K8s.CoordinationV1Api;
  authz: K8s.AuthorizationV1Api;
  context: string;
  namespace: string;
  server: string;
  user: string;
  /** Runs one API call; a failure becomes a KubeError saying what was being done. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Where client-node's loadFromDefault looks: KUBECONFIG's files, ~/.kube/config, or in-cluster. */
export function kubeconfigFileExists(env: NodeJS.ProcessEnv): boolean {
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter).filter(Boolean) : [];
  if (files.length) return files.some((f) => fs.existsSync(f));
  return (
    fs.existsSync(path.join(env.HOME ?? os.homedir(), '.kube', 'config')) || !!env.KUBERNETES_SERVICE_HOST
  );
}

let loading: Promise<typeof K8s> | undefined;

/** Starts loading the client (a large module) without waiting for it; connect() finishes the job. */
export function preloadClient(): void {
  loading ??= import('@kubernetes/client-node');
  loading.catch(() => undefined);
}

export async function connect(o: ConnectOptions): Promise<Kube> {
  if (!o.kubeconfig && !kubeconfigFileExists(process.env))
    throw new KubeError(
      'no kubeconfig: set the kubeconfig input (its YAML or base64, from a secret), or set KUBECONFIG on the runner (azure/k8s-set-context does)',
    );
  const k8s = await (loading ??= import('@kubernetes/client-node'));
  const kc = new k8s.KubeConfig();
  try {
    if (o.kubeconfig) kc.loadFromString(o.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    // The parser's message may quote the file: name the source, not its contents.
    throw new KubeError(
      `the kubeconfig${o.kubeconfig ? ' input' : ` file (${process.env.KUBECONFIG ?? '~/.kube/config'})`} could not be read as a kubeconfig (${(err as Error).name}); give the file's YAML (or its base64)`,
    );
  }
  const contexts = kc.getContexts().map((c) => c.name);
  if (o.context) {
    if (!contexts.includes(o.context))
      throw new KubeError(
        `kube-context "${o.context}" is not in the kubeconfig (it has: ${contexts.join(', ') || 'no contexts'}); set kube-context to one of them`,
      );
    kc.setCurrentContext(o.context);
  }
  const context = kc.getCurrentContext();
  const ctx = kc.getContextObject(context);
  const cluster = kc.getCurrentCluster();
  if (!ctx || !cluster)
    throw new KubeError(
      `the kubeconfig has no usable current context (contexts: ${contexts.join(', ') || 'none'}); set kube-context`,
    );
  const namespace = o.namespace ?? ctx.namespace ?? 'default';
  const server = cluster.server;
  const user = kc.getCurrentUser()?.name ?? ctx.user;
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    // node-fetch has no timeout of its own: a server that never answers would hang the run.
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)),
        REQUEST_TIMEOUT_MS,
      );
      timer.unref();
    });
    try {
      return await Promise.race([fn(), silent]);
    } catch (err) {
      throw explain(err, what, { context, server });
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    k8s,
    apps: kc.makeApiClient(k8s.AppsV1Api),
    core: kc.makeApiClient(k8s.CoreV1Api),
    batch: kc.makeApiClient(k8s.BatchV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    authz: kc.makeApiClient(k8s.AuthorizationV1Api),
    context,
    namespace,
    server,
    user,
    call,
  };
}

/** One line for any failed call: the API's own status message, or why the server did not answer. */
export function explain(err: unknown, what: string, where: { context: string; server: string }): KubeError {
  if (err instanceof KubeError) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string; name?: string; type?: string };
  if (typeof e.code === 'number' && e.code >= 100) {
    const message = statusMessage(e.body);
    if (e.code === 401)
      return new KubeError(
        `the API server at ${where.server} (context ${where.context}) refused the credentials (401 Unauthorized) while trying to ${what}: renew the token or certificate in the kubeconfig`,
        401,
      );
    return new KubeError(`could not ${what}: ${message ?? `HTTP ${e.code}`}`, e.code);
  }
  const reason = (e.message ?? String(err)).replace(/^request to \S+ failed, reason: /, '');
  return new KubeError(
    `the Kubernetes API at ${where.server} (context ${where.context}) did not answer while trying to ${what}: ${reason}. Check the kubeconfig's server address and that the cluster is reachable from this runner`,
  );
}

function statusMessage(body: unknown): string | undefined {
  let b: unknown = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return body.slice(0, 300) || undefined;
    }
  }
  const m = (b as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? m : undefined;
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeError && err.status === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeError && err.status === 409;
