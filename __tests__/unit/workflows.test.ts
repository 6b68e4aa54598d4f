import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/action';
import { actionSpec, isThisAction, lintWorkflow } from '../helpers/workflow-lint';

// The workflows people copy (examples/workflows/) and the repository's own (.github/workflows/),
// checked against action.yml as it is now: an input renamed or removed fails here, not in a
// user's first run.

const action = actionSpec(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
const EXAMPLES = path.join(ROOT, 'examples/workflows');
const OWN = path.join(ROOT, '.github/workflows');
const ymls = (dir: string): string[] => fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string): string => fs.readFileSync(file, 'utf8');

type Step = { uses?: string; run?: string; id?: string; with?: Record<string, unknown> };
type Job = {
  needs?: string | string[];
  environment?: string | { name: string };
  outputs?: Record<string, string>;
  steps: Step[];
};
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> };

const example = (name: string): Workflow => parse(read(path.join(EXAMPLES, name))) as Workflow;
const ourSteps = (wf: Workflow): Array<Step & { job: string }> =>
  Object.entries(wf.jobs).flatMap(([job, j]) =>
    j.steps.filter((s) => s.uses && isThisAction(s.uses)).map((s) => ({ ...s, job })),
  );
const envName = (j: Job): string | undefined =>
  typeof j.environment === 'string' ? j.environment : j.environment?.name;

