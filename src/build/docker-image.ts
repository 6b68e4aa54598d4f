import type Docker from 'dockerode';
import type { RegistryAuth } from './registry-auth';

/** One line of the engine's JSON progress stream (build or push). */
export interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  /** An object on classic and push streams; base64 protobuf on BuildKit trace records. */
  aux?: { ID?: string; Digest?: string; Tag?: string } | string;
  progressDetail?: { current?: number };
  id?: string;
}

export class DockerStreamError extends Error {
  constructor(
    message: string,
    readonly lastLines: string[],
  ) {
    super(message);
  }
}

/**
 * Follows a progress stream to its end. The engine reports build and push errors in-band, inside
 * the stream, while the HTTP call itself succeeded: those become a DockerStreamError carrying the
 * last lines, so the user sees Docker's own words.
 */
export async function follow(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
  /** Turns a record into log lines itself (BuildKit traces); undefined: the default handling. */
  translate?: (event: ProgressEvent) => string[] | undefined,
): Promise<{ events: ProgressEvent[]; lastLines: string[] }> {
  const lastLines: string[] = [];
  const events: ProgressEvent[] = [];
  let inBandError: string | undefined;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: ProgressEvent) => {
        events.push(event);
        if (event.error || event.errorDetail) inBandError = event.errorDetail?.message ?? event.error;
        const translated = translate?.(event);
        if (translated) {
          for (const line of translated) {
            onLine(line);
            lastLines.push(line);
            if (lastLines.length > 20) lastLines.shift();
          }
          return;
        }
        // Byte-count updates ("Pushing 3.1MB/8MB") would drown the log; the final status lines say enough.
        if (event.progressDetail?.current !== undefined) return;
        const status =
          event.status && event.id && !event.status.includes(event.id)
            ? `${event.id}: ${event.status}`
            : event.status;
        const text = (event.stream ?? status ?? '').replace(/\n+$/, '');
        for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
          onLine(line);
          lastLines.push(line);
          if (lastLines.length > 20) lastLines.shift();
        }
      },
    );
  });
  if (inBandError) throw new DockerStreamError(inBandError.trim(), lastLines);
  return { events, lastLines };
}

/** Pushes `repo:tag`; resolves to the manifest digest the registry stored. */
export async function pushImage(
  docker: Docker,
  repo: string,
  tag: string,
  auth: RegistryAuth | undefined,
  onLine: (l: string) => void,
): Promise<string | undefined> {
  const stream = await docker.getImage(repo).push({ tag, authconfig: auth ?? {} });
  const { events } = await follow(docker, stream, onLine);
  const fromAux = events.map((e) => (typeof e.aux === 'object' ? e.aux.Digest : undefined)).find(Boolean);
  if (fromAux) return fromAux;
  const fromStatus = events
    .map((e) => /digest: (sha256:[0-9a-f]{64})/.exec(e.status ?? '')?.[1])
    .find(Boolean);
  if (fromStatus) return fromStatus;
  const info = await docker.getImage(`${repo}:${tag}`).inspect();
  return info.RepoDigests?.find((d) => d.startsWith(`${repo}@`))?.split('@')[1];
}

export type RemoteLookup = { exists: true; digest: string } | { exists: false };

/**
 * Asks the registry (through the engine) whether `ref` exists. 404 means absent; 401/403 mean the
 * registry refused us, which must not be mistaken for "absent" (that would rebuild and then fail
 * to push, or worse, silently deploy something else).
 */
export async function lookupRemote(
  docker: Docker,
  ref: string,
  auth: RegistryAuth | undefined,
): Promise<RemoteLookup> {
  try {
    const data = (await docker.getImage(ref).distribution({ authconfig: auth })) as {
      Descriptor?: { digest?: string };
    };
    const digest = data.Descriptor?.digest;
    if (!digest) throw new Error(`the registry answered without a digest for ${ref}`);
    return { exists: true, digest };
  } catch (err) {
    const e = err as { statusCode?: number; json?: { message?: string }; message?: string };
    const message = (e.json?.message ?? e.message ?? String(err)).trim();
    if (e.statusCode === 404 || /manifest unknown|not found/i.test(message)) return { exists: false };
    if (
      e.statusCode === 401 ||
      e.statusCode === 403 ||
      /unauthorized|denied|authentication required/i.test(message)
    ) {
      throw new Error(
        `the registry refused access to ${ref} (${message}); check registry-username and registry-password`,
      );
    }
    throw new Error(`could not ask the registry about ${ref}: ${message}`);
  }
}

/** Pulls `ref` (by digest or tag) so its labels can be read; resolves when it is local. */
export async function pullImage(
  docker: Docker,
  ref: string,
  auth: RegistryAuth | undefined,
  onLine: (l: string) => void,
): Promise<void> {
  const stream = (await docker.pull(ref, { authconfig: auth })) as NodeJS.ReadableStream;
  await follow(docker, stream, onLine);
}

/** The labels of `ref`, pulling it first when this engine does not have it. */
export async function imageLabels(
  docker: Docker,
  ref: string,
  auth: RegistryAuth | undefined,
  onLine: (l: string) => void,
): Promise<Record<string, string>> {
  try {
    return (await docker.getImage(ref).inspect()).Config.Labels ?? {};
  } catch {
    await pullImage(docker, ref, auth, onLine);
    return (await docker.getImage(ref).inspect()).Config.Labels ?? {};
  }
}
