import * as runner from './runner';

/**
 * The log as stage code sees it. Stages log through this rather than writing outputs or the
 * summary themselves; those belong to the edge (src/main.ts and src/report/).
 */
export const log = {
  info: (message: string): void => runner.info(message),
  warn: (message: string): void => runner.warning(message),
  debug: (message: string): void => runner.debug(message),
  group: <T>(title: string, fn: () => Promise<T>): Promise<T> => runner.group(title, fn),
};
export type Log = typeof log;
