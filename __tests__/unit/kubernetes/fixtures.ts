import type { Deployment, ReplicaSet } from '../../../src/deploy/kubernetes/types';

/** A Deployment as the API server returns it (shape of `kubectl get deployment -o json`). */
export function deployment(
  over: {
    generation?: number;
    observed?: number;
    replicas?: number;
    updated?: number;
    available?: number;
    total?: number;
    conditions?: { type: string; status: string; reason?: string }[];
    containers?: string[];
    annotations?: Record<string, string>;
    image?: string;
    paused?: boolean;
  } = {},
): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'uid-web',
      generation: over.generation ?? 2,
      resourceVersion: '1234',
      annotations: { 'deployment.kubernetes.io/revision': '2', ...over.annotations },
    },
    spec: {
      replicas: over.replicas ?? 3,
      paused: over.paused,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: (over.containers ?? ['web']).map((name) => ({
            name,
            image: over.image ?? 'r:5000/web:1',
          })),
        },
      },
    },
    status: {
      observedGeneration: over.observed ?? over.generation ?? 2,
      replicas: over.total ?? 3,
      updatedReplicas: over.updated ?? 3,
      availableReplicas: over.available ?? 3,
      conditions: over.conditions as never,
    },
  };
}

export function replicaSet(
  name: string,
  revision: number,
  annotations: Record<string, string>,
  image: string,
  owner = 'uid-web',
): ReplicaSet {
  return {
    metadata: {
      name,
      namespace: 'shop',
      labels: { app: 'web', 'pod-template-hash': name.split('-').pop()! },
      annotations: {
        'deployment.kubernetes.io/revision': String(revision),
        'deployment.kubernetes.io/desired-replicas': '3',
        ...annotations,
      },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true },
      ],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': name.split('-').pop()! } },
      template: {
        metadata: {
          labels: { app: 'web', 'pod-template-hash': name.split('-').pop()! },
          annotations: { note: 'kept' },
        },
        spec: { containers: [{ name: 'web', image }] },
      },
    },
    status: { replicas: 0 },
  };
}
