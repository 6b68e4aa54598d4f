import fs from 'node:fs';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';

/**
 * The files Docker would send as the build context: everything under `contextDir` except what
 * `.dockerignore` excludes. Ignored directories are not walked at all (node_modules can be huge).
 * The Dockerfile and .dockerignore always go, as with `docker build`.
 */
export function listContextFiles(contextDir: string, dockerfile: string): string[] {
  const ignoreFile = path.join(contextDir, '.dockerignore');
  const ig = dockerignore({ ignorecase: false });
  if (fs.existsSync(ignoreFile)) ig.add(fs.readFileSync(ignoreFile, 'utf8'));
  // Patterns with `!` can re-include files inside an ignored directory, so only prune when there are none.
  const canPrune = !fs.existsSync(ignoreFile) || !/^\s*!/m.test(fs.readFileSync(ignoreFile, 'utf8'));

  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(contextDir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(canPrune && ig.ignores(child))) walk(child);
      } else if (!ig.ignores(child)) {
        files.push(child);
      }
    }
  };
  walk('');
  const always = [
    path.relative(contextDir, path.resolve(contextDir, dockerfile)).split(path.sep).join('/'),
    '.dockerignore',
  ];
  for (const f of always) if (fs.existsSync(path.join(contextDir, f)) && !files.includes(f)) files.push(f);
  return files;
}
