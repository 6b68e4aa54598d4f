/**
 * The docker target's defaults, in one place: the options' defaults (context.ts), the inputs'
 * (src/inputs/deploy.ts) and the plan text read them here; action.yml's are checked against them
 * by a unit test.
 */
export const DEFAULT_PROXY_IMAGE = 'caddy:2';
/** One proxy per host, shared by every app and environment. */
export const DEFAULT_PROXY_NAME = 'safe-deploy-proxy';
/**
 * Caddy's admin API, private to the proxy container: a Unix socket on a tmpfs inside it. On the
 * host network a TCP admin (Caddy's default localhost:2019) is shared with any other Caddy on the
 * host, and `caddy reload` would reconfigure whichever bound it first.
 */
export const DEFAULT_PROXY_ADMIN = 'unix//run/caddy/admin.sock';
