import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { RunContext } from '../context';
import type { MigrationFile } from './layout';

/**
 * Without a database to ask (a pull request), the pending migrations are the files this change adds
 * or modifies: against the pull request's base, or a push's previous commit. When git cannot tell
 * (a shallow clone without the base), every file is linted and the reason is returned.
 */
export function changedMigrations(
  files: MigrationFile[],
  ctx: RunContext,
  workDir: string,
): { files: MigrationFile[]; basis: string } {
  const pr = ctx.payload.pull_request as { base?: { sha?: string } } | undefined;
  const before =
    typeof ctx.payload.before === 'string' && !/^0+$/.test(ctx.payload.before)
      ? ctx.payload.before
      : undefined;
  const base = pr?.base?.sha ?? before ?? 'HEAD~1';
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: workDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const top = git('rev-parse', '--show-toplevel').trim();
    const mergeBase = pr ? git('merge-base', base, 'HEAD').trim() : base;
    const changed = new Set(
      git('diff', '--name-only', '--diff-filter=AM', mergeBase, 'HEAD')
        .split('\n')
        .filter(Boolean)
        .map((f) => path.resolve(top, f)),
    );
    return {
      files: files.filter((f) => changed.has(f.path)),
      basis: `changed since ${mergeBase.slice(0, 12)}`,
    };
  } catch {
    return {
      files,
      basis: `all files (git could not compare with ${base.slice(0, 12)}; fetch more history to lint only the changed ones)`,
    };
  }
}
