/** The `deploy-to: docker` engine: one entry point for the pipeline, independent of inputs. */
export { deployDocker } from './swap';
export { rollbackDocker } from './rollback';
export { dockerFromHost, pingOrExplain } from './client';
export type {
  DockerDeployOptions,
  DockerDeployResult,
  DockerRollbackOptions,
  DockerTargetOptions,
  DockerVersion,
  HealthReport,
} from './types';
