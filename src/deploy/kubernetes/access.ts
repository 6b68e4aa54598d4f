/**
 * The verbs a run uses, asked of the API server one SelfSubjectAccessReview each before anything
 * changes, so a missing RBAC rule fails in a second naming the rule, not half-way through.
 */
export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  /** What the run needs it for, for the error line. */
  why: string;
}

export function accessChecks(opts: { migrationJob: boolean; dryRun: boolean }): AccessCheck[] {
  const checks: AccessCheck[] = [
    { verb: 'get', group: 'apps', resource: 'deployments', why: 'read the live version' },
    { verb: 'patch', group: 'apps', resource: 'deployments', why: 'set the image and undo' },
    { verb: 'list', group: 'apps', resource: 'replicasets', why: 'read the revision history' },
  ];
  if (opts.dryRun) return checks;
  checks.push(
    { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', why: 'the deploy lock' },
    { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', why: 'the deploy lock' },
    { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', why: 'the deploy lock' },
  );
  if (opts.migrationJob) {
    checks.push(
      { verb: 'create', group: 'batch', resource: 'jobs', why: 'run migrate-command as a Job' },
      { verb: 'get', group: 'batch', resource: 'jobs', why: 'wait for the migration Job' },
    );
  }
  return checks;
}

export function deniedLine(c: AccessCheck, namespace: string, user: string): string {
  const res = c.group ? `${c.resource}.${c.group}` : c.resource;
  return `the credentials (${user}) may not ${c.verb} ${res} in namespace ${namespace} (needed to ${c.why}): grant it with a Role rule {apiGroups: ["${c.group}"], resources: ["${c.resource}"], verbs: ["${c.verb}"]} bound to them`;
}
