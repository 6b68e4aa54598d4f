import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = path.join(ROOT, 'dist/index.js');
export const REGISTRY = '127.0.0.1:5000';
export const AUTH_REGISTRY = '127.0.0.1:5001';
/** Test-only credentials of the authenticated registry started by scripts/services.sh. */
export const AUTH_USER = 'safe-deploy';
export const AUTH_PASSWORD = process.env.SAFE_DEPLOY_REGISTRY_PASSWORD ?? 'registry-secret-pass';

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

export interface RunOptions {
  /** Inputs by their public names, e.g. { 'test-command': 'true' }. */
  inputs?: Record<string, string>;
  /** Working directory (the "workspace"); a fresh temp dir when omitted. */
  cwd?: string;
  sha?: string;
  ref?: string;
  eventName?: string;
  event?: Record<string, unknown>;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** The node binary that runs dist/ (default: the one running the tests). */
  node?: string;
  /** Called with the child once started (to signal it). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

export function randomSha(): string {
  return crypto.randomBytes(20).toString('hex');
}

export function tempDir(prefix = 'sd-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh copy of an example app to act as the repository checkout. */
export function workspaceFrom(example: string): string {
  const dir = tempDir('sd-ws-');
  fs.cpSync(path.join(ROOT, 'examples', example), dir, { recursive: true });
  return dir;
}

/**
 * Runs the bundled action the way the GitHub runner does: `node dist/index.js` with INPUT_* (name
 * upper-cased, hyphens kept), GITHUB_* and the output/summary files it creates beforehand.
 */
export async function runAction(opts: RunOptions = {}): Promise<ActionRun> {
  const dir = tempDir('sd-run-');
  const cwd = opts.cwd ?? dir;
  const outputFile = path.join(dir, 'output.txt');
  const summaryFile = path.join(dir, 'summary.md');
  const eventFile = path.join(dir, 'event.json');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(eventFile, JSON.stringify(opts.event ?? { repository: { default_branch: 'main' } }));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: opts.sha ?? randomSha(),
    GITHUB_REF: opts.ref ?? 'refs/heads/main',
    GITHUB_EVENT_NAME: opts.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: 'acme/hello-app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: cwd,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(opts.inputs ?? {})) env[`INPUT_${k.toUpperCase()}`] = v;

  const child = spawn(opts.node ?? process.execPath, [DIST], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  opts.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 110_000);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  clearTimeout(timer);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    dir,
  };
}

/** Parses the runner's file-command format: `name<<DELIM\nvalue\nDELIM` (and plain `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^<=]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** The registry's own view: tags of a repository (empty when it does not exist). */
export async function registryTags(repo: string, registry = REGISTRY, auth?: string): Promise<string[]> {
  const res = await fetch(`http://${registry}/v2/${repo}/tags/list`, { headers: authHeader(auth) });
  if (res.status === 404) return [];
  const body = (await res.json()) as { tags?: string[] | null };
  return body.tags ?? [];
}

/** The manifest digest the registry serves for repo:tag. */
export async function registryDigest(
  repo: string,
  tag: string,
  registry = REGISTRY,
  auth?: string,
): Promise<string | undefined> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json', ...authHeader(auth) },
  });
  return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

function authHeader(auth?: string): Record<string, string> {
  return auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {};
}

/** A unique repository name per test, so tests never see each other's images. */
export function uniqueRepo(prefix = 'app'): string {
  return `sd-test/${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}

/** The log with the runner's own mask-registration lines removed (the runner consumes those). */
export function visibleLog(run: ActionRun): string {
  return (run.stdout + run.stderr)
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}
