"use strict";
exports.id = 951;
exports.ids = [951];
exports.modules = {

/***/ 1951:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runVerify: () => (/* binding */ runVerify)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ../util/status-ranges.ts
var status_ranges = __webpack_require__(6623);
;// CONCATENATED MODULE: ../deploy/verify.ts


const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function probeUrl(opts) {
    const accept = typeof opts.status === 'function' ? opts.status : (0,status_ranges/* parseStatusRanges */.C)(opts.status ?? '200-399');
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const started = Date.now();
    const check = { ok: false, url: opts.url, probes: 0, elapsedMs: 0 };
    for (;;) {
        if (opts.signal?.aborted)
            return { ...check, cancelled: true, elapsedMs: Date.now() - started };
        check.probes++;
        const remaining = Math.max(1, timeoutMs - (Date.now() - started));
        try {
            // redirect: manual, so a 301 to a login page counts as what the route answered.
            const res = await fetch(opts.url, {
                redirect: 'manual',
                signal: AbortSignal.timeout(Math.min(5_000, remaining)),
            });
            await res.arrayBuffer().catch(() => undefined);
            check.lastStatus = res.status;
            check.lastError = undefined;
            if (accept(res.status))
                return { ...check, ok: true, elapsedMs: Date.now() - started };
        }
        catch (err) {
            const cause = err.cause;
            // An attempt cut short by the check's own deadline (not the 5 s a probe may take) says
            // nothing about the app: what the attempt before it saw stays the reason.
            // By name: fetch rejects with a DOMException, which another realm's Error does not claim.
            const cutShort = remaining < 5_000 && err?.name === 'TimeoutError';
            if (!cutShort || check.probes === 1)
                check.lastError = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
        }
        const elapsed = Date.now() - started;
        if (elapsed >= timeoutMs) {
            const why = check.lastStatus !== undefined ? `HTTP ${check.lastStatus}` : check.lastError;
            opts.log?.(`${opts.url} did not pass in ${Math.round(timeoutMs / 1000)}s: ${why}`);
            return { ...check, elapsedMs: elapsed };
        }
        await wait(Math.min(opts.intervalMs ?? 1_000, timeoutMs - elapsed));
    }
}
/** Runs `smoke-command` with bash -eo pipefail; a non-zero exit (or the timeout) fails the check. */
function runSmoke(opts) {
    const started = Date.now();
    return new Promise((resolve) => {
        // Its own process group, so a timeout or cancel also stops what the command started.
        // As every other user command (src/util/shell.ts) and a workflow `run:` step: errexit and
        // pipefail, so `curl … | grep …` fails when curl does.
        const child = (0,external_node_child_process_.spawn)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', opts.command], {
            cwd: opts.cwd,
            env: { ...process.env, ...opts.env, URL: opts.url },
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: true,
        });
        let text = '';
        let timedOut = false;
        const onData = (chunk) => {
            text = (text + chunk.toString('utf8')).slice(-64_000);
            for (const line of chunk.toString('utf8').split('\n'))
                if (line.trim())
                    opts.log?.(line);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        const kill = () => {
            try {
                if (child.pid)
                    process.kill(-child.pid, 'SIGKILL');
            }
            catch {
                // already gone
            }
        };
        const timer = setTimeout(() => {
            timedOut = true;
            kill();
        }, opts.timeoutMs ?? 300_000);
        opts.signal?.addEventListener('abort', kill, { once: true });
        child.on('close', (code) => {
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', kill);
            const output = text
                .split('\n')
                .filter((l) => l.trim() !== '')
                .slice(-50);
            resolve({
                ok: code === 0 && !timedOut,
                exitCode: code,
                timedOut,
                output,
                elapsedMs: Date.now() - started,
            });
        });
        child.on('error', (err) => {
            clearTimeout(timer);
            resolve({
                ok: false,
                exitCode: null,
                timedOut,
                output: [err.message],
                elapsedMs: Date.now() - started,
            });
        });
    });
}

;// CONCATENATED MODULE: ../stages/verify.ts

/**
 * Checks the new version where users reach it, after the switch. On failure with auto-rollback,
 * the target puts the previous version back (docker: the retained container, health-checked first).
 */
