import { clip, codeBlock, formatMs, table } from './markdown';
import { failedStage, resultOf, type RunReport } from './run-report';
import type { GateResult } from '../stages/gate';
import type { BuildResult } from '../stages/build';
import { buildRows } from '../build/describe';
import type { MigrateResult } from '../stages/migrate';
import type { DeployResult } from '../stages/deploy';
import type { VerifyResult } from '../stages/verify';
import type { KubeRollout } from '../deploy/kubernetes';
import type { Version } from '../deploy/release';

/** GitHub rejects a step summary over 1 MiB; we stay well under it whatever the reports hold. */
export const SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024;
const MAX_LISTED_TESTS = 50;

const ICON = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;

/** The job summary: one page a person can read at a glance. Pure: the edge writes it. */
export function renderSummary(r: RunReport): string {
  const parts = [headline(r)];
  if (r.inputError) {
    parts.push(
      `**Cause:** ${r.inputError}\n\n**Next step:** correct that input in the workflow file and re-run. Nothing was built or deployed.`,
    );
    return finish(parts);
  }
  parts.push(failureBox(r));
  parts.push(
    table(
      ['Stage', 'Status', 'Duration', 'Detail'],
      r.records.map((s) => [
        s.name,
        `${ICON[s.status]} ${s.status}`,
        s.status === 'skipped' ? '' : formatMs(s.durationMs),
        clip(s.detail, 300),
      ]),
    ),
  );
  if (r.build) parts.push(buildSection(r.build));
  if (r.gate) parts.push(gateSection(r.gate));
  if (r.migrate) parts.push(migrateSection(r.migrate));
  if (r.deploy) parts.push(deploySection(r.deploy, r.verify, r));
  return finish(parts);
}

function headline(r: RunReport): string {
  const env = r.environment;
  // The commit that went live (rollback-to deploys another one than the run's own).
  const live = r.deploy?.release?.version.sha.slice(0, 7) ?? r.ctx?.shortSha;
  const sha = live ? ` · \`${live}\`` : '';
  const ref = r.ctx?.branch ? ` on \`${r.ctx.branch}\`` : '';
  const text = {
    deployed: `✅ Deployed to ${env}`,
    'rolled-back': rolledBackHeadline(r),
    failed: `❌ Failed${failedStage(r) ? ` at ${failedStage(r)}` : ''} (${env})`,
    skipped: `⏭️ Nothing deployed to ${env}`,
    planned: `📝 Dry run for ${env}: nothing changed`,
  }[resultOf(r)];
  return `## safe-deploy: ${text}${sha}${ref}\n\nTotal time ${formatMs(r.durationMs)}.`;
}

function rolledBackHeadline(r: RunReport): string {
  const rel = r.deploy?.release;
  if (r.verify?.autoRolledBack) return `↩️ Rolled back ${r.environment} automatically: verify failed`;
  return rel?.live
    ? `↩️ Rolled back ${r.environment} from ${rel.live.sha.slice(0, 7)} to ${rel.version.sha.slice(0, 7)}`
    : `↩️ Rolled back ${r.environment}`;
}

function failureBox(r: RunReport): string {
  const failed = r.records.find((s) => s.status === 'failed');
  if (!failed) {
    const why = r.decision?.reason;
    return why && resultOf(r) === 'skipped' ? `> [!NOTE]\n> Deploy skipped: ${why}.` : '';
  }
  const next = failed.hint ?? 'Read the stage log above the summary for the details, fix, and re-run.';
  const state = r.verify?.autoRolledBack
    ? 'The previous version was restored automatically and is serving.'
    : failed.name === 'verify' && r.deploy?.status === 'passed'
      ? /cancel/i.test(failed.detail)
        ? '**The new version is live**: the run was cancelled after the switch.'
        : '**The new version is live** (auto-rollback did not restore the previous one).'
      : 'The previous version keeps serving: nothing was deployed by this run.';
  return `> [!CAUTION]\n> **${failed.name} failed:** ${failed.detail}\n>\n> **Next step:** ${next}\n>\n> ${state}`;
}

function buildSection(b: BuildResult): string {
  const rows = [
    ['Image', `\`${b.image}\``],
    ['Digest', b.digest ? `\`${b.digest}\`` : '(not pushed)'],
    ['Reference', b.imageRef ? `\`${b.imageRef}\`` : ''],
    [
      'Built',
      b.buildSkipped
        ? 'no: already in the registry for this commit'
        : b.status === 'passed'
          ? 'yes'
          : b.status === 'skipped'
            ? 'no (dry run)'
            : 'failed',
    ],
    ['Pushed', b.pushed ? `yes (${b.tags.join(', ')})` : b.buildSkipped ? 'already there' : 'no'],
    ...(b.info ? buildRows(b.info) : []),
  ];
  let out = `### Image\n\n${table(
    ['', ''],
    rows.filter((row) => row[1] !== ''),
  )}`;
  if (b.lastLines?.length) out += `\n\nLast lines from Docker:\n\n${codeBlock(b.lastLines)}`;
  return out;
}

