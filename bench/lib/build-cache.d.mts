/** See build-cache.mjs. */
export function forgetBuild(repo: string, token: string, since: Date): Promise<number>;
