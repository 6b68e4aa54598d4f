import fs from 'node:fs';
import path from 'node:path';
import { randomSha, runAction, visibleLog, type ActionRun, type RunOptions } from '../helpers/action';
import {
  appTarget,
  appWorkspace,
  dockerDeployInputs,
  expectCode,
  live,
  portBlock,
  reloadProxy,
  removeApp,
  RUN,
  serving,
  type AppTarget,
} from '../helpers/deploy-app';
import { fetchText } from '../helpers/docker-app';

// Issue 10: the old version is stopped when the proxy has no connection left to it, not after a
// fixed drain-timeout; a long request in flight at the switch still finishes.

const ENV = 'production';
const t: AppTarget = appTarget(`sdd-drain-${RUN}`, portBlock(16000, 90)(), 'drain');

afterAll(async () => {
  await removeApp(t.app, ENV);
  await reloadProxy();
});

/** The example app plus /cgi-bin/slow, which answers after 3 s with the version's label. */
function workspace(label: string): string {
  const ws = appWorkspace(label);
  fs.mkdirSync(path.join(ws, 'www/cgi-bin'));
  fs.writeFileSync(
    path.join(ws, 'www/cgi-bin/slow'),
    `#!/bin/sh\nsleep 3\necho "Content-Type: text/plain"\necho\necho "slow ${label}"\n`,
    { mode: 0o755 },
  );
  return ws;
}

async function deploy(label: string, onSpawn?: RunOptions['onSpawn']): Promise<ActionRun & { ms: number }> {
  const started = Date.now();
  const run = await runAction({
    cwd: workspace(label),
    sha: randomSha(),
    onSpawn,
    inputs: { ...dockerDeployInputs(t, label), 'drain-timeout': '20s' },
  });
  return { ...run, ms: Date.now() - started };
}

const drainedMs = (run: ActionRun): number => Number(/drained in (\d+) ms/.exec(visibleLog(run))?.[1] ?? NaN);

test('a 3 s request started just before the switch completes with 200, and the drain waits for it only', async () => {
  expectCode(await deploy('v1'), 0);
  let slow: Promise<{ status: number; body: string }> | undefined;
  const run = await deploy('v2', (child) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!slow && /probing http/.test(out)) slow = fetchText(`${t.base}/cgi-bin/slow`);
    });
  });
  expectCode(run, 0);
  expect(await slow).toEqual({ status: 200, body: 'slow v1' });
  const ms = drainedMs(run);
  // The 200 above is the proof that v1 was not stopped mid-request (its shell kills httpd on
  // SIGTERM); the drain took the request's remaining time or the 2 s settle window…
  expect(ms).toBeGreaterThanOrEqual(2_000);
  expect(ms).toBeLessThan(10_000); // …and not the 20 s drain-timeout
  expect(run.summary).toMatch(
    /\| Drain \| old version stopped after [\d.]+ ?m?s \(1 connection\(s\) were still open\) \|/,
  );
  expect(await live(t)).toEqual(serving('v2'));
});

test('with nothing in flight the old version is stopped after the short settle window, not after drain-timeout', async () => {
  const run = await deploy('v3');
  expectCode(run, 0);
  expect(drainedMs(run)).toBeLessThan(3_000); // the 2 s settle window (drain.ts) and two polls
  expect(run.ms).toBeLessThan(15_000); // build + deploy, with a 20 s drain-timeout
  expect(await live(t)).toEqual(serving('v3'));
});