function gateSection(g: GateResult): string {
  const out: string[] = ['### Tests and coverage'];
  if (g.tests) {
    const t = g.tests;
    const passed = t.total - t.failed - t.skipped - t.flaky;
    const flaky = t.flaky > 0 ? `, ${t.flaky} flaky (passed on a rerun)` : '';
    out.push(`${t.total} tests: ${passed} passed, ${t.failed} failed${flaky}, ${t.skipped} skipped.`);
    const where = (f: { file?: string; line?: number; reportFile: string }): string =>
      f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : f.reportFile;
    const name = (f: { classname?: string; name: string }): string =>
      f.classname && f.classname !== f.name ? `${f.classname} › ${f.name}` : f.name;
    const list = (title: string, failures: typeof t.blocking, annotated: number): void => {
      if (failures.length === 0) return;
      const rows = failures.slice(0, MAX_LISTED_TESTS).map((f) => [name(f), where(f), clip(f.message, 200)]);
      out.push(
        `**${title}** (${failures.length}${annotatedNote(annotated, failures.length)})\n\n${table(['Test', 'Where', 'Message'], rows)}`,
      );
      if (failures.length > MAX_LISTED_TESTS)
        out.push(`…and ${failures.length - MAX_LISTED_TESTS} more, each on its own line in the gate log.`);
    };
    list('Failed tests', t.blocking, t.annotated.blocking);
    list('Quarantined (failed, not blocking)', t.quarantined, t.annotated.quarantined);
    if (t.flakyTests.length > 0) {
      const rows = t.flakyTests
        .slice(0, MAX_LISTED_TESTS)
        .map((f) => [name(f), where(f), String(f.failedAttempts), clip(f.message, 200)]);
      out.push(
        `**Flaky: failed, then passed on a rerun (not blocking)** (${t.flakyTests.length}${annotatedNote(t.annotated.flaky, t.flakyTests.length)})\n\n${table(['Test', 'Where', 'Failed attempts', 'First failure'], rows)}`,
      );
      if (t.flakyTests.length > MAX_LISTED_TESTS)
        out.push(
          `…and ${t.flakyTests.length - MAX_LISTED_TESTS} more, each on its own line in the gate log.`,
        );
    }
    if (t.mismatches.length > 0) {
      const rows = t.mismatches.map((m) => [
        `${m.reportFile}${m.line ? `:${m.line}` : ''}`,
        m.blocking ? '**blocks the gate**' : 'warning',
        clip(m.message, 300),
      ]);
      out.push(
        `**Test reports whose counts disagree** (a suite that declares more failures than it shows may hide one)\n\n${table(['Report', 'Effect', 'What'], rows)}`,
      );
    }
  }
  if (g.coverage) {
    const c = g.coverage;
    const vs =
      c.threshold === undefined
        ? ''
        : c.percent >= c.threshold
          ? ` (threshold ${c.threshold}%: met)`
          : ` (threshold ${c.threshold}%: **not met**)`;
    out.push(
      `${c.unit === 'lines' ? 'Line' : 'Statement'} coverage: **${c.percent}%** (${c.linesCovered} of ${c.linesValid} ${c.unit}, ${c.format})${vs}.`,
    );
  }
  if (g.coverageProblem) {
    out.push(
      `> [!WARNING]\n> Coverage was not read (not blocking: no coverage-threshold is set): ${g.coverageProblem}`,
    );
  }
  if (g.outputTail && g.outputTail.lines.some((l) => l.trim() !== '')) {
    out.push(
      `Last lines of \`${g.outputTail.command}\` (exit code ${g.outputTail.exitCode}):\n\n${codeBlock(g.outputTail.lines)}`,
    );
  }
  return out.length > 1 ? out.join('\n\n') : '';
}

/** Says how many of a list have annotations, only when some do (GitHub shows 10 per level a step). */
function annotatedNote(annotated: number, total: number): string {
  if (annotated === 0) return '';
  return annotated >= total ? '; each also annotated' : `; the first ${annotated} also annotated`;
}

const MAX_LISTED_FINDINGS = 100;

