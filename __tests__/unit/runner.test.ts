// src/runner.ts speaks the runner's workflow and file commands itself, instead of loading
// @actions/core (see its opening comment). The runner reads those bytes, so the oracle here is
// @actions/core itself: each call is made through both, and what reaches stdout, GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY must be identical (the random heredoc delimiters aside).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import * as core from '@actions/core';
import * as runner from '../../src/runner';

const awkward = [
  'plain words',
  'two\nlines',
  'windows\r\nline',
  '100% sure',
  'a::fake::command',
  '::warning::injected',
  'comma, colon: both',
  '%0A already escaped?',
  '',
  'ünïcödé ✓',
];

let dir: string;
const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sd-runner-summary-')), 'summary');
let written: string[];
const saved = { ...process.env };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-runner-'));
  written = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
});

/** What one call printed, and what it left in the file commands' files. */
async function capture(
  fn: () => unknown | Promise<unknown>,
): Promise<{ stdout: string; output: string; summary: string }> {
  const output = path.join(dir, `out-${Math.random()}`);
  // One summary file for the whole file: @actions/core keeps the first path it saw.
  const summary = summaryFile;
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  process.env.GITHUB_OUTPUT = output;
  process.env.GITHUB_STEP_SUMMARY = summary;
  written = [];
  await fn();
  const delimiters = (s: string): string => s.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_X');
  return {
    stdout: written.join(''),
    output: delimiters(fs.readFileSync(output, 'utf8')),
    summary: fs.readFileSync(summary, 'utf8'),
  };
}

async function same(ours: () => unknown, theirs: () => unknown): Promise<void> {
  const a = await capture(ours);
  const b = await capture(theirs);
  expect(a).toEqual(b);
}

describe.each(awkward)('the runner sees the same bytes as from @actions/core for %j', (text) => {
  test.each(['info', 'debug', 'notice', 'warning', 'error', 'setSecret', 'setFailed'] as const)(
    '%s',
    async (fn) => {
      await same(
        () => runner[fn](text),
        () => core[fn](text),
      );
    },
  );

  test('setOutput, through GITHUB_OUTPUT', async () => {
    await same(
      () => runner.setOutput('deployed-sha', text),
      () => core.setOutput('deployed-sha', text),
    );
  });

  test('setOutput with no GITHUB_OUTPUT: the old stdout command', async () => {
    await same(
      () => {
        delete process.env.GITHUB_OUTPUT;
        runner.setOutput('url', text);
      },
      () => {
        delete process.env.GITHUB_OUTPUT;
        core.setOutput('url', text);
      },
    );
  });

  test('annotation properties', async () => {
    const props = {
      title: text,
      file: `src/${text}.sql`,
      startLine: 12,
      endLine: 14,
      startColumn: 3,
      endColumn: 9,
    };
    for (const fn of ['notice', 'warning', 'error'] as const)
      await same(
        () => runner[fn]('message', props),
        () => core[fn]('message', props),
      );
  });

  test('group, also when its body throws', async () => {
    await same(
      () => runner.group(text, async () => runner.info('inside')),
      () => core.group(text, async () => core.info('inside')),
    );
    const boom = (): Promise<never> => Promise.reject(new Error('boom'));
    await same(
      () => runner.group(text, boom).catch(() => undefined),
      () => core.group(text, boom).catch(() => undefined),
    );
  });

  test('job summary', async () => {
    await same(
      () => runner.appendSummary(`## ${text}\n`),
      () => core.summary.addRaw(`## ${text}\n`).write(),
    );
  });
});

test.each([
  ['migrate-command', 'INPUT_MIGRATE-COMMAND', '  npm run migrate  '],
  ['build secrets', 'INPUT_BUILD_SECRETS', 'id=x\n'],
  ['environment', 'INPUT_ENVIRONMENT', undefined],
])('getInput(%j) reads %s as @actions/core does', (name, variable, value) => {
  if (value === undefined) delete process.env[variable];
  else process.env[variable] = value;
  expect(runner.getInput(name)).toBe(core.getInput(name));
});

test('setFailed sets the exit code the runner reads', () => {
  runner.setFailed('deploy failed');
  expect(process.exitCode).toBe(1);
});

test('no summary file from the runner is an error the report turns into a warning', async () => {
  delete process.env.GITHUB_STEP_SUMMARY;
  await expect(runner.appendSummary('x')).rejects.toThrow(/GITHUB_STEP_SUMMARY/);
});

test('a value cannot close its own output block', () => {
  expect(() => runner.keyValueBlock('name', 'a\nEND\nb', 'END')).toThrow(Error);
});
