// What the benches that deploy examples/hello-app through the bundled action share: where things
// are, the workspace, the common inputs, and running `node dist/index.js` as the GitHub runner does.
// Each bench keeps its own timing and reporting.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist/index.js');
/** The shared default proxy: other apps use it, so it stays; a bench removes only its own site. */
export const PROXY = 'safe-deploy-proxy';
export const PROXY_IMAGE = 'safe-deploy-test/caddy:latest';
/** `docker exec <PROXY> …` that applies the site files gracefully. */
export const CADDY_RELOAD = ['caddy', 'reload', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'];
export const siteFile = (app, environment) => `/etc/caddy/sites/${app}--${environment}.caddy`;

/** A fresh directory for this bench run's files, holding a copy of examples/hello-app as `workspace`. */
export function benchDirs(prefix) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(path.join(ROOT, 'examples/hello-app'), workspace, { recursive: true });
  return { runDir, workspace };
}

/** The inputs that deploy `app` with `deploy-to: docker` on the host network, behind the proxy. */
export function dockerInputs({ image, app, publicPort }) {
  return {
    image,
    'deploy-to': 'docker',
    app,
    network: 'host',
    'proxy-image': PROXY_IMAGE,
    'public-port': String(publicPort),
  };
}

/** Parses the runner's file-command format: `name<<DELIM\nvalue\nDELIM` (and plain `name=value`). */
export function parseOutputFile(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

let running;
/** Kills the action run in progress, if any (a bench's cleanup on errors and signals). */
export function killAction() {
  running?.kill('SIGKILL');
}

/**
 * Runs `node dist/index.js` in `workspace` as the runner would: INPUT_* from `inputs`, GITHUB_* for
 * `sha`, `runId` and `attempt` (then `env` on top), and the output, summary and event files created
 * beforehand in a fresh `run-<label>-*` directory under `runDir`. `onSpawn(started, child)` is called
 * just after the spawn (the child, to watch its output or signal it). Killed after 180 s.
 *
 * Resolves once the process has closed with: `code` (its exit code, else its signal), `started` and
 * `ended` (Date.now() just before the spawn and just after the close), `lines` of stdout and stderr
 * in arrival order as { time, text } (time: Date.now() when its chunk arrived; an unterminated last
 * line of either comes last, with time `ended` and `tail: true`), the parsed `outputs` and `stages`
 * ([] when missing or unreadable), and `logFile`: where in its directory the bench may write its log.
 */
export async function runAction({
  runDir,
  workspace,
  label,
  inputs,
  sha,
  runId = '1001',
  attempt = 1,
  env: extraEnv = {},
  onSpawn,
}) {
  const dir = fs.mkdtempSync(path.join(runDir, `run-${label.replace(/\W+/g, '-')}-`));
  const files = { out: 'output.txt', summary: 'summary.md', event: 'event.json', log: 'action.log' };
  for (const k of Object.keys(files)) files[k] = path.join(dir, files[k]);
  fs.writeFileSync(files.out, '');
  fs.writeFileSync(files.summary, '');
  fs.writeFileSync(files.event, JSON.stringify({ repository: { default_branch: 'main' } }));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    GITHUB_ACTIONS: 'true',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/hello-app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: String(attempt),
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.out,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;

  const started = Date.now();
  const child = spawn(process.execPath, [DIST], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  onSpawn?.(started, child);
  const lines = [];
  const partial = { stdout: '', stderr: '' };
  const collect = (which) => (d) => {
    const parts = (partial[which] + d).split('\n');
    partial[which] = parts.pop();
    const time = Date.now();
    for (const text of parts) lines.push({ time, text });
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const code = await new Promise((resolve) => child.on('close', (c, sig) => resolve(c ?? sig ?? -1)));
  const ended = Date.now();
  clearTimeout(timer);
  running = undefined;
  for (const which of ['stdout', 'stderr'])
    if (partial[which]) lines.push({ time: ended, text: partial[which], tail: true });
  const outputs = parseOutputFile(fs.readFileSync(files.out, 'utf8'));
  let stages = [];
  try {
    stages = JSON.parse(outputs.stages ?? '[]');
  } catch {
    /* reported as missing by the bench */
  }
  return { code, started, ended, lines, outputs, stages, logFile: files.log };
}
