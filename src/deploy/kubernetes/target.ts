/**
 * `deploy-to: kubernetes`: sets the Deployment's container image by digest, waits for the rollout
 * as `kubectl rollout status` does, and undoes it as `kubectl rollout undo` does when it fails.
 * Every request body comes from the pure modules beside this one; this file only sends them.
 */
import crypto from 'node:crypto';
import type { Version } from '../release';
import type { DeployTarget, TargetOutcome } from '../target';
import { accessChecks, deniedLine } from './access';
import { ANNOTATIONS, POD_TEMPLATE_HASH, REVISION } from './annotations';
import { connect, isConflict, isNotFound, KubeError, preloadClient, type Kube } from './client';
import { pickContainer } from './containers';
import { labelSelectorOf, liveOf, revisionFor, revisionsOf, versionsOf, type Revision } from './history';
import { pinnedImage } from './image';
import { jobState, migrationJob, migrationJobName } from './job';
import { leaseDecision, leaseName, leaseSpec, RENEW_EVERY_MS } from './lease';
import { failedMarkPatch, imagePatch, undoPatch } from './patch';
import { dryRunPlan } from './plan';
import { podProblems, describeProblems } from './pods';
import { requests } from './requests';
import { progressLine, rolloutDecision, type RolloutState } from './rollout';
import type {
  Deployment,
  Job,
  KubeEvent,
  KubeRollout,
  KubernetesTargetConfig,
  Lease,
  Pod,
  ReplicaSet,
} from './types';

/** A list answer: only its items are read. */
interface List<T> {
  items: T[];
}

interface Session {
  kube: Kube;
  container: string;
  /**
   * The Deployment's selector (immutable in apps/v1), read once at preflight: the ReplicaSets are
   * then listed alongside each read of the Deployment instead of after it.
   */
  selector: string;
}

