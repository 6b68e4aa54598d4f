/**
 * The Kubernetes target. Only types and the factory are exported; the kubeconfig code (with the
 * parts of @kubernetes/client-node it uses) is imported dynamically on the first call, so runs that
 * deploy elsewhere never load it.
 */
export { kubernetesTarget } from './target';
export type { KubeRollout, KubernetesTargetConfig } from './types';
export type { PodProblem } from './pods';
