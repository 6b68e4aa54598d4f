"use strict";
exports.id = 225;
exports.ids = [225];
exports.modules = {

/***/ 2225:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   absolutePaths: () => (/* binding */ absolutePaths),
/* harmony export */   authenticators: () => (/* binding */ authenticators),
/* harmony export */   credentialsFor: () => (/* binding */ credentialsFor),
/* harmony export */   inClusterKubeconfig: () => (/* binding */ inClusterKubeconfig),
/* harmony export */   loadDefaultKubeconfig: () => (/* binding */ loadDefaultKubeconfig),
/* harmony export */   mergeKubeconfigs: () => (/* binding */ mergeKubeconfigs),
/* harmony export */   parseKubeconfig: () => (/* binding */ parseKubeconfig)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var js_yaml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2831);
/* harmony import */ var _kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4861);
/* harmony import */ var _kubernetes_client_node_dist_azure_auth_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5511);
/* harmony import */ var _kubernetes_client_node_dist_exec_auth_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3877);
/* harmony import */ var _kubernetes_client_node_dist_file_auth_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(1356);
/* harmony import */ var _kubernetes_client_node_dist_gcp_auth_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(5556);
/* harmony import */ var _kubernetes_client_node_dist_oidc_auth_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(5015);
/**
 * The kubeconfig, read as client-node's KubeConfig reads it and with client-node's own parts: its
 * validators for clusters, users and contexts, and its authenticators (exec credential plugins such
 * as EKS's and GKE's, token files, OIDC, the legacy azure and gcp providers). Not KubeConfig
 * itself: its module imports client-node's generated API, 15 MB of code that took ~250 ms to load
 * on every run (the bundler cannot leave it out: its TypeScript enums count as side effects), and
 * the action sends its few requests itself (requests.ts). Loaded only by runs that deploy to
 * Kubernetes (client.ts imports this module dynamically).
 */










/** Where a pod's service account is mounted (in-cluster runners). */
const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
/** client-node's loadFromString: YAML (or JSON), each entry through client-node's validators. */
function parseKubeconfig(text) {
    const obj = (js_yaml__WEBPACK_IMPORTED_MODULE_3__/* ["default"].load */ .Ay.load(text) ?? {});
    const current = obj['current-context'];
    return {
        clusters: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_4__/* .newClusters */ .MA)(obj.clusters),
        users: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_4__/* .newUsers */ .bw)(obj.users),
        contexts: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_4__/* .newContexts */ .FE)(obj.contexts),
        currentContext: typeof current === 'string' ? current : undefined,
    };
}
/** client-node's loadFromFile: file paths in the kubeconfig are relative to its directory. */
function absolutePaths(kc, dir) {
    const abs = (f) => f && !node_path__WEBPACK_IMPORTED_MODULE_2___default().isAbsolute(f) ? node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, f) : f;
    return {
        ...kc,
        clusters: kc.clusters.map((c) => ({ ...c, caFile: abs(c.caFile) })),
        users: kc.users.map((u) => ({ ...u, certFile: abs(u.certFile), keyFile: abs(u.keyFile) })),
    };
}
/**
 * client-node's mergeConfig as loadFromDefault uses it: a later file's current-context wins, and a
 * name defined twice is an error.
 */
function mergeKubeconfigs(files) {
    const out = { clusters: [], users: [], contexts: [] };
    for (const kc of files) {
        if (kc.currentContext)
            out.currentContext = kc.currentContext;
        const add = (into, items, what) => {
            for (const item of items) {
                if (into.some((x) => x.name === item.name))
                    throw new Error(`Duplicate ${what}: ${item.name}`);
                into.push(item);
            }
        };
        add(out.clusters, kc.clusters, 'cluster');
        add(out.users, kc.users, 'user');
        add(out.contexts, kc.contexts, 'context');
    }
    return out;
}
/** client-node's loadFromCluster: the service account a pod is given. */
function inClusterKubeconfig(env, namespace) {
    const host = env.KUBERNETES_SERVICE_HOST ?? '';
    const port = env.KUBERNETES_SERVICE_PORT ?? '';
    const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
    const server = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return {
        clusters: [{ name: 'inCluster', caFile: `${SERVICE_ACCOUNT}/ca.crt`, server, skipTLSVerify: false }],
        users: [
            {
                name: 'inClusterUser',
                authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICE_ACCOUNT}/token` } },
            },
        ],
        contexts: [{ cluster: 'inCluster', name: 'inClusterContext', user: 'inClusterUser', namespace }],
        currentContext: 'inClusterContext',
    };
}
/** client-node's loadFromDefault: KUBECONFIG's files, else ~/.kube/config, else the pod's service account. */
function loadDefaultKubeconfig(env) {
    const fromFile = (f) => absolutePaths(parseKubeconfig(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(f, 'utf8')), node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(f));
    const files = (env.KUBECONFIG ?? '').split((node_path__WEBPACK_IMPORTED_MODULE_2___default().delimiter)).filter(Boolean);
    if (files.length)
        return mergeKubeconfigs(files.map(fromFile));
    const home = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(env.HOME ?? node_os__WEBPACK_IMPORTED_MODULE_1___default().homedir(), '.kube', 'config');
    if (node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(home))
        return fromFile(home);
    const nsFile = `${SERVICE_ACCOUNT}/namespace`;
    return inClusterKubeconfig(env, node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(nsFile) ? node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(nsFile, 'utf8') : undefined);
}
/** The authenticators KubeConfig asks, in its order: the first that recognises the user applies. */
function authenticators() {
    return [
        new _kubernetes_client_node_dist_azure_auth_js__WEBPACK_IMPORTED_MODULE_5__/* .AzureAuth */ .M(),
        new _kubernetes_client_node_dist_gcp_auth_js__WEBPACK_IMPORTED_MODULE_8__/* .GoogleCloudPlatformAuth */ .m(),
        new _kubernetes_client_node_dist_exec_auth_js__WEBPACK_IMPORTED_MODULE_6__/* .ExecAuth */ .K(),
        new _kubernetes_client_node_dist_file_auth_js__WEBPACK_IMPORTED_MODULE_7__/* .FileAuth */ .v(),
        new _kubernetes_client_node_dist_oidc_auth_js__WEBPACK_IMPORTED_MODULE_9__/* .OpenIDConnectAuth */ .g(),
    ];
}
/**
 * client-node's applyOptions for one request: the cluster's CA and TLS name, the user's client
 * certificate, then the authenticator's token (an exec plugin may give a certificate instead), a
 * static token last. Asked for every request, as client-node does: the authenticators cache a
 * token until it expires and then renew it.
 */
async function credentialsFor(cluster, user, auth) {
    const bytes = (file, data) => file ? node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(file) : data ? Buffer.from(data, 'base64') : undefined;
    const opts = { headers: {} };
    if (user.username)
        opts.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
    if (user.impersonateUser)
        opts.headers['Impersonate-User'] = user.impersonateUser;
    opts.cert = bytes(user.certFile, user.certData);
    opts.key = bytes(user.keyFile, user.keyData);
    await auth.find((a) => a.isAuthProvider(user))?.applyAuthentication(user, opts);
    if (user.token)
        opts.headers.Authorization = `Bearer ${user.token}`;
    return {
        headers: opts.headers,
        ca: bytes(cluster.caFile, cluster.caData),
        cert: opts.cert,
        key: opts.key,
        rejectUnauthorized: cluster.skipTLSVerify ? false : undefined,
        servername: cluster.tlsServerName,
    };
}


/***/ })

};
;