interface Snapshot {
  deployment: Deployment;
  revisions: Revision[];
  sets: ReplicaSet[];
  current: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function kubernetesTarget(c: KubernetesTargetConfig): DeployTarget & {
  /** migrate-in-image: runs migrate-command as a Job from `image`. */
  runMigration(
    image: string,
    sha: string,
    command: string,
    onLine: (l: string) => void,
  ): Promise<{ exitCode: number; tail: string[] }>;
} {
  /**
   * How long to wait before reading again, when the rollout cannot be watched and for the
   * migration Job: every 25 ms for two seconds (a ReplicaSet that scales back up is available
   * within a second or two, and a rollback should not wait on our clock; each read is one small
   * GET on a kept-alive connection), then every 100 ms, then every half second.
   */
  const pollAfter = (elapsedMs: number): number =>
    c.pollMs ?? (elapsedMs < 2000 ? 25 : elapsedMs < 5000 ? 100 : 500);
  let where = `deployment/${c.app}`;
  let session: Promise<Session> | undefined;
  /** The last snapshot read (underLock may reuse its ReplicaSets). */
  let lastRead: Snapshot | undefined;
  preloadClient();

  /** Connect and check everything a run needs before anything changes; once per run. */
  const open = (): Promise<Session> => (session ??= preflight());

  async function preflight(): Promise<Session> {
    const kube = await connect({ kubeconfig: c.kubeconfig, context: c.context, namespace: c.namespace });
    const ns = kube.namespace;
    where = `deployment/${c.app} in namespace ${ns} (context ${kube.context})`;
    const checks = accessChecks({ migrationJob: c.migrationJob, dryRun: c.dryRun });
    // Read alongside the reviews (one round trip less); a denial is reported first, as the cause.
    const reading = readDeployment(kube);
    reading.catch(() => undefined);
    const answers = await Promise.all(
      checks.map((chk) =>
        kube.send<{ status?: { allowed?: boolean } }>(
          `check whether the credentials may ${chk.verb} ${chk.resource} in namespace ${ns}`,
          requests.accessReview(ns, chk),
        ),
      ),
    );
    const denied = checks.find((_, i) => !answers[i]?.status?.allowed);
    if (denied) throw new KubeError(deniedLine(denied, ns, kube.user));
    const d = await reading;
    if (d.spec?.paused)
      throw new KubeError(
        `${where} is paused: its rollouts never progress and no deadline fires; resume it with \`kubectl rollout resume deployment/${c.app} -n ${ns}\`, then re-run`,
      );
    return { kube, container: pickContainer(d, c.app, c.container), selector: labelSelectorOf(d) };
  }

  async function readDeployment(kube: Kube): Promise<Deployment> {
    const ns = kube.namespace;
    try {
      return await kube.send<Deployment>(
        `get deployment/${c.app} in namespace ${ns}`,
        requests.getDeployment(ns, c.app),
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const nsMissing = await kube.send(`get namespace ${ns}`, requests.getNamespace(ns)).then(
        () => false,
        (e: unknown) => isNotFound(e),
      );
      if (nsMissing)
        throw new KubeError(
          `namespace ${ns} does not exist in context ${kube.context}: set kube-namespace to the Deployment's namespace`,
        );
      throw new KubeError(
        `deployment/${c.app} does not exist in namespace ${ns} (context ${kube.context}): create it first (safe-deploy sets the image of an existing Deployment), or set app to its name`,
      );
    }
  }

  /**
   * The Deployment and its ReplicaSets, read side by side (one round trip); `read` when the caller
   * has just read the Deployment. A failure to read the Deployment is the one reported.
   */
  async function snapshot(s: Session, read?: Deployment): Promise<Snapshot> {
    const { kube } = s;
    const reading = read ? Promise.resolve(read) : readDeployment(kube);
    const listing = kube.send<List<ReplicaSet>>(
      `list replicasets in namespace ${kube.namespace}`,
      requests.listReplicaSets(kube.namespace, s.selector),
    );
    listing.catch(() => undefined);
    const deployment = await reading;
    const list = await listing;
    lastRead = withDeployment(s, list.items, deployment);
    return lastRead;
  }

  function withDeployment(s: Session, sets: ReplicaSet[], deployment: Deployment): Snapshot {
    return {
      deployment,
      sets,
      revisions: revisionsOf(deployment, sets, s.container),
      current: Number(deployment.metadata?.annotations?.[REVISION] ?? 0),
    };
  }

  /**
   * The snapshot a change is decided on, under the lock: the Deployment read again, its
   * ReplicaSets listed again only if it moved since the last snapshot (its generation or revision,
   * or the controller had not caught up then). A ReplicaSet's template and revision change only
   * with those; what else may have changed, another run's failed mark, only chooses between
   * rolling out the same template by undo or by patch. One LIST less on the way to the switch:
   * recent API servers may hold a LIST up to 100 ms until their cache is fresh.
   */
  async function underLock(s: Session): Promise<Snapshot> {
    const d = await readDeployment(s.kube);
    const last = lastRead;
    if (!last) return snapshot(s, d);
    const prev = last.deployment;
    const settled = (prev.status?.observedGeneration ?? 0) >= (prev.metadata?.generation ?? 0);
    const same =
      settled &&
      prev.metadata?.uid === d.metadata?.uid &&
      prev.metadata?.generation === d.metadata?.generation &&
      prev.metadata?.annotations?.[REVISION] === d.metadata?.annotations?.[REVISION];
    return same ? withDeployment(s, last.sets, d) : snapshot(s, d);
  }

  // --- the lock -------------------------------------------------------------------------------
  async function withLease<T>(s: Session, fn: () => Promise<T>): Promise<T> {
    const { kube } = s;
    const ns = kube.namespace;
    const name = leaseName(c.app, c.environment);
    const read = (): Promise<Lease | undefined> =>
      kube.send<Lease>(`get lease ${name}`, requests.getLease(ns, name)).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
    /** The lease as we last wrote it: the release deletes it on that resourceVersion. */
    let held: Lease | undefined;
    const write = async (lease: Lease | undefined): Promise<'ok' | 'lost' | { wait: string; ms: number }> => {
      const d = leaseDecision(lease, c.holder, Date.now());
      if (d.action === 'wait') return { wait: d.holder, ms: d.expiresInMs };
      const spec = leaseSpec(lease, c.holder, new Date(), d);
      try {
        held =
          d.action === 'create' || !lease
            ? await kube.send<Lease>(
                `create lease ${name}`,
                requests.createLease(ns, {
                  apiVersion: 'coordination.k8s.io/v1',
                  kind: 'Lease',
                  metadata: { name, namespace: ns },
                  spec,
                }),
              )
            : await kube.send<Lease>(
                `update lease ${name}`,
                requests.replaceLease(ns, name, {
                  apiVersion: 'coordination.k8s.io/v1',
                  kind: 'Lease',
                  metadata: lease.metadata,
                  spec,
                }),
              );
      } catch (err) {
        if (isConflict(err)) return 'lost'; // someone wrote it between our read and write: read again
        throw err;
      }
      if (d.action === 'take')
        c.log(
          `Took over the deploy lock ${name} from ${d.from || 'nobody'} (not renewed for ${Math.round(d.expiredForMs / 1000)}s past its duration).`,
        );
      return 'ok';
    };
    const deadline = Date.now() + c.lockWaitMs;
    let said = '';
    // The last run deleted its lease, so most runs find none: the first try creates it without
    // reading (a round trip less); one that exists answers 409, and is read and decided on.
    let first = true;
    for (;;) {
      const r = await write(first ? undefined : await read());
      first = false;
      if (r === 'ok') break;
      if (r === 'lost') continue;
      if (Date.now() >= deadline)
        throw new KubeError(
          `the deploy lock (lease ${name} in namespace ${ns}) is still held by ${r.wait} after deploy-lock-wait (${Math.round(c.lockWaitMs / 1000)}s); if that run is gone, delete it with \`kubectl delete lease ${name} -n ${ns}\``,
        );
      if (said !== r.wait) {
        c.log(
          `Waiting for the deploy lock: lease ${name} is held by ${r.wait} (expires in ${Math.ceil(r.ms / 1000)}s unless renewed).`,
        );
        said = r.wait;
      }
      await sleep(Math.min(1000, Math.max(100, r.ms)));
    }
    const renew = setInterval(() => {
      void read()
        .then((l) => (l ? write(l) : 'lost'))
        .then((r) => {
          if (r !== 'ok')
            c.log(`Warning: could not renew the deploy lock ${name}; another run may take it over.`);
        })
        .catch((err: Error) => c.log(`Warning: renewing the deploy lock failed: ${err.message}`));
    }, RENEW_EVERY_MS);
    const remove = (l: Lease): Promise<unknown> =>
      kube.send(`delete lease ${name}`, requests.deleteLease(ns, name, l.metadata?.resourceVersion));
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      // Deleted on the resourceVersion we last wrote, so a lease taken over since is left alone.
      // A 409 may also be our own renewal landing meanwhile: read it, and delete it if still ours.
      const gone = held
        ? await remove(held).then(
            () => true,
            (err: unknown) => !isConflict(err),
          )
        : false;
      if (!gone) {
        const l = await read().catch(() => undefined);
        if (l?.spec?.holderIdentity === c.holder) await remove(l).catch(() => undefined);
      }
    }
  }

  // --- rollout --------------------------------------------------------------------------------
  /**
   * Waits for the rollout as `kubectl rollout status` does: a watch on the Deployment, so each
   * status change is judged as the controller writes it. Without a watch (the credentials may not
   * watch Deployments, a proxy buffers the stream), the Deployment is read on a timer instead.
   */
  async function waitRollout(
    s: Session,
    generation: number,
    signal?: AbortSignal,
  ): Promise<RolloutState & { ms: number; deployment: Deployment }> {
    const { kube } = s;
    const ns = kube.namespace;
    const started = Date.now();
    let last = '';
    let d = await readDeployment(kube);
    const judge = (x: Deployment): RolloutState => {
      const st = rolloutDecision(x, {
        generation,
        startedAt: started,
        now: Date.now(),
        timeoutMs: c.rolloutTimeoutMs,
      });
      const line = st.state === 'waiting' ? `${progressLine(st.progress)} (${st.message})` : '';
      if (line && line !== last) c.log(`Rollout: ${line}`);
      last = line || last;
      return st;
    };
    let watching = c.pollMs === undefined;
    for (;;) {
      const st = judge(d);
      if (st.state !== 'waiting') return { ...st, ms: Date.now() - started, deployment: d };
      if (signal?.aborted)
        return {
          state: 'failed',
          reason: 'timeout',
          message: 'the run was cancelled during the rollout',
          progress: st.progress,
          ms: Date.now() - started,
          deployment: d,
        };
      if (watching) {
        // Ends by itself by rollout-timeout (then the read below judges the timeout), or sooner.
        const left = Math.ceil((started + c.rolloutTimeoutMs - Date.now()) / 1000);
        let fresh = true;
        const ended = await kube
          .watch(
            `watch deployment/${c.app} in namespace ${ns}`,
            requests.watchDeployment(
              ns,
              c.app,
              d.metadata?.resourceVersion ?? '',
              Math.max(1, Math.min(left, 300)),
            ),
            (e) => {
              // An ERROR (the version we watch from is too old): read again and watch anew.
              if (e.type === 'ERROR') {
                fresh = false;
                return true;
              }
              if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return false;
              d = e.object as Deployment;
              return judge(d).state !== 'waiting';
            },
            signal,
          )
          .catch((err: Error) => {
            c.log(`${err.message}; reading the Deployment on a timer instead.`);
            watching = false;
            return 'ended' as const;
          });
        // Decided: judged again at the top, on the Deployment the watch gave.
        if (ended === 'done' && fresh) continue;
      } else await sleep(pollAfter(Date.now() - started));
      d = await readDeployment(kube);
    }
  }

  async function problemsOf(s: Session): Promise<KubeRollout['problems']> {
    try {
      const snap = await snapshot(s);
      const rs = snap.sets.find((x) => Number(x.metadata?.annotations?.[REVISION]) === snap.current);
      const hash = rs?.metadata?.labels?.[POD_TEMPLATE_HASH];
      const ns = s.kube.namespace;
      const pods = await s.kube.send<List<Pod>>(
        `list pods in namespace ${ns}`,
        requests.listPods(ns, hash ? `${POD_TEMPLATE_HASH}=${hash}` : undefined),
      );
      const events = await s.kube
        .send<List<KubeEvent>>(`list events in namespace ${ns}`, requests.listEvents(ns))
        .catch(() => ({ items: [] }));
      return podProblems(pods.items, events.items);
    } catch (err) {
      c.log(`Could not read the new pods' state: ${(err as Error).message}`);
      return [];
    }
  }

  function report(s: Session, how: KubeRollout['how'], before: Snapshot): KubeRollout {
    return {
      context: s.kube.context,
      namespace: s.kube.namespace,
      deployment: c.app,
      container: s.container,
      revisionBefore: before.current || undefined,
      how,
      problems: [],
    };
  }

  /** Sends one change (image patch or undo), waits, and on failure undoes to `fallback`. */
  async function roll(
    s: Session,
    before: Snapshot,
    change: { how: 'patch'; v: Version } | { how: 'undo'; to: Revision; v: Version },
    fallback: Revision | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TargetOutcome> {
    const { kube } = s;
    const ns = kube.namespace;
    const rep = report(s, change.how, before);
    const previous = liveOf(before.deployment, s.container).version;
    const v = change.v;
    const sent = await send(s, before, change, false);
    rep.image = sent.spec?.template?.spec?.containers.find((x) => x.name === s.container)?.image;
    const st = await waitRollout(s, sent.metadata?.generation ?? 0, signal);
    rep.progress = st.progress;
    // An undo that went well serves the ReplicaSet it chose, never one marked failed: no need to
    // list them again to clear a mark.
    const after =
      change.how === 'undo' && st.state === 'done'
        ? withDeployment(s, before.sets, st.deployment)
        : await snapshot(s, st.deployment);
    rep.revisionAfter = after.current || undefined;
    const current: Version = { ...v, image: liveOf(after.deployment, s.container).image || v.image };
    if (st.state === 'done') {
      rep.timeToAvailableMs = st.ms;
      const served = after.sets.find((x) => Number(x.metadata?.annotations?.[REVISION]) === after.current);
      if (served?.metadata?.annotations?.[ANNOTATIONS.rolloutFailed] !== undefined)
        await markReplicaSet(s, served.metadata.name ?? '', null);
      c.log(
        `Rollout done: ${progressLine(st.progress)} in ${(st.ms / 1000).toFixed(1)}s (revision ${rep.revisionAfter}).`,
      );
      return {
        ok: true,
        detail: `${change.how === 'undo' ? `undid ${where} to revision ${change.to.revision}` : `rolled out ${where}`}: ${v.sha.slice(0, 7)} available (${progressLine(st.progress)})`,
        previous,
        current,
        kubernetes: rep,
      };
    }
    rep.failure = st.message;
    rep.problems = await problemsOf(s);
    const why = [st.message, describeProblems(rep.problems)].filter(Boolean).join('; ');
    c.log(`Rollout failed: ${why}`);
    for (const p of rep.problems)
      c.log(
        `  ${p.pod}: ${p.reason}: ${p.detail}${p.events.length ? ` (last event: ${p.events.at(-1)})` : ''}`,
      );
    if (st.state === 'failed' && st.reason === 'changed')
      return {
        ok: false,
        detail: `rollout of ${v.sha.slice(0, 7)} failed: ${why}`,
        previous,
        current: undefined,
        kubernetes: rep,
      };
    if (!fallback) {
      return {
        ok: false,
        detail: `rollout of ${v.sha.slice(0, 7)} failed: ${why}; there is no earlier revision to undo to`,
        cancelled: signal?.aborted,
        previous,
        kubernetes: rep,
      };
    }
    c.log(
      `Undoing ${where} to revision ${fallback.revision}${fallback.sha ? ` (${fallback.sha.slice(0, 7)})` : ''}…`,
    );
    const undoFrom = await snapshot(s);
    const rs = undoFrom.sets.find((x) => x.metadata?.name === fallback.replicaSet);
    let undoDetail: string;
    let undoOk = false;
    if (!rs) undoDetail = `ReplicaSet ${fallback.replicaSet} is gone`;
    else {
      const patched = await kube.send<Deployment>(
        `undo deployment/${c.app} in namespace ${ns}`,
        requests.patchDeployment(ns, c.app, { type: 'json', body: undoPatch(undoFrom.deployment, rs) }),
      );
      const back = await waitRollout(s, patched.metadata?.generation ?? 0);
      undoOk = back.state === 'done';
      undoDetail = undoOk
        ? `revision ${fallback.revision} available again (${progressLine(back.progress)})`
        : back.message;
    }
    rep.undo = { toRevision: fallback.revision, ok: undoOk, detail: undoDetail };
    const failedSet = after.sets.find((x) => Number(x.metadata?.annotations?.[REVISION]) === after.current);
    if (undoOk && failedSet?.metadata?.name) await markReplicaSet(s, failedSet.metadata.name, st.message);
    const restored: Version | undefined = fallback.sha
      ? { sha: fallback.sha, image: fallback.image, runUrl: fallback.runUrl, deployedAt: fallback.deployedAt }
      : previous;
    return {
      ok: false,
      cancelled: signal?.aborted,
      autoRolledBack: undoOk,
      detail: `rollout of ${v.sha.slice(0, 7)} failed: ${why}; ${undoOk ? `rolled back automatically to revision ${fallback.revision}` : `automatic undo FAILED: ${undoDetail}`}`,
      previous,
      current: undoOk ? restored : undefined,
      kubernetes: rep,
    };
  }

  /** Best effort: without the right to patch ReplicaSets, history just keeps the failed commit. */
  async function markReplicaSet(s: Session, name: string, why: string | null): Promise<void> {
    const { kube } = s;
    await kube
      .send(
        `mark replicaset ${name} in namespace ${kube.namespace}`,
        requests.patchReplicaSet(kube.namespace, name, failedMarkPatch(why)),
      )
      .catch((err: Error) => c.log(`Could not mark ReplicaSet ${name} (${err.message.split('\n')[0]}).`));
  }

  async function send(
    s: Session,
    before: Snapshot,
    change: { how: 'patch'; v: Version } | { how: 'undo'; to: Revision; v: Version },
    dryRun: boolean,
  ): Promise<Deployment> {
    const { kube } = s;
    const ns = kube.namespace;
    if (change.how === 'undo') {
      const rs = before.sets.find((x) => x.metadata?.name === change.to.replicaSet)!;
      return kube.send<Deployment>(
        `undo deployment/${c.app} in namespace ${ns}`,
        requests.patchDeployment(ns, c.app, { type: 'json', body: undoPatch(before.deployment, rs) }, dryRun),
      );
    }
    const v = change.v;
    const body = imagePatch(s.container, {
      sha: v.sha,
      image: pinnedImage(v.image),
      runUrl: c.runUrl,
      deployedAt: new Date().toISOString(),
      cause: `safe-deploy: ${v.sha.slice(0, 7)}${c.runUrl ? ` (${c.runUrl})` : ''}`,
    });
    return kube.send<Deployment>(
      `patch deployment/${c.app} in namespace ${ns}`,
      requests.patchDeployment(ns, c.app, { type: 'strategic', body }, dryRun),
    );
  }

  /**
   * Which change puts `v` live: an undo to the newest other revision that carries its commit
   * (its ReplicaSet scales back up, nothing is pulled), else the image patch.
   */
  function changeFor(
    snap: Snapshot,
    v: Version,
  ): { how: 'patch'; v: Version } | { how: 'undo'; to: Revision; v: Version } {
    const rev = revisionFor(
      snap.revisions.filter((r) => r.revision !== snap.current),
      v.sha,
    );
    return rev && snap.sets.some((x) => x.metadata?.name === rev.replicaSet)
      ? { how: 'undo', to: rev, v: { ...v, image: rev.image } }
      : { how: 'patch', v };
  }

  const put = async (v: Version, signal: AbortSignal | undefined): Promise<TargetOutcome> => {
    const s = await open();
    return withLease(s, async () => {
      const snap = await underLock(s);
      const fallback = snap.revisions.find((r) => r.revision === snap.current);
      return roll(s, snap, changeFor(snap, v), fallback, signal);
    });
  };

  return {
    kind: 'kubernetes',
    get where() {
      return where;
    },
    preflight: async () => {
      await open();
    },
    state: async () => {
      const s = await open();
      const snap = await snapshot(s);
      const live = liveOf(snap.deployment, s.container);
      if (live.foreign && live.image)
        c.log(`Live in ${where}: ${live.image} (not deployed by safe-deploy: no commit recorded).`);
      return { live: live.version, retained: versionsOf(snap.revisions) };
    },
    deploy: (v) => put(v, c.signal),
    // Not cancellable: a half-done rollback is worse than a finished one.
    restore: (v) => put(v, undefined),
    plan: async (v) => {
      const s = await open();
      const snap = await snapshot(s);
      const change = changeFor(snap, v);
      const check = await send(s, snap, change, true).then(
        () => 'accepted by the API server (dryRun=All): nothing was changed',
        (err: Error) => `REFUSED: ${err.message}`,
      );
      return dryRunPlan({
        deployment: snap.deployment,
        container: s.container,
        newImage: pinnedImage(change.v.image),
        restoreTo: change.how === 'undo' ? change.to : undefined,
        serverCheck: check,
        timeoutMs: c.rolloutTimeoutMs,
      });
    },
    runMigration: async (image, sha, command, onLine) => {
      const s = await open();
      const { kube } = s;
      const ns = kube.namespace;
      const d = await readDeployment(kube);
      const suffix = crypto.randomBytes(3).toString('hex');
      const body = migrationJob(d, {
        app: c.app,
        sha,
        image: pinnedImage(image),
        command,
        container: s.container,
        suffix,
        deadlineSeconds: Math.ceil(c.rolloutTimeoutMs / 1000),
      });
      const name = migrationJobName(c.app, sha, suffix);
      onLine(`Running migrate-command as Job ${name} in namespace ${ns}…`);
      await kube.send(`create job ${name} in namespace ${ns}`, requests.createJob(ns, body));
      try {
        let state = jobState(body);
        const started = Date.now();
        while (state.state === 'running') {
          await sleep(pollAfter(Date.now() - started));
          state = jobState(
            await kube.send<Job>(`get job ${name} in namespace ${ns}`, requests.getJob(ns, name)),
          );
          if (Date.now() - started > c.rolloutTimeoutMs) {
            state = {
              state: 'failed',
              reason: `did not finish within rollout-timeout (${Math.round(c.rolloutTimeoutMs / 1000)}s)`,
            };
          }
        }
        const { tail, exitCode } = await jobLogs(kube, name);
        for (const l of tail) onLine(l);
        if (state.state === 'failed') onLine(`Job ${name} failed: ${state.reason}`);
        return { exitCode: state.state === 'succeeded' ? 0 : exitCode || 1, tail };
      } finally {
        await kube
          .send(`delete job ${name} in namespace ${ns}`, requests.deleteJob(ns, name))
          .catch(() => onLine(`Could not delete Job ${name}; the cluster removes it after its TTL.`));
      }
    },
  };
}

async function jobLogs(kube: Kube, job: string): Promise<{ tail: string[]; exitCode: number }> {
  try {
    const pods = await kube.send<List<Pod>>(
      `list the pods of job ${job}`,
      requests.listPods(kube.namespace, `job-name=${job}`),
    );
    const pod = pods.items[0];
    if (!pod?.metadata?.name) return { tail: [], exitCode: 0 };
    const exitCode = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? 0;
    const text = await kube.send<string>(
      `read the log of pod ${pod.metadata.name}`,
      requests.podLog(kube.namespace, pod.metadata.name, 50),
    );
    return {
      tail: String(text)
        .split('\n')
        .filter((l, i, a) => l !== '' || i < a.length - 1)
        .slice(-50),
      exitCode,
    };
  } catch {
    return { tail: ["(the Job's logs could not be read)"], exitCode: 0 };
  }
}
