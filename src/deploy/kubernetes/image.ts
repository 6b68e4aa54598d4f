/**
 * Image references as Docker's grammar reads them. The registry is the first path component only
 * when it looks like a host (has a `.` or a `:`, or is `localhost`), so in `host:5000/app:tag` the
 * `:5000` is a port and `tag` the tag: the bug Azure/k8s-deploy still has (its issue #2).
 */
export interface ImageRef {
  /** `host[:port]`, when the reference names one. */
  registry?: string;
  /** The path after the registry, e.g. `acme/api`. */
  path: string;
  tag?: string;
  /** `sha256:<hex>`. */
  digest?: string;
}

export class ImageRefError extends Error {}

const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest))
      throw new ImageRefError(`${ref}: "${digest}" is not a digest such as sha256:…`);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  // After the registry is cut off, a colon can only start the tag.
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new ImageRefError(`${ref}: "${tag}" is not a valid tag`);
  }
  if (!PATH_RE.test(rest)) throw new ImageRefError(`${ref}: "${rest}" is not a valid image repository`);
  return { registry, path: rest, tag, digest };
}

/** `registry/path` without tag or digest: what two references of the same image share. */
export function repositoryOf(r: ImageRef): string {
  return r.registry ? `${r.registry}/${r.path}` : r.path;
}

export function formatImageRef(r: ImageRef): string {
  return `${repositoryOf(r)}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/**
 * What goes in the pod template: by digest when one is known (nothing can move under it), and
 * without the tag then, since `repo:tag@digest` reads as pinned to the tag to some tools.
 */
export function pinnedImage(ref: string): string {
  const r = parseImageRef(ref);
  return r.digest ? `${repositoryOf(r)}@${r.digest}` : formatImageRef(r);
}
