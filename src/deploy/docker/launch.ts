import type Docker from 'dockerode';
import { nextName, pickHostPort, removeContainer } from './containers';
import { LABELS, type Ctx } from './context';
import { messageOf, statusOf } from './exec';
import { upstreamFor } from './live';
import type { DockerDeployOptions, PortTable } from './types';

export interface Launched {
  name: string;
  port: number;
  upstream: string;
  healthUrl: string;
}

function envList(env: DockerDeployOptions['env']): string[] {
  if (!env) return [];
  return Array.isArray(env)
    ? [...(env as readonly string[])]
    : Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/**
 * Creates and starts the new version's container, without a restart policy: until it is proved
 * healthy a crash must leave it exited (with its exit code), not restarting in a loop.
 */
export async function launch(
  ctx: Ctx,
  opts: DockerDeployOptions,
  prober: string | undefined,
  existing: readonly Docker.ContainerInfo[],
  ports?: Promise<PortTable | undefined>,
): Promise<Launched> {
  const direct = ctx.proxy === 'none';
  let port = opts.port ?? 3000;
  if (ctx.hostNet) port = direct || !prober ? ctx.publicPort : await pickHostPort(ctx, prober, await ports);
  let name = nextName(ctx, opts.sha, existing);
  const env = envList(opts.env).filter((e) => !e.startsWith('PORT='));
  for (let attempt = 0; ; attempt++) {
    const upstream = upstreamFor(ctx, name, port);
    const labels: Record<string, string> = {
      [LABELS.app]: ctx.app,
      [LABELS.environment]: ctx.environment,
      [LABELS.sha]: opts.sha,
      [LABELS.image]: opts.image,
      [LABELS.deployedAt]: new Date().toISOString(),
      [LABELS.upstream]: upstream,
    };
    if (ctx.opts.runUrl) labels[LABELS.runUrl] = ctx.opts.runUrl;
    if (ctx.hostNet) labels[LABELS.port] = String(port);
    // Without a proxy on a bridge network the container itself is published on the public port.
    const publish = direct && !ctx.hostNet;
    try {
      const container = await ctx.docker.createContainer({
        name,
        Image: opts.image,
        Env: [...env, `PORT=${port}`],
        Labels: labels,
        ExposedPorts: ctx.hostNet ? undefined : { [`${port}/tcp`]: {} },
        HostConfig: {
          NetworkMode: ctx.network,
          Binds: opts.volumes ? [...opts.volumes] : undefined,
          RestartPolicy: { Name: 'no' },
          PortBindings: publish ? { [`${port}/tcp`]: [{ HostPort: String(ctx.publicPort) }] } : undefined,
        },
      });
      try {
        await container.start();
      } catch (err) {
        await removeContainer(ctx, name);
        throw new Error(`the new container ${name} did not start: ${messageOf(err)}`);
      }
      const healthUrl = `http://${ctx.hostNet ? '127.0.0.1' : name}:${port}${ctx.healthPath}`;
      return { name, port, upstream, healthUrl };
    } catch (err) {
      // A container outside safe-deploy's labels may hold the name: take the next number.
      if (statusOf(err) !== 409 || attempt >= 20) throw err;
      const n = Number(name.slice(name.lastIndexOf('-') + 1)) + 1;
      name = `${name.slice(0, name.lastIndexOf('-'))}-${n}`;
    }
  }
}