describe('examples/workflows', () => {
  const files = ymls(EXAMPLES);

  test('holds the four workflows the README promises', () => {
    expect(files.sort()).toEqual(['deploy.yml', 'kubernetes.yml', 'pull-request.yml', 'rollback.yml']);
  });

  test.each(files)('%s is a sane workflow whose every with: key is an input of action.yml', (file) => {
    expect(lintWorkflow(read(path.join(EXAMPLES, file)), action)).toEqual([]);
    expect(ourSteps(example(file)).length).toBeGreaterThan(0);
  });

  test('deploy.yml: push to main deploys staging, then the same digest to production behind its environment', () => {
    const wf = example('deploy.yml');
    expect(Object.keys(wf.on)).toEqual(['push']);
    const staging = wf.jobs.staging!;
    const production = wf.jobs.production!;
    expect(envName(staging)).toBe('staging');
    expect(envName(production)).toBe('production');
    expect([production.needs].flat()).toContain('staging');
    expect(staging.outputs).toMatchObject({
      'image-ref': '${{ steps.deploy.outputs.image-ref }}',
      digest: '${{ steps.deploy.outputs.digest }}',
    });
    const steps = ourSteps(wf);
    expect(steps.map((s) => [s.job, s.with?.environment])).toEqual([
      ['staging', 'staging'],
      ['production', 'production'],
    ]);
    // Same image repository in both: production finds staging's image by the commit SHA.
    expect(steps[0]!.with?.image).toBe(steps[1]!.with?.image);
    const check = production.steps.find((s) => s.run?.includes('STAGING_DIGEST'));
    expect(JSON.stringify(check)).toContain('needs.staging.outputs.digest');
    expect(JSON.stringify(check)).toContain('steps.deploy.outputs.digest');
  });

  test('rollback.yml: dispatched by hand with rollback-to', () => {
    const wf = example('rollback.yml');
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    const [step] = ourSteps(wf);
    expect(step?.with?.['rollback-to']).toBe('${{ inputs.to }}');
  });

  test('pull-request.yml: gate, build and migration lint, never a deploy or a database', () => {
    const wf = example('pull-request.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    const [step] = ourSteps(wf);
    expect(step?.with).toHaveProperty('test-command');
    expect(step?.with).toHaveProperty('image');
    expect(step?.with).toHaveProperty('migrations-dir');
    expect(step?.with).not.toHaveProperty('deploy-to');
    expect(step?.with).not.toHaveProperty('database-url');
  });

  test('kubernetes.yml: deploy-to kubernetes with the kube-* inputs', () => {
    const [step] = ourSteps(example('kubernetes.yml'));
    expect(step?.with).toMatchObject({ 'deploy-to': 'kubernetes', kubeconfig: '${{ secrets.KUBECONFIG }}' });
    for (const k of ['kube-context', 'kube-namespace', 'kube-container', 'rollout-timeout']) {
      expect(step?.with).toHaveProperty(k);
    }
  });

  test("the README's first screen links each of them", () => {
    const readme = read(path.join(ROOT, 'README.md'));
    const firstScreen = readme.slice(0, readme.indexOf('\n## ', readme.indexOf('\n## ') + 1));
    for (const f of files) expect(firstScreen).toContain(`examples/workflows/${f}`);
  });
});

describe('.github', () => {
  test.each(ymls(OWN))('workflows/%s is sane and pins every third-party action by commit SHA', (file) => {
    expect(lintWorkflow(read(path.join(OWN, file)), action)).toEqual([]);
  });

  test('Dependabot watches npm and GitHub Actions', () => {
    const cfg = parse(read(path.join(ROOT, '.github/dependabot.yml'))) as {
      version: number;
      updates: Array<{ 'package-ecosystem': string; directory: string; schedule: { interval: string } }>;
    };
    expect(cfg.version).toBe(2);
    expect(cfg.updates.map((u) => [u['package-ecosystem'], u.directory])).toEqual(
      expect.arrayContaining([
        ['npm', '/'],
        ['github-actions', '/'],
      ]),
    );
    for (const u of cfg.updates) expect(u.schedule.interval).toMatch(/^(daily|weekly|monthly)$/);
  });
});

// The checker itself: each mistake it exists to catch, on a workflow that is otherwise fine.
describe('lintWorkflow', () => {
  const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
  const good = `name: ok
on:
  workflow_dispatch:
    inputs:
      to: { default: previous }
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      ref: \${{ steps.d.outputs.image-ref }}
    steps:
      - uses: ${CHECKOUT}
      - uses: org/safe-deploy@v1
        id: d
        with:
          rollback-to: \${{ inputs.to }}
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ needs.a.outputs.ref }}
`;

  test('a sane workflow has no problems', () => {
    expect(lintWorkflow(good, action)).toEqual([]);
  });

  test.each([
    [
      'an unknown input',
      ['rollback-to:', 'rollback-too:'],
      /with: rollback-too is not an input of action\.yml/,
    ],
    [
      'an unknown output',
      ['outputs.image-ref', 'outputs.image_ref'],
      /steps\.d\.outputs\.image_ref is not an output/,
    ],
    ['a step id that does not exist', ['steps.d.outputs', 'steps.e.outputs'], /steps\.e is not a step id/],
    [
      'a step of another job, in a bare if:',
      ['- run: echo', "- if: steps.d.outputs.reslt == 'deployed'\n        run: echo"],
      /steps\.d is not a step id/,
    ],
    [
      'a job output that does not exist',
      ['needs.a.outputs.ref', 'needs.a.outputs.digest'],
      /needs\.a\.outputs\.digest/,
    ],
    ['reading a job it does not need', ['    needs: a\n', ''], /reads needs\.a but does not need it/],
    ['needing a job that does not exist', ['needs: a', 'needs: c'], /needs "c", not another job/],
    [
      'a workflow input that does not exist',
      ['inputs.to', 'inputs.target'],
      /inputs\.target is not an input/,
    ],
    ['an unknown event', ['workflow_dispatch:', 'workflow-dispatch:'], /unknown event "workflow-dispatch"/],
    [
      'no runs-on',
      ['  b:\n    needs: a\n    runs-on: ubuntu-latest', '  b:\n    needs: a'],
      /job b: no runs-on/,
    ],
    [
      'a step with uses and run',
      ['- run: echo', '- uses: ./\n        run: echo'],
      /exactly one of uses: and run:/,
    ],
    [
      'a tag instead of a SHA',
      [CHECKOUT, 'actions/checkout@v7 # v7.0.1'],
      /actions\/checkout@v7 is not pinned/,
    ],
    ['a short SHA', [CHECKOUT, 'actions/checkout@3d3c42e # v7.0.1'], /is not pinned by a full commit SHA/],
    ['a pin without its version', [' # v7.0.1', ''], /no "# vX\.Y\.Z" comment/],
    ['a duplicate key', ['        id: d\n', '        id: d\n        id: d\n'], /^YAML: /],
    ['no jobs', [/jobs:[\s\S]*/, 'jobs: {}\n'], /no `jobs:`/],
  ])('finds %s', (_name, [from, to], problem) => {
    const broken = good.replace(from as string | RegExp, to as string);
    expect(broken).not.toBe(good);
    expect(lintWorkflow(broken, action)).toContainEqual(expect.stringMatching(problem));
  });

  test.each([
    ['./', true],
    ['org/safe-deploy@v1', true],
    ['acme/safe-deploy@3d3c42e5aac5ba805825da76410c181273ba90b1', true],
    ['org/safe-deploy-extra@v1', false],
    ['actions/checkout@v7', false],
  ])('%s is this action: %s', (uses, expected) => {
    expect(isThisAction(uses)).toBe(expected);
  });
});
