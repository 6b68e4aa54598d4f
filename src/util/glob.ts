import fs from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';

// Never worth walking for report files, and huge.
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Files under `root` matching any of the globs (relative to root, or absolute), sorted. */
export function globFiles(root: string, patterns: string[]): string[] {
  const rel = patterns.map((p) => (path.isAbsolute(p) ? path.relative(root, p) : p).replace(/^\.\//, ''));
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile()) {
        const r = path.relative(root, full).split(path.sep).join('/');
        if (rel.some((p) => minimatch(r, p, { dot: true }))) found.push(full);
      }
    }
  };
  walk(root);
  return found.sort();
}