function migrateSection(m: MigrateResult): string {
  const out: string[] = ['### Migrations'];
  if (m.basis)
    out.push(
      `Pending (${m.basis}): ${m.pending.length ? m.pending.map((p) => `\`${p}\``).join(', ') : 'none'}.`,
    );
  if (m.applied.length) {
    out.push(
      table(
        ['Applied', 'Time', 'Attempts'],
        m.applied.map((a) => [`\`${a.name}\``, formatMs(a.durationMs), String(a.attempts)]),
      ),
    );
  }
  if (m.failure) out.push(`**Failed:** ${m.failure.error}`);
  if (m.findings.length) {
    const rows = m.findings
      .slice(0, MAX_LISTED_FINDINGS)
      .map((f) => [`${f.file}:${f.line}`, `\`${f.rule}\`${f.allowed ? ' (allowed)' : ''}`, f.why, f.fix]);
    out.push(`**Lint findings**\n\n${table(['Where', 'Rule', 'Why', 'Safe alternative'], rows)}`);
    if (m.findings.length > MAX_LISTED_FINDINGS)
      out.push(`…and ${m.findings.length - MAX_LISTED_FINDINGS} more (see the annotations).`);
  } else if (m.pending.length) out.push('Lint: no findings.');
  if (m.window) {
    const state = m.window.open
      ? 'open now'
      : `closed; next opens ${m.window.nextStart?.slice(0, 16).replace('T', ' ')} UTC`;
    out.push(
      `Migration window \`${m.window.text}\`: ${state} (${m.window.lockingFindings} lock-taking statement(s)).`,
    );
  }
  if (m.newerInDatabase?.length) {
    const rows = m.newerInDatabase.map((n) => [
      `\`${n.name}\``,
      n.appliedAt.slice(0, 19).replace('T', ' '),
      n.backwardCompatible === undefined ? 'unknown' : n.backwardCompatible ? 'yes' : '**no**',
    ]);
    out.push(
      `The database is ahead of this commit (a rollback). These newer migrations stay applied:\n\n${table(['Migration', 'Applied (UTC)', 'Backward compatible (lint)'], rows)}`,
    );
  }
  if (m.commandTail?.length && m.status === 'failed')
    out.push(`Last lines of \`migrate-command\`:\n\n${codeBlock(m.commandTail)}`);
  return out.join('\n\n');
}

function deploySection(d: DeployResult, v: VerifyResult | undefined, r: RunReport): string {
  const e = d.outcome?.docker;
  const short = (x?: { sha: string }): string => (x ? `\`${x.sha.slice(0, 7)}\`` : 'nothing');
  const named = (x?: Version): string => `${short(x)}${x?.container ? ` (${x.container})` : ''}`;
  const after = v?.live ?? (d.status === 'passed' ? d.current : d.previous);
  const rows = [
    ['Target', d.where],
    ['Live before', named(d.previous)],
    [r.dryRun ? 'Would go live' : 'Live after', r.dryRun ? named(d.release?.version) : named(after)],
  ];
  if (d.release?.isRollback) rows.push(['Rollback', `yes: ${short(d.release.version)} was live here before`]);
  if (d.url) rows.push(['URL', d.url]);
  if (e?.health) {
    const h = e.health;
    const last = h.lastStatus
      ? ` (last: HTTP ${h.lastStatus})`
      : h.lastError
        ? ` (last: ${h.lastError})`
        : '';
    rows.push([
      'Health checks',
      `${h.probes} probe(s) of ${h.url}, ${h.healthy ? `healthy after ${formatMs(h.elapsedMs)}` : `not healthy after ${formatMs(h.elapsedMs)}${last}`}`,
    ]);
  }
  if (e?.proxyNote) rows.push(['Proxy', e.proxyNote]);
  if (e?.drain)
    rows.push([
      'Drain',
      e.drain.drained
        ? `old version stopped after ${formatMs(e.drain.ms)} (${e.drain.peak} connection(s) were still open)`
        : `drain-timeout reached after ${formatMs(e.drain.ms)}; stopped with ${e.drain.peak} connection(s) open`,
    ]);
  if (e?.gap)
    rows.push(['Traffic', 'proxy: none: the old container stopped before the new one started (a short gap)']);
  if (e?.removed.length) rows.push(['Pruned', e.removed.join(', ')]);
  if (v?.health)
    rows.push(['health-url', `${v.health.ok ? 'ok' : 'failed'} after ${v.health.probes} probe(s)`]);
  if (v?.smoke)
    rows.push(['smoke-command', v.smoke.ok ? 'passed' : `failed (exit ${v.smoke.exitCode ?? 'timeout'})`]);
  if (v?.rollback)
    rows.push([
      'Automatic rollback',
      v.rollback.ok ? `restored ${short(v.rollback.current)}` : `failed: ${v.rollback.detail}`,
    ]);
  const out = [`### Deploy\n\n${table(['', ''], rows)}`];
  if (d.plan?.length) out.push(`Plan (nothing was changed):\n\n${d.plan.map((p) => `1. ${p}`).join('\n')}`);
  if (e?.logs?.length) {
    const code = e.exitCode !== undefined ? ` (exit code ${e.exitCode})` : '';
    out.push(`Last log lines of the new container${code}:\n\n${codeBlock(e.logs.slice(-50))}`);
  }
  if (d.outcome?.kubernetes) out.push(rolloutSection(d.outcome.kubernetes));
  const cmd = d.outcome?.command;
  if (cmd && cmd.exitCode !== 0)
    out.push(`Last lines of \`${cmd.name}\` (exit code ${cmd.exitCode}):\n\n${codeBlock(cmd.tail)}`);
  if (v?.smoke && !v.smoke.ok && v.smoke.output.length)
    out.push(`smoke-command output:\n\n${codeBlock(v.smoke.output.slice(-30))}`);
  out.push(rollbackHowTo(d.previous, after, r));
  const k = d.outcome?.kubernetes;
  const wentLive = d.status === 'passed' && !v?.autoRolledBack && v?.status !== 'failed';
  if (k?.revisionBefore && wentLive && !r.dryRun && k.revisionBefore !== k.revisionAfter)
    out.push(
      `By hand: \`kubectl rollout undo deployment/${k.deployment} -n ${k.namespace} --to-revision=${k.revisionBefore}\` (context \`${k.context}\`) puts revision ${k.revisionBefore} back; safe-deploy's annotations come back with it.`,
    );
  return out.join('\n\n');
}

