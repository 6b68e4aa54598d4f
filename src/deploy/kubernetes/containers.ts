import type { Deployment } from './types';

export class ContainerChoiceError extends Error {}

/**
 * The container whose image a deploy sets: `kube-container` when given, else the Deployment's
 * only container, else the one named like the app. Anything else is a guess we refuse to make.
 */
export function pickContainer(d: Deployment, app: string, requested?: string): string {
  const names = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name);
  const where = `deployment/${d.metadata?.name} in namespace ${d.metadata?.namespace}`;
  const list = names.join(', ');
  if (requested !== undefined) {
    if (names.includes(requested)) return requested;
    throw new ContainerChoiceError(
      `kube-container "${requested}" is not a container of ${where} (it has: ${list}); set kube-container to one of them`,
    );
  }
  if (names.length === 1) return names[0]!;
  if (names.includes(app)) return app;
  throw new ContainerChoiceError(
    `${where} has ${names.length} containers (${list}) and none is named "${app}": set kube-container to the one this image goes in`,
  );
}
