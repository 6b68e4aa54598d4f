/**
 * Every request the Kubernetes target sends, as data: method, path, query and body, built apart
 * from sending them (client.ts sends; each builder is table-tested). These are the dozen calls the
 * action makes; client-node's generated API for all of Kubernetes is never loaded (kubeconfig.ts
 * says why).
 */
import type { AccessCheck } from './access';
import type { JsonPatchOp } from './patch';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** A PATCH's kind, as its Content-Type; JSON otherwise. */
  contentType?: string;
  /** Pod logs answer plain text. */
  text?: boolean;
}

export const PATCH_TYPES = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
} as const;

export type Patch =
  { type: 'strategic' | 'merge'; body: Record<string, unknown> } | { type: 'json'; body: JsonPatchOp[] };

const seg = (s: string): string => encodeURIComponent(s);
const apps = (ns: string, kind: string): string => `/apis/apps/v1/namespaces/${seg(ns)}/${kind}`;
const leases = (ns: string): string => `/apis/coordination.k8s.io/v1/namespaces/${seg(ns)}/leases`;
const jobs = (ns: string): string => `/apis/batch/v1/namespaces/${seg(ns)}/jobs`;
const core = (ns: string, kind: string): string => `/api/v1/namespaces/${seg(ns)}/${kind}`;
/** Who changed it, in managedFields (what `kubectl` shows as the manager). */
const FIELD_MANAGER = 'safe-deploy';

export const requests = {
  getDeployment: (ns: string, name: string): KubeRequest => ({
    method: 'GET',
    path: `${apps(ns, 'deployments')}/${seg(name)}`,
  }),
  /** Each change to one Deployment after `resourceVersion`, for at most `seconds` (the server ends it). */
  watchDeployment: (ns: string, name: string, resourceVersion: string, seconds: number): KubeRequest => ({
    method: 'GET',
    path: apps(ns, 'deployments'),
    query: {
      watch: 1,
      fieldSelector: `metadata.name=${name}`,
      resourceVersion,
      timeoutSeconds: seconds,
    },
  }),
  patchDeployment: (ns: string, name: string, patch: Patch, dryRun = false): KubeRequest => ({
    method: 'PATCH',
    path: `${apps(ns, 'deployments')}/${seg(name)}`,
    query: { fieldManager: FIELD_MANAGER, dryRun: dryRun ? 'All' : undefined },
    body: patch.body,
    contentType: PATCH_TYPES[patch.type],
  }),
  listReplicaSets: (ns: string, labelSelector: string): KubeRequest => ({
    method: 'GET',
    path: apps(ns, 'replicasets'),
    query: { labelSelector: labelSelector || undefined },
  }),
  patchReplicaSet: (ns: string, name: string, body: Record<string, unknown>): KubeRequest => ({
    method: 'PATCH',
    path: `${apps(ns, 'replicasets')}/${seg(name)}`,
    query: { fieldManager: FIELD_MANAGER },
    body,
    contentType: PATCH_TYPES.merge,
  }),
  accessReview: (ns: string, c: AccessCheck): KubeRequest => ({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: ns, verb: c.verb, group: c.group, resource: c.resource } },
    },
  }),
  getNamespace: (name: string): KubeRequest => ({ method: 'GET', path: `/api/v1/namespaces/${seg(name)}` }),
  getLease: (ns: string, name: string): KubeRequest => ({
    method: 'GET',
    path: `${leases(ns)}/${seg(name)}`,
  }),
  createLease: (ns: string, body: unknown): KubeRequest => ({ method: 'POST', path: leases(ns), body }),
  replaceLease: (ns: string, name: string, body: unknown): KubeRequest => ({
    method: 'PUT',
    path: `${leases(ns)}/${seg(name)}`,
    body,
  }),
  /** Deleted only while it is the version we know (someone who took it over since keeps it). */
  deleteLease: (ns: string, name: string, resourceVersion: string | undefined): KubeRequest => ({
    method: 'DELETE',
    path: `${leases(ns)}/${seg(name)}`,
    body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } },
  }),
  createJob: (ns: string, body: unknown): KubeRequest => ({ method: 'POST', path: jobs(ns), body }),
  getJob: (ns: string, name: string): KubeRequest => ({ method: 'GET', path: `${jobs(ns)}/${seg(name)}` }),
  /** Background: the Job's pods go with it. */
  deleteJob: (ns: string, name: string): KubeRequest => ({
    method: 'DELETE',
    path: `${jobs(ns)}/${seg(name)}`,
    query: { propagationPolicy: 'Background' },
  }),
  listPods: (ns: string, labelSelector: string | undefined): KubeRequest => ({
    method: 'GET',
    path: core(ns, 'pods'),
    query: { labelSelector },
  }),
  podLog: (ns: string, name: string, tailLines: number): KubeRequest => ({
    method: 'GET',
    path: `${core(ns, 'pods')}/${seg(name)}/log`,
    query: { tailLines },
    text: true,
  }),
  listEvents: (ns: string): KubeRequest => ({ method: 'GET', path: core(ns, 'events') }),
};

/** The request's path with its query (unset values left out). */
export function urlPath(r: KubeRequest): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query ?? {})) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `${r.path}?${s}` : r.path;
}

/** One event of a watch: what happened to the object, and the object as it is now. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

/**
 * A watch answers one JSON event per line, as the server has them: the complete lines of what came
 * so far, and the rest (a line cut between two chunks) to put in front of the next chunk.
 */
export function watchEvents(text: string): { events: WatchEvent[]; rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  return { events: lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as WatchEvent), rest };
}
