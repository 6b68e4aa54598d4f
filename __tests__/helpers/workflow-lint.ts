/**
 * Checks a GitHub Actions workflow file the way a user would find its mistakes only after pushing
 * it: its shape (on, jobs, steps), references between jobs and steps, every `with:` key of a step
 * that uses this action against action.yml's inputs, every output read from such a step against
 * action.yml's outputs, and that each third-party action is pinned by commit SHA with its version
 * in a comment. Returns the problems found, one line each (an empty list: the file is sane).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export interface ActionSpec {
  inputs: ReadonlySet<string>;
  outputs: ReadonlySet<string>;
}

type Obj = Record<string, unknown>;

/** Events a workflow can be triggered by (docs.github.com, "Events that trigger workflows"). */
const EVENTS = new Set([
  'branch_protection_rule',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'deployment',
  'deployment_status',
  'discussion',
  'discussion_comment',
  'fork',
  'gollum',
  'issue_comment',
  'issues',
  'label',
  'merge_group',
  'milestone',
  'page_build',
  'public',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_target',
  'push',
  'registry_package',
  'release',
  'repository_dispatch',
  'schedule',
  'status',
  'watch',
  'workflow_call',
  'workflow_dispatch',
  'workflow_run',
]);

const ID_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** `./` (this repository) or `<owner>/safe-deploy@<ref>`. */
const THIS_ACTION_RE = /^(?:\.\/?$|[^/\s]+\/safe-deploy@\S+$)/;
const PINNED_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^@\s]+)?@[0-9a-f]{40}$/;

export function isThisAction(uses: string): boolean {
  return THIS_ACTION_RE.test(uses);
}

export function actionSpec(actionYml: string): ActionSpec {
  const doc = parseDocument(actionYml).toJS() as { inputs?: Obj; outputs?: Obj };
  return { inputs: new Set(Object.keys(doc.inputs ?? {})), outputs: new Set(Object.keys(doc.outputs ?? {})) };
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every string in a value, for the `${{ … }}` expressions in it. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (isObj(v)) return Object.values(v).flatMap(strings);
  return [];
}

/** The `${{ … }}` expressions in a value; an `if:` is an expression even without the braces. */
function expressions(v: unknown): string[] {
  const bare: string[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (isObj(x)) {
      if (typeof x.if === 'string' && !x.if.includes('${{')) bare.push(x.if);
      Object.values(x).forEach(visit);
    }
  };
  visit(v);
  return [
    ...bare,
    ...strings(v).flatMap((s) => [...s.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1] ?? '')),
  ];
}

/** Line of each `uses:` value in the source, with its trailing comment. */
function usesLines(doc: ReturnType<typeof parseDocument>, text: string): Map<string, string[]> {
  const lines = text.split('\n');
  const found = new Map<string, string[]>();
  const visit = (node: Node | null | undefined): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value) && pair.value.range) {
          const line = text.slice(0, pair.value.range[0]).split('\n').length - 1;
          const value = String(pair.value.value);
          found.set(value, [...(found.get(value) ?? []), lines[line] ?? '']);
        }
        visit(pair.value as Node);
      }
    } else if (isSeq(node)) node.items.forEach((n) => visit(n as Node));
  };
  visit(doc.contents as Node);
  return found;
}

