import * as core from '@actions/core';

/**
 * The log as stage code sees it. Stages log through this rather than writing outputs or the
 * summary themselves; those belong to the edge (src/main.ts and src/report/).
 */
export const log = {
  info: (message: string): void => core.info(message),
  warn: (message: string): void => core.warning(message),
  debug: (message: string): void => core.debug(message),
  group: <T>(title: string, fn: () => Promise<T>): Promise<T> => core.group(title, fn),
};
export type Log = typeof log;
