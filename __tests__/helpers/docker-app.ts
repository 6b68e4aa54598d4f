import http from 'node:http';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { tar } from '../../src/deploy/docker/tar';

/**
 * Tiny FROM-scratch test apps on safe-deploy-test/busybox (nothing can be pulled): busybox httpd
 * on 127.0.0.1:$PORT serving /health and /version, in a few flavours of broken.
 */
export type AppKind = 'healthy' | 'unhealthy' | 'crash';

export const BASE_IMAGE = 'safe-deploy-test/busybox:latest';
export const PROXY_IMAGE = 'safe-deploy-test/caddy:latest';

const START: Record<AppKind, string> = {
  // httpd as a child with a TERM trap: as PID 1 it would ignore SIGTERM and every stop would wait
  // for the SIGKILL timeout.
  healthy: [
    'echo "starting $VERSION on 127.0.0.1:$PORT"',
    'httpd -f -p 127.0.0.1:$PORT -h /www &',
    "trap 'kill $!; exit 0' TERM INT",
    'wait',
  ].join('\n'),
  unhealthy: [
    'echo "starting $VERSION on 127.0.0.1:$PORT (no /health: every probe gets 404)"',
    'rm -f /www/health',
    'httpd -f -p 127.0.0.1:$PORT -h /www &',
    "trap 'kill $!; exit 0' TERM INT",
    'wait',
  ].join('\n'),
  crash: ['echo "starting $VERSION"', 'echo "boom: cannot reach the database" >&2', 'exit 3'].join('\n'),
};

export async function buildTestApp(
  docker: Docker,
  tag: string,
  kind: AppKind,
  version: string,
): Promise<string> {
  const dockerfile = [
    `FROM ${BASE_IMAGE}`,
    `ENV VERSION=${version}`,
    'COPY www /www',
    'COPY start.sh /start.sh',
    'CMD ["sh", "/start.sh"]',
    '',
  ].join('\n');
  const context = tar([
    { name: 'Dockerfile', content: dockerfile },
    { name: 'www/' },
    { name: 'www/health', content: 'ok\n' },
    { name: 'www/version', content: `${version}\n` },
    { name: 'start.sh', content: `#!/bin/sh\n${START[kind]}\n`, mode: 0o755 },
  ]);
  const stream = await docker.buildImage(Readable.from([context]), { t: tag, rm: true, forcerm: true });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: Array<{ error?: string }>) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new Error(`building ${tag}: ${failed}`));
      else resolve();
    });
  });
  return tag;
}

/** Removes everything a test app left on the host: its containers, its lock, its probe container. */
export async function cleanupApp(docker: Docker, app: string, environment: string): Promise<void> {
  await removeLabelled(docker, `safe-deploy.app=${app}`, [
    `safe-deploy-lock-${app}-${environment}`,
    `safe-deploy-probe-${app}-${environment}`,
  ]);
}

/** Force-removes, all at once, the containers with `label` (`key=value`) and those named in `also`. */
export async function removeLabelled(docker: Docker, label: string, also: string[] = []): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  const names = [...list.map((c) => c.Id), ...also];
  await Promise.all(
    names.map((n) =>
      docker
        .getContainer(n)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

/**
 * What the app (or the proxy in front of it) answers at `url`; errors become `status: 0`. A new
 * connection each time (no keep-alive): a pooled connection the proxy closed as idle during a
 * reload fails in a client-side race that browsers and Go retry, and is not a dropped request.
 */
export function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on('error', (err) => resolve({ status: 0, body: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: err.code ?? err.message }));
  });
}

/** Containers of an app, by state. */
export async function containersOf(
  docker: Docker,
  app: string,
): Promise<Array<{ name: string; state: string }>> {
  const list = await docker.listContainers({ all: true, filters: { label: [`safe-deploy.app=${app}`] } });
  return list.map((c) => ({ name: (c.Names[0] ?? '').replace(/^\//, ''), state: c.State }));
}

/** Containers of `of.app` from commit `sha` (of `of.environment` only, when it has one). */
export async function containersOfSha(
  docker: Docker,
  of: { app: string; environment?: string },
  sha: string,
): Promise<Docker.ContainerInfo[]> {
  const label = [`safe-deploy.app=${of.app}`];
  if (of.environment !== undefined) label.push(`safe-deploy.environment=${of.environment}`);
  label.push(`safe-deploy.sha=${sha}`);
  return docker.listContainers({ all: true, filters: { label } });
}
