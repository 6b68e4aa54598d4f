/** The `deploy-to: docker` engine: one entry point for the pipeline, independent of inputs. */
export { deployDocker } from './swap';
export { rollbackDocker } from './rollback';
export { dockerFromHost, hostLabel, pingOrExplain } from './client';
export { holdDockerLock } from './context';
export { preflightDocker, readDockerState } from './state';
export { closeSshConnections } from './ssh-agent';
export type {
  DockerDeployOptions,
  DockerDeployResult,
  DockerRollbackOptions,
  DockerTargetOptions,
  DockerVersion,
  HealthReport,
  LiveSnapshot,
} from './types';