async function runVerify(v, o) {
    if (!v.healthUrl && !v.smokeCommand) {
        return {
            status: 'skipped',
            detail: 'no health-url or smoke-command set (the new version was health-checked before the switch)',
            autoRolledBack: false,
            live: o.current,
        };
    }
    const r = { status: 'passed', detail: '', autoRolledBack: false, live: o.current };
    const problems = [];
    if (v.healthUrl) {
        o.log.info(`Probing ${v.healthUrl}…`);
        r.health = await probeUrl({
            url: v.healthUrl,
            timeoutMs: v.healthTimeoutMs,
            intervalMs: v.healthIntervalMs,
            status: v.healthStatus,
            signal: o.signal,
            log: o.log.info,
        });
        if (!r.health.ok)
            problems.push(`health-url ${v.healthUrl} did not answer ${v.healthStatus} (${r.health.lastStatus ? `HTTP ${r.health.lastStatus}` : (r.health.lastError ?? 'no answer')})`);
    }
    if (v.smokeCommand && problems.length === 0) {
        o.log.info('Running smoke-command…');
        r.smoke = await runSmoke({
            command: v.smokeCommand,
            url: v.healthUrl ?? o.url ?? '',
            cwd: o.workDir,
            signal: o.signal,
            log: o.log.info,
        });
        if (!r.smoke.ok)
            problems.push(r.smoke.timedOut ? 'smoke-command timed out' : `smoke-command exited with code ${r.smoke.exitCode}`);
    }
    if (problems.length === 0)
        return {
            ...r,
            detail: [r.health && 'health-url answered', r.smoke && 'smoke-command passed']
                .filter(Boolean)
                .join(', '),
        };
    const failed = problems.join('; ');
    const prev = o.previous;
    if (!v.autoRollback)
        return {
            ...r,
            status: 'failed',
            detail: `${failed}; auto-rollback is off, so the new version stays live`,
            hint: rerunHint(prev),
        };
    if (!prev || prev.sha === o.current?.sha) {
        return {
            ...r,
            status: 'failed',
            detail: `${failed}; nothing else was live before, so there is nothing to roll back to`,
            hint: 'Fix the new version and push again.',
        };
    }
    o.log.info(`Verify failed: rolling back to ${prev.sha.slice(0, 7)}…`);
    r.rollback = await o.target.restore(prev, o.current);
    if (r.rollback.ok && v.healthUrl) {
        // A command target's rollback is otherwise trusted on its exit code alone: check where users reach it.
        const again = await probeUrl({
            url: v.healthUrl,
            timeoutMs: v.healthTimeoutMs,
            intervalMs: v.healthIntervalMs,
            status: v.healthStatus,
            log: o.log.info,
        });
        if (!again.ok) {
            const why = again.lastStatus ? `HTTP ${again.lastStatus}` : (again.lastError ?? 'no answer');
            r.rollback = {
                ...r.rollback,
                ok: false,
                detail: `the previous version was restored but ${v.healthUrl} still fails (${why})`,
            };
        }
    }
    if (!r.rollback.ok) {
        return {
            ...r,
            status: 'failed',
            detail: `${failed}; automatic rollback FAILED: ${r.rollback.detail}`,
            hint: `Roll back by hand: ${rerunHint(prev)}`,
        };
    }
    return {
        ...r,
        status: 'failed',
        autoRolledBack: true,
        live: r.rollback.current ?? prev,
        detail: `${failed}; rolled back automatically to ${prev.sha.slice(0, 7)}`,
        hint: `The previous version (${prev.sha.slice(0, 7)}) is serving again. Fix the new version and push again.`,
    };
}
function rerunHint(previous) {
    if (!previous)
        return 'Fix the new version and push again.';
    return previous.runUrl
        ? `re-run ${previous.runUrl} (it deployed ${previous.sha.slice(0, 7)}), or dispatch with rollback-to: ${previous.sha}.`
        : `dispatch with rollback-to: ${previous.sha}, or re-run the workflow run that deployed it.`;
}


/***/ })

};
;