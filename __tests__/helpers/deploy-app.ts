import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { execIn } from '../../src/deploy/docker/exec';
import { REGISTRY, uniqueRepo, visibleLog, workspaceFrom, type ActionRun } from './action';
import { cleanupApp, fetchText, PROXY_IMAGE } from './docker-app';

/**
 * Scaffolding of the tests that deploy examples/hello-app through dist/index.js: names, ports,
 * workspaces, inputs, what the public port serves, cleanup. Jest loads this module afresh for each
 * test file, so RUN and every port block are per file.
 */
export const docker = new Docker({ socketPath: '/var/run/docker.sock' });
/** The default proxy: shared with every other user of this Docker host, so left running. */
export const PROXY = 'safe-deploy-proxy';
/** A random tag for this run of a test file, in its app and container names. */
export const RUN = crypto.randomBytes(3).toString('hex');

/** One port per call, from a random block of ten in [first, first + 10 * blocks). */
export function portBlock(first: number, blocks: number): () => number {
  const base = first + crypto.randomInt(0, blocks) * 10;
  let index = 0;
  return () => base + index++;
}

/** A random GitHub token, to check that it is sent and never shown. */
export const testToken = (): string => `ghs_test_token_${crypto.randomBytes(12).toString('hex')}`;

export type Stage = { name: string; status: string; durationMs: number; detail: string };
export const stages = (run: ActionRun): Stage[] => JSON.parse(run.outputs.stages ?? '[]') as Stage[];
export const stage = (run: ActionRun, name: string): Stage | undefined =>
  stages(run).find((s) => s.name === name);
export const short = (sha: string): string => sha.slice(0, 7);

/** A run that failed or succeeded must say so in full when an assertion about it fails. */
export function expectCode(run: ActionRun, code: number): void {
  if (run.code !== code) {
    throw new Error(
      `exit code ${run.code}, expected ${code}\n--- log ---\n${visibleLog(run)}\n--- summary ---\n${run.summary}`,
    );
  }
}

/** An app behind the proxy on a public port of its own. */
export interface AppTarget {
  app: string;
  port: number;
  /** Where its images go in the local registry. */
  repo: string;
  /** The public address, through the proxy. */
  base: string;
}

export function appTarget(app: string, port: number, repoPrefix: string): AppTarget {
  return { app, port, repo: uniqueRepo(repoPrefix), base: `http://127.0.0.1:${port}` };
}

/** A fresh checkout of the example app whose page says `label` (/version: the VERSION build-arg). */
export function appWorkspace(label: string): string {
  const ws = workspaceFrom('hello-app');
  fs.writeFileSync(path.join(ws, 'www/index.html'), `<h1>hello ${label}</h1>\n`);
  return ws;
}

/** The inputs that build `label` and deploy it as t.app with `deploy-to: docker` on the host network. */
export function dockerDeployInputs(t: AppTarget, label: string): Record<string, string> {
  return {
    image: `${REGISTRY}/${t.repo}`,
    'build-args': `VERSION=${label}`,
    'deploy-to': 'docker',
    app: t.app,
    network: 'host',
    'proxy-image': PROXY_IMAGE,
    'public-port': String(t.port),
    'health-timeout': '10s',
    'health-interval': '200ms',
    'drain-timeout': '1s',
  };
}

/** What the public port serves: the page and /version (built from the VERSION build-arg). */
export async function live(t: { base: string }): Promise<{ page: string; version: string }> {
  const [page, version] = await Promise.all([fetchText(`${t.base}/`), fetchText(`${t.base}/version`)]);
  return { page: `${page.status} ${page.body}`, version: `${version.status} ${version.body}` };
}

/** What live() reads while `label` is deployed. */
export const serving = (label: string): { page: string; version: string } => ({
  page: `200 <h1>hello ${label}</h1>`,
  version: `200 ${label}`,
});

/** Removes an app's containers, lock and probe container, and its site file on the proxy. */
export async function removeApp(app: string, environment: string): Promise<void> {
  await cleanupApp(docker, app, environment);
  await execIn(docker, PROXY, ['rm', '-f', `/etc/caddy/sites/${app}--${environment}.caddy`]).catch(
    () => undefined,
  );
}

/** Applies the removed site files: their public ports close; the proxy itself stays for other users. */
export async function reloadProxy(): Promise<void> {
  await execIn(docker, PROXY, [
    'caddy',
    'reload',
    '--config',
    '/etc/caddy/Caddyfile',
    '--adapter',
    'caddyfile',
  ]).catch(() => undefined);
}