export function lintWorkflow(text: string, action: ActionSpec): string[] {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) return doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`);
  const wf = doc.toJS() as unknown;
  if (!isObj(wf)) return ['the file is not a mapping'];
  const problems: string[] = [];
  const p = (s: string): void => {
    problems.push(s);
  };

  if (typeof wf.name !== 'string' || !wf.name.trim()) p('no `name:`');

  // --- on ---
  const on = wf.on;
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on : isObj(on) ? Object.keys(on) : [];
  if (events.length === 0) p('no `on:` events');
  for (const e of events)
    if (typeof e !== 'string' || !EVENTS.has(e)) p(`on: unknown event ${JSON.stringify(e)}`);
  const declaredInputs = new Set<string>();
  if (isObj(on)) {
    for (const ev of ['workflow_dispatch', 'workflow_call']) {
      const spec = on[ev];
      if (isObj(spec) && isObj(spec.inputs)) Object.keys(spec.inputs).forEach((k) => declaredInputs.add(k));
    }
  }

  // --- jobs ---
  const jobs = wf.jobs;
  if (!isObj(jobs) || Object.keys(jobs).length === 0) {
    p('no `jobs:`');
    return problems;
  }
  for (const [jobId, job] of Object.entries(jobs)) {
    const where = `job ${jobId}`;
    if (!ID_RE.test(jobId))
      p(`${where}: id must start with a letter or _ and hold only letters, digits, - and _`);
    if (!isObj(job)) {
      p(`${where}: not a mapping`);
      continue;
    }
    const needs = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
    for (const n of needs) {
      if (typeof n !== 'string' || !(n in jobs) || n === jobId)
        p(`${where}: needs ${JSON.stringify(n)}, not another job here`);
    }
    if (typeof job.uses === 'string') continue; // a reusable workflow: no runs-on, no steps
    if (job['runs-on'] === undefined) p(`${where}: no runs-on`);
    const steps = job.steps;
    if (!Array.isArray(steps) || steps.length === 0) {
      p(`${where}: no steps`);
      continue;
    }
    const stepIds = new Map<string, Obj>();
    steps.forEach((step, i) => {
      const at = `${where}, step ${typeof step === 'object' && step && 'id' in step ? String(step.id) : i + 1}`;
      if (!isObj(step)) {
        p(`${at}: not a mapping`);
        return;
      }
      const hasUses = typeof step.uses === 'string';
      const hasRun = typeof step.run === 'string';
      if (hasUses === hasRun) p(`${at}: needs exactly one of uses: and run:`);
      if (step.with !== undefined && !hasUses) p(`${at}: with: without uses:`);
      if (step.id !== undefined) {
        if (typeof step.id !== 'string' || !ID_RE.test(step.id))
          p(`${at}: bad id ${JSON.stringify(step.id)}`);
        else if (stepIds.has(step.id)) p(`${at}: id ${step.id} used twice`);
        else stepIds.set(step.id, step);
      }
      if (!hasUses) return;
      const uses = step.uses as string;
      if (isThisAction(uses)) {
        if (step.with !== undefined && !isObj(step.with)) p(`${at}: with: is not a mapping`);
        for (const key of Object.keys(isObj(step.with) ? step.with : {})) {
          if (!action.inputs.has(key)) p(`${at}: with: ${key} is not an input of action.yml`);
        }
      } else if (!uses.startsWith('docker://') && !uses.startsWith('./')) {
        if (!PINNED_RE.test(uses)) p(`${at}: ${uses} is not pinned by a full commit SHA`);
      }
    });

    // --- references in expressions ---
    for (const expr of expressions(job)) {
      for (const m of expr.matchAll(/\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        const [, id = '', name = ''] = m;
        const step = stepIds.get(id);
        if (!step) p(`${where}: steps.${id} is not a step id of this job`);
        else if (typeof step.uses === 'string' && isThisAction(step.uses) && !action.outputs.has(name)) {
          p(`${where}: steps.${id}.outputs.${name} is not an output of action.yml`);
        }
      }
      for (const m of expr.matchAll(/\bneeds\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        const [, id = '', name = ''] = m;
        const other = jobs[id];
        if (!needs.includes(id)) p(`${where}: reads needs.${id} but does not need it`);
        else if (!isObj(other) || !isObj(other.outputs) || !(name in other.outputs)) {
          p(`${where}: needs.${id}.outputs.${name} is not an output of job ${id}`);
        }
      }
      for (const m of expr.matchAll(/\binputs\.([A-Za-z0-9_-]+)/g)) {
        if (!declaredInputs.has(m[1] ?? '')) p(`${where}: inputs.${m[1]} is not an input of this workflow`);
      }
    }
  }

  // --- pins carry their version ---
  for (const [uses, lines] of usesLines(doc, text)) {
    if (!PINNED_RE.test(uses)) continue;
    for (const line of lines) {
      if (!/#\s*v\d+(?:\.\d+){0,2}\b/.test(line))
        p(`${uses}: no "# vX.Y.Z" comment naming the pinned version`);
    }
  }
  return problems;
}
