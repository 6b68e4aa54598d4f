#!/usr/bin/env node
// Fault sweep of the docker target (issue 8): a live version of examples/hello-app under a steady
// load (hey, loopback only, bounded by -z), one fault injected per case while the bundled action
// (`node dist/index.js`, as the runner runs it) deploys, then a plain re-run of the same run.
// Prints, per fault: the run's exit code, its one-line error, failed/sent requests of the load,
// what was left behind (containers, lock, proxy), and whether the plain re-run succeeded.
//
// Usage: bash bench/fault-sweep.sh [--rate 100] [--only name,name]
// The default proxy `safe-deploy-proxy` is shared with other users of this engine: the faults stop,
// kill and remove it (that is the point); it is left running at the end.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { benchDirs, dockerInputs, PROXY, PROXY_IMAGE, runAction } from './lib/action.mjs';
import { HEY, spawnHey } from './lib/hey.mjs';

const APP = 'bench-fs';
const OTHER = 'bench-fs-other';
const ENVIRONMENT = 'production';
const IMAGE = '127.0.0.1:5000/bench-fault-sweep';
const PORT = 18970;
const OTHER_PORT = 18971;
const SECOND_CADDY_PORT = 18972;
const URL_ = `http://127.0.0.1:${PORT}/`;
const SSH_DIR = path.join(process.env.SAFE_DEPLOY_STATE_DIR ?? '/tmp/safe-deploy-services', 'ssh');

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const RATE = Number(arg('rate', '100'));
const ONLY = arg('only', '')?.split(',').filter(Boolean) ?? [];
if (!HEY) throw new Error('hey is not installed: run bash scripts/services.sh');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const docker = (...a) => {
  try {
    return execFileSync('docker', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    return `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
  }
};
const { runDir, workspace } = benchDirs('sd-bench-fs-');

function version(label, { healthy = true } = {}) {
  fs.writeFileSync(path.join(workspace, 'www/index.html'), `${label}\n`);
  const health = path.join(workspace, 'www/health');
  if (healthy) fs.writeFileSync(health, 'ok\n');
  else fs.rmSync(health, { force: true });
}

function inputs(extra = {}, app = APP, port = PORT) {
  return {
    ...dockerInputs({ image: IMAGE, app, publicPort: port }),
    'health-timeout': '20s',
    'health-interval': '250ms',
    'drain-timeout': '1s',
    'deploy-lock-wait': '30s',
    ...extra,
  };
}

/** Runs the action to its end. */
async function deploy(label, extra = {}, { sha = crypto.randomBytes(20).toString('hex'), app, port } = {}) {
  const r = await runAction({ runDir, workspace, label, sha, inputs: inputs(extra, app, port) }).catch(
    (err) => ({
      code: -1,
      lines: [{ text: `::error::${err}` }],
      outputs: {},
    }),
  );
  return { ...r, sha };
}

/** Calls `act` once the new version's container exists (the run is then probing it). */
async function whenContainerAppears(sha, act, delayMs = 300) {
  const prefix = `${APP}-${sha.slice(0, 7)}-`;
  for (let i = 0; i < 600; i++) {
    if (
      docker('ps', '--format', '{{.Names}}')
        .split('\n')
        .some((n) => n.startsWith(prefix))
    ) {
      await sleep(delayMs);
      return act();
    }
    await sleep(50);
  }
}

function startLoad(seconds = 90) {
  return spawnHey(URL_, { seconds, concurrency: 4, perWorker: Math.ceil(RATE / 4) });
}

function leftBehind() {
  const names = docker(
    'ps',
    '-a',
    '--filter',
    `label=safe-deploy.app=${APP}`,
    '--format',
    '{{.Names}}:{{.State}}',
  );
  const running = names.split('\n').filter((l) => l.endsWith(':running')).length;
  const stopped = names.split('\n').filter((l) => l && !l.endsWith(':running')).length;
  const lock = docker(
    'ps',
    '-a',
    '--filter',
    `name=^/safe-deploy-lock-${APP}-${ENVIRONMENT}$`,
    '--format',
    '{{.State}}',
  );
  const proxy = docker('inspect', '-f', '{{.State.Status}}', PROXY).split('\n')[0];
  const extras = [
    `${running} running, ${stopped} stopped`,
    lock ? `lock ${lock}` : 'no lock',
    `proxy ${proxy.startsWith('Error') ? 'missing' : proxy}`,
  ];
  return extras.join('; ');
}

const errorLine = (r) =>
  (r.lines ?? [])
    .map((l) => l.text)
    .find((t) => t.startsWith('::error::'))
    ?.replace('::error::', '')
    .slice(0, 150) ?? (r.code === 0 ? '-' : `(no error line; exit ${r.code})`);

async function fetchStatus(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return `${res.status} ${(await res.text()).trim().slice(0, 30)}`;
  } catch (err) {
    return `error ${err.cause?.code ?? err.message}`;
  }
}

// --- the faults ------------------------------------------------------------------------------------
const KEY = fs.existsSync(path.join(SSH_DIR, 'id_ed25519'))
  ? fs.readFileSync(path.join(SSH_DIR, 'id_ed25519'), 'utf8')
  : '';
const faults = [
  {
    name: 'fresh host (no proxy, volumes, network)',
    async run(label) {
      docker('rm', '-f', PROXY);
      for (const v of ['data', 'config', 'sites']) docker('volume', 'rm', `${PROXY}-${v}`);
      return deploy(label);
    },
    async after() {
      // every other app's route went with the volume: put the other bench app back
      await deploy('other-again', {}, { app: OTHER, port: OTHER_PORT });
    },
  },
  {
    name: '1 stopped/killed proxy',
    async run(label) {
      docker('kill', PROXY);
      return deploy(label);
    },
  },
  {
    name: '2 proxy killed during the health check',
    async run(label) {
      version(label, { healthy: false });
      const sha = crypto.randomBytes(20).toString('hex');
      const killer = whenContainerAppears(sha, () => docker('kill', PROXY), 500);
      const r = await deploy(label, { 'health-timeout': '30s' }, { sha });
      await killer;
      version(label);
      return r;
    },
  },
  {
    name: '3 proxy removed (other app routes)',
    async run(label) {
      docker('rm', '-f', PROXY);
      const r = await deploy(label);
      r.note = `other app: ${await fetchStatus(`http://127.0.0.1:${OTHER_PORT}/`)}`;
      return r;
    },
  },
  {
    name: '4 run SIGKILLed mid-deploy',
    async run(label) {
      version(label, { healthy: false });
      const sha = crypto.randomBytes(20).toString('hex');
      const r = await killRunAt(label, sha);
      version(label); // the re-run builds the same commit healthy
      return r;
    },
    rerunSameSha: true,
    rerunInputs: { rebuild: 'always', 'allow-rollback': 'false' },
  },
  {
    name: '5 previous container gone at auto-rollback',
    async run(label) {
      const prev = docker('ps', '--filter', `label=safe-deploy.app=${APP}`, '--format', '{{.Names}}').split(
        '\n',
      )[0];
      return deploy(label, {
        'smoke-command': `docker rm -f ${prev} >/dev/null; exit 1`,
        'health-url': `${URL_}health`,
      });
    },
    expectFailure: true,
  },
  {
    name: '6 SIGTERM after the switch',
    async run(label) {
      return signalRunAt(label, 'SIGTERM', /switched :\d+ to /, { 'drain-timeout': '15s' });
    },
  },
  {
    name: '7 unreachable docker-host',
    async run(label) {
      const marker = path.join(runDir, 'migrated');
      const r = await deploy(label, {
        'docker-host': 'tcp://127.0.0.1:1',
        'migrate-command': `touch ${marker}`,
      });
      r.note = fs.existsSync(marker) ? 'migration RAN' : 'no migration ran, nothing pushed';
      return r;
    },
    plainRerun: {},
  },
  {
    name: '8 second Caddy holding localhost:2019',
    async run(label) {
      docker('rm', '-f', 'bench-fs-second-caddy');
      docker(
        'run',
        '-d',
        '--name',
        'bench-fs-second-caddy',
        '--network',
        'host',
        PROXY_IMAGE,
        'sh',
        '-c',
        `printf '{\\n\\tadmin localhost:2019\\n}\\n:${SECOND_CADDY_PORT} {\\n\\trespond "second caddy"\\n}\\n' > /etc/caddy/Caddyfile && exec caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`,
      );
      await sleep(1500);
      const r = await deploy(label);
      r.note = `second caddy: ${await fetchStatus(`http://127.0.0.1:${SECOND_CADDY_PORT}/`)}`;
      docker('rm', '-f', 'bench-fs-second-caddy');
      return r;
    },
  },
  {
    name: '9 ssh host with no ssh-known-hosts',
    async run(label) {
      return deploy(label, { 'docker-host': 'ssh://root@127.0.0.1:2222', 'ssh-key': KEY });
    },
    plainRerun: {
      'docker-host': 'ssh://root@127.0.0.1:2222',
      'ssh-key': KEY,
      'ssh-known-hosts': keyscan(),
    },
  },
];

function keyscan() {
  try {
    return execFileSync('ssh-keyscan', ['-t', 'ed25519', '-p', '2222', '127.0.0.1'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

/** Runs the action and sends it `sig` once a line of its output matches `pattern`. */
async function signalRunAt(label, sig, pattern, extra = {}, sha = crypto.randomBytes(20).toString('hex')) {
  const r = await runAction({
    runDir,
    workspace,
    label,
    sha,
    inputs: inputs(extra),
    onSpawn: (_, child) => {
      let out = '';
      let sent = false;
      child.stdout.on('data', (d) => {
        out += d;
        if (!sent && pattern.test(out)) {
          sent = true;
          setTimeout(() => child.kill(sig), sig === 'SIGKILL' ? 300 : 200);
        }
      });
    },
  });
  return { ...r, sha };
}

const killRunAt = (label, sha) =>
  signalRunAt(label, 'SIGKILL', /probing http/, { 'health-timeout': '30s' }, sha);

// --- the sweep -----------------------------------------------------------------------------------
async function main() {
  console.log(
    `fault sweep: ${APP} on 127.0.0.1:${PORT}, hey at ${RATE} req/s (keep-alive off), dist/index.js`,
  );
  version('other-v1');
  const other = await deploy('other-v1', {}, { app: OTHER, port: OTHER_PORT });
  version('v0');
  const base = await deploy('v0');
  if (base.code !== 0 || other.code !== 0)
    throw new Error(`baseline deploys failed: ${errorLine(base)} ${errorLine(other)}`);
  const rows = [];
  for (const [i, f] of faults.entries()) {
    if (ONLY.length && !ONLY.some((o) => f.name.includes(o))) continue;
    const label = `v${i + 1}`;
    version(label);
    const load = startLoad();
    await sleep(1500);
    const r = await f.run(label);
    await sleep(1500);
    const hey = await load.stop();
    await sleep(500);
    const left = leftBehind();
    version(`${label}-rerun`);
    const rerun = f.rerunSameSha
      ? await deploy(`${label}-rerun`, f.rerunInputs ?? {}, { sha: r.sha })
      : await deploy(`${label}-rerun`, f.plainRerun ?? {});
    await f.after?.();
    rows.push({
      fault: f.name,
      exit: String(r.code),
      error: errorLine(r),
      failed: `${hey.failed}/${hey.sent}`,
      left: left + (r.note ? `; ${r.note}` : ''),
      rerun:
        rerun.code === 0
          ? `yes (${rerun.outputs?.result ?? '?'}, rollback=${rerun.outputs?.rollback ?? '?'})`
          : `NO: ${errorLine(rerun)}`,
    });
    console.log(`- ${f.name}: exit ${r.code}, ${hey.failed}/${hey.sent} failed, re-run ${rows.at(-1).rerun}`);
  }
  console.log('\n| fault | exit | one-line error | failed/sent | left behind | plain re-run |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.fault} | ${r.exit} | ${r.error.replace(/\|/g, '/')} | ${r.failed} | ${r.left} | ${r.rerun} |`,
    );
  // clean up this bench's apps; the proxy stays for other users
  for (const app of [APP, OTHER]) {
    const ids = docker('ps', '-aq', '--filter', `label=safe-deploy.app=${app}`).split('\n').filter(Boolean);
    if (ids.length) docker('rm', '-f', ...ids);
    docker('exec', PROXY, 'rm', '-f', `/etc/caddy/sites/${app}--${ENVIRONMENT}.caddy`);
  }
  docker('exec', PROXY, 'caddy', 'reload', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
