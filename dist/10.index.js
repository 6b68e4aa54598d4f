"use strict";
exports.id = 10;
exports.ids = [10];
exports.modules = {

/***/ 7010:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runDeploy: () => (/* binding */ runDeploy)
});

;// CONCATENATED MODULE: ../deploy/release.ts
/**
 * Which version goes live, and whether that is a rollback. Pure: the inputs are what the target
 * and the deployment history say, so every rule here is unit-tested without a host.
 */
class ReleaseError extends Error {
}
function resolveRelease(req, state) {
    const live = state.live;
    if (req.kind === 'commit') {
        const before = state.known.some((v) => v.sha === req.sha);
        const retained = state.known.find((v) => v.sha === req.sha && v.container);
        return {
            version: { sha: req.sha, image: req.image, container: retained?.container },
            isRollback: before && !!live && live.sha !== req.sha,
            live,
        };
    }
    const version = req.to === 'previous' ? previousOf(state) : bySha(req.to, state, req.repository);
    return { version, isRollback: !!live && live.sha !== version.sha, live };
}
/** The last version live before the current one: the newest known version that is not live. */
function previousOf(state) {
    const found = state.known.find((v) => v.sha !== state.live?.sha);
    if (!found) {
        throw new ReleaseError('rollback-to: previous: no earlier version is known for this environment (no retained container on the host and no earlier GitHub deployment)');
    }
    return found;
}
function bySha(to, state, repository) {
    const sha = to.toLowerCase();
    const matches = [...new Set(state.known.filter((v) => v.sha.startsWith(sha)).map((v) => v.sha))];
    if (matches.length > 1)
        throw new ReleaseError(`rollback-to: ${to} matches several commits (${matches.map((m) => m.slice(0, 12)).join(', ')}); give more of the SHA`);
    if (matches.length === 1)
        return state.known.find((v) => v.sha === matches[0]);
    if (sha.length === 40 && repository)
        return { sha, image: `${repository}:${sha}` };
    throw new ReleaseError(`rollback-to: ${to} is not a version this environment had (no retained container, no deployment)${sha.length < 40 ? '; give the full 40-character SHA to deploy <image>:<sha> from the registry' : '; set image to look it up in the registry'}`);
}
/** Known versions from several sources, newest first by source order, one entry per SHA (the first wins). */
function mergeKnown(...sources) {
    const seen = new Set();
    const out = [];
    for (const v of sources.flat()) {
        if (seen.has(v.sha))
            continue;
        seen.add(v.sha);
        out.push(v);
    }
    return out;
}

;// CONCATENATED MODULE: ../stages/deploy.ts

/** Reads what is live, decides what goes live (and whether that is a rollback), then does it. */
async function runDeploy(o) {
    await o.target.preflight();
    // Held from before the read of what is live until the change is done (a dry run changes
    // nothing and takes no lock): the decision and the change see the same state.
    let release;
    try {
        release = o.dryRun ? undefined : await o.target.lock?.();
    }
    catch (err) {
        return {
            where: o.target.where,
            status: 'failed',
            detail: err instanceof Error ? err.message : String(err),
            hint: 'Nothing changed: the version that was live keeps serving.',
        };
    }
    try {
        return await decideAndPut(o);
    }
    finally {
        await release?.().catch((err) => o.log.warn(`could not release the deploy lock: ${err instanceof Error ? err.message : String(err)}`));
    }
}
async function decideAndPut(o) {
    const base = { where: o.target.where };
    const state = await o.target.state();
    let release;
    try {
        const history = await o.history;
        release = resolveRelease(o.request, { live: state.live, known: mergeKnown(state.retained, history) });
    }
    catch (err) {
        if (!(err instanceof ReleaseError))
            throw err;
        return {
            ...base,
            status: 'failed',
            detail: err.message,
            previous: state.live,
            current: state.live,
            hint: 'Pick a version this environment had: see the deploy sections of earlier runs.',
        };
    }
    const { version, live } = release;
    const short = (v) => v?.sha.slice(0, 7) ?? 'nothing';
    o.log.info(`Live in ${o.environment}: ${short(live)}. Putting ${short(version)} live${release.isRollback ? ' (a rollback)' : ''}.`);
    const common = { ...base, release, previous: live };
    if (release.isRollback && !o.allowRollback) {
        return {
            ...common,
            current: live,
            status: 'failed',
            detail: `this run would put ${short(version)} back live over ${short(live)} (a rollback), and allow-rollback is false`,
            hint: 'Nothing changed. To roll back on purpose, set allow-rollback: true or dispatch with rollback-to.',
        };
    }
    const restore = o.request.kind === 'rollback-to';
    if (o.dryRun) {
        return {
            ...common,
            current: live,
            status: 'skipped',
            detail: `dry run: would put ${short(version)} live${release.isRollback ? ' (a rollback)' : ''}`,
            plan: await o.target.plan(version, live, restore),
        };
    }
    await o.onRelease?.(release);
    const outcome = restore ? await o.target.restore(version, live) : await o.target.deploy(version, live);
    const result = {
        ...common,
        outcome,
        previous: outcome.previous ?? live,
        current: outcome.current,
        url: outcome.url,
    };
    if (outcome.ok)
        return { ...result, status: 'passed', detail: outcome.detail };
    const hint = outcome.cancelled
        ? 'The run was cancelled; the previous version keeps serving. Re-run when ready.'
        : live
            ? `The previous version (${short(live)}) keeps serving. Read the last lines below, fix, and push again.`
            : 'Nothing was serving before, and the new version did not go live. Read the last lines below.';
    return { ...result, status: 'failed', detail: outcome.detail, hint };
}


/***/ })

};
;