/** deploy-to: kubernetes: revisions, progress, time to available, and why pods failed. */
function rolloutSection(k: KubeRollout): string {
  const rows = [
    [
      'Deployment',
      `\`${k.deployment}\` in namespace \`${k.namespace}\` (context \`${k.context}\`), container \`${k.container}\``,
    ],
    [
      'Change',
      k.how === 'undo'
        ? 'undo to an earlier revision (its ReplicaSet scaled back up)'
        : `image set to \`${k.image ?? '?'}\`${k.image?.includes('@') ? '' : ' (no digest known: a tag)'}`,
    ],
    ['Revision', `${k.revisionBefore ?? 'none'} → ${k.revisionAfter ?? '?'}`],
  ];
  if (k.progress)
    rows.push([
      'Replicas',
      `${k.progress.updated}/${k.progress.desired} updated, ${k.progress.available} available, ${k.progress.total} total`,
    ]);
  if (k.timeToAvailableMs !== undefined) rows.push(['Time to available', formatMs(k.timeToAvailableMs)]);
  if (k.failure) rows.push(['Rollout failed', k.failure]);
  if (k.undo)
    rows.push([
      'Automatic undo',
      `${k.undo.ok ? 'done' : '**FAILED**'}: to revision ${k.undo.toRevision}: ${k.undo.detail}`,
    ]);
  const out = [`### Rollout\n\n${table(['', ''], rows)}`];
  if (k.problems.length) {
    out.push(
      `Why the new pods were not ready:\n\n${table(
        ['Pod', 'Reason', 'Detail', 'Last events'],
        k.problems
          .slice(0, 10)
          .map((p) => [`\`${p.pod}\``, `\`${p.reason}\``, p.detail, p.events.join('<br>')]),
      )}`,
    );
  }
  return out.join('\n\n');
}

/** How to put the version before this one back: the re-run button, or a rollback-to dispatch. */
function rollbackHowTo(prev: Version | undefined, live: { sha: string } | undefined, r: RunReport): string {
  if (!prev || prev.sha === live?.sha || r.dryRun) return '';
  const rerun = prev.runUrl
    ? `re-run [the run that deployed it](${prev.runUrl}) (Re-run all jobs)`
    : 'open the workflow run that deployed it and choose Re-run all jobs';
  return `**Roll back** to \`${prev.sha.slice(0, 7)}\` in ${r.environment}: ${rerun}, or run the workflow with \`rollback-to: ${prev.sha}\`. Its image is still in the registry, so nothing is rebuilt.`;
}

function finish(parts: string[]): string {
  const text = `${parts.filter(Boolean).join('\n\n')}\n`;
  if (Buffer.byteLength(text) <= SUMMARY_LIMIT) return text;
  // Cut on a line boundary, well inside the limit, and say so.
  const cut = Buffer.from(text)
    .subarray(0, SUMMARY_LIMIT - 200)
    .toString('utf8');
  return `${cut.slice(0, cut.lastIndexOf('\n'))}\n\n…summary cut to stay under GitHub's 1 MiB limit; the full details are in the log.\n`;
}
