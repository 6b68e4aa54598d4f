import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import {
  randomSha,
  REGISTRY,
  registryDigest,
  tempDir,
  visibleLog,
  type ActionRun,
  type RunOptions,
} from './action';
import { buildTestApp, type AppKind } from './docker-app';

/**
 * The test control plane (test/k8s: real etcd, kube-apiserver and controllers, a kubelet stand-in
 * running pods on the local Docker engine) as the Kubernetes tests use it. No cluster is a failed
 * test, never a skipped one.
 */
export const K8S_DIR = process.env.SAFE_DEPLOY_K8S_DIR ?? '/tmp/safe-deploy-services/k8s';
export const ADMIN = path.join(K8S_DIR, 'admin.kubeconfig');
export const DEPLOYER = path.join(K8S_DIR, 'deployer.kubeconfig');

export function requireCluster(): void {
  if (!fs.existsSync(path.join(K8S_DIR, 'ready')))
    throw new Error(
      `The test control plane is not running (${K8S_DIR}/ready is missing): start it with bash scripts/services.sh`,
    );
}

export function kubectl(args: string[], input?: string, kubeconfig = ADMIN): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export const kubectlJson = <T = Record<string, unknown>>(args: string[]): T =>
  JSON.parse(kubectl([...args, '-o', 'json'])) as T;

export function createNamespace(prefix: string): string {
  const ns = `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
  kubectl(['create', 'namespace', ns]);
  return ns;
}

export function deleteNamespace(ns: string): void {
  try {
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  } catch {
    // already gone
  }
}

export interface DeploymentOptions {
  name: string;
  image: string;
  replicas?: number;
  containers?: string[];
  progressDeadlineSeconds?: number;
  env?: Record<string, string>;
  paused?: boolean;
}

/** A Deployment as a team would have it: readiness on /health, quick probes for the tests. */
export function applyDeployment(ns: string, o: DeploymentOptions): void {
  const containers = (o.containers ?? [o.name]).map((name, i) => ({
    name,
    image: o.image,
    ports: [{ containerPort: 3000 + i }],
    env: Object.entries(o.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
    readinessProbe: { httpGet: { path: '/health', port: 3000 + i }, periodSeconds: 1, failureThreshold: 1 },
  }));
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, namespace: ns },
    spec: {
      replicas: o.replicas ?? 2,
      paused: o.paused,
      progressDeadlineSeconds: o.progressDeadlineSeconds ?? 600,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: o.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: o.name } },
        spec: { terminationGracePeriodSeconds: 2, containers },
      },
    },
  };
  kubectl(['apply', '-f', '-'], JSON.stringify(body));
}

export function waitRollout(ns: string, name: string, timeout = '90s'): void {
  kubectl(['rollout', 'status', `deployment/${name}`, '-n', ns, `--timeout=${timeout}`]);
}

const docker = new Docker({ socketPath: '/var/run/docker.sock' });

export interface PushedVersion {
  sha: string;
  /** <repository>:<sha> */
  tag: string;
  /** <repository>@<digest> */
  ref: string;
}

/** Builds a test app of `kind` as <repo>:<sha> and pushes it: what an earlier run would have left. */
export async function pushVersion(repo: string, kind: AppKind, sha = randomSha()): Promise<PushedVersion> {
  const tag = `${REGISTRY}/${repo}:${sha}`;
  await buildTestApp(docker, tag, kind, `${kind}-${sha.slice(0, 7)}`);
  execFileSync('docker', ['push', '-q', tag], { stdio: 'pipe' });
  const digest = await registryDigest(repo, sha);
  if (!digest) throw new Error(`${tag} was pushed but the registry has no digest for it`);
  return { sha, tag, ref: `${REGISTRY}/${repo}@${digest}` };
}

/** A checkout with a Dockerfile (the image input requires one; rebuild: auto finds the pushed tag). */
export function k8sWorkspace(): string {
  const ws = tempDir('sd-k8s-ws-');
  fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM safe-deploy-test/busybox:latest\n');
  return ws;
}

export function kubeInputs(
  ns: string,
  app: string,
  repo: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    image: `${REGISTRY}/${repo}`,
    'deploy-to': 'kubernetes',
    app,
    'kube-namespace': ns,
    'rollout-timeout': '60s',
    ...extra,
  };
}

/** The runner's KUBECONFIG (as azure/k8s-set-context leaves it): the admin's. */
export const adminEnv = (): RunOptions['env'] => ({ KUBECONFIG: ADMIN });

export interface LiveDeployment {
  image: string;
  annotations: Record<string, string>;
  revision: number;
  available: number;
  replicaSets: number;
}

export function liveDeployment(ns: string, name: string, container = name): LiveDeployment {
  const d = kubectlJson<{
    metadata: { annotations?: Record<string, string> };
    spec: { template: { spec: { containers: { name: string; image: string }[] } } };
    status: { availableReplicas?: number };
  }>(['get', 'deployment', name, '-n', ns]);
  const sets = kubectlJson<{ items: unknown[] }>(['get', 'replicasets', '-n', ns, '-l', `app=${name}`]);
  return {
    image: d.spec.template.spec.containers.find((c) => c.name === container)?.image ?? '',
    annotations: d.metadata.annotations ?? {},
    revision: Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
    available: d.status.availableReplicas ?? 0,
    replicaSets: sets.items.length,
  };
}

/** Everything a run showed anyone: the log (less the runner's own mask lines), summary and outputs. */
export const shown = (run: ActionRun): string =>
  [visibleLog(run), run.summary, JSON.stringify(run.outputs)].join('\n');

export { randomSha };
