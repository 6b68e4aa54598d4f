import Docker from 'dockerode';
import { PassThrough } from 'node:stream';

/**
 * Runs `command` inside the freshly built image (`docker run --rm --network host` with
 * DATABASE_URL), so the migration tool and its dependencies are exactly the ones that ship.
 * The command runs with `sh -c`: the image needs a shell.
 */
export async function runInImage(
  docker: Docker,
  image: string,
  command: string,
  env: Record<string, string>,
  onLine: (line: string) => void,
): Promise<{ exitCode: number; tail: string[] }> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['sh', '-c', command],
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { 'safe-deploy.role': 'migrate' },
    HostConfig: { NetworkMode: 'host' },
  });
  const tail: string[] = [];
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough();
    container.modem.demuxStream(stream, out, out);
    let partial = '';
    out.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        onLine(l);
        tail.push(l);
        if (tail.length > 30) tail.shift();
      }
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (partial) {
      onLine(partial);
      tail.push(partial);
    }
    return { exitCode: StatusCode, tail };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
