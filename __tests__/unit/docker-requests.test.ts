import { execFileSync, spawnSync } from 'node:child_process';
import net from 'node:net';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, parseInputs } from '../../src/inputs';
import { DEFAULT_PROXY_ADMIN, DEFAULT_PROXY_IMAGE } from '../../src/deploy/docker/defaults';
import { drainedBy, leftOf } from '../../src/deploy/docker/drain';
import { clientConnections, connectionsTo } from '../../src/deploy/docker/proc-net';
import {
  fingerprint,
  isKnownKey,
  knownHostsLine,
  parseKnownHosts,
  unknownKeyMessage,
} from '../../src/deploy/docker/known-hosts';
import { parsePortTable, PORTS_SCRIPT } from '../../src/deploy/docker/containers';
import { lockCreateBody } from '../../src/deploy/docker/lock';
import { mainCaddyfile, proxyCreateBody, switchSiteExec } from '../../src/deploy/docker/proxy';
import type { RunReport } from '../../src/report/run-report';
import { writeReport } from '../../src/report/write-report';
import { registerSecret } from '../../src/secrets';

const getter = (values: Record<string, string>) => (name: string) => values[name] ?? '';

// An ed25519 host key blob and lines in the formats ssh-keyscan prints (`-H`: hashed names);
// the integration test in deploy-ssh.test.ts checks the same code against the real tool's output.
const HOST_KEY = Buffer.from(
  'AAAAC3NzaC1lZDI1NTE5AAAAIDEc44VgJ5Z/tAx+JI6CBnjnGR1yB3ZurnQPri53XmeI',
  'base64',
);
const OTHER_KEY = Buffer.from(
  'AAAAC3NzaC1lZDI1NTE5AAAAIHGLb/6+lNUt8ebLVeGrNDb1BTsYKibHuF5O5R0CWkq1',
  'base64',
);
function hashed(name: string): string {
  const salt = crypto.randomBytes(20);
  const mac = crypto.createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${mac}`;
}
const b64 = HOST_KEY.toString('base64');

describe('known hosts', () => {
  test.each([
    ['plain, port 22', `app1.example.com ssh-ed25519 ${b64}`, 'app1.example.com', 22, true],
    ['several names', `app1,10.0.0.5 ssh-ed25519 ${b64}`, '10.0.0.5', 22, true],
    ['[host]:port', `[127.0.0.1]:2222 ssh-ed25519 ${b64}`, '127.0.0.1', 2222, true],
    ['port must match', `127.0.0.1 ssh-ed25519 ${b64}`, '127.0.0.1', 2222, false],
    ['hashed', `${hashed('[127.0.0.1]:2222')} ssh-ed25519 ${b64}`, '127.0.0.1', 2222, true],
    ['hashed other host', `${hashed('10.9.9.9')} ssh-ed25519 ${b64}`, '127.0.0.1', 22, false],
    ['comment and marker lines skipped', `# c\n@revoked * ssh-ed25519 ${b64}\n`, 'x', 22, false],
  ])('%s', (_, text, host, port, known) => {
    expect(isKnownKey(parseKnownHosts(text), host, port, HOST_KEY)).toBe(known);
  });

  test('another key for the host is a mismatch', () => {
    expect(isKnownKey(parseKnownHosts(`[h]:2222 ssh-ed25519 ${b64}`), 'h', 2222, OTHER_KEY)).toBe(false);
  });

  test('the message names why, the fingerprint as ssh-keygen -l prints it, and the line to add', () => {
    expect(fingerprint(HOST_KEY)).toBe('SHA256:3T2jK03G0c9RuH4jsZIhdy9HU+foR9sfwUWKFUEJR9I');
    expect(knownHostsLine('127.0.0.1', 2222, HOST_KEY)).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${b64}`);
    const none = unknownKeyMessage('127.0.0.1', 2222, HOST_KEY, []);
    expect(none).toMatch(
      /^ssh-known-hosts is not set: \[127\.0\.0\.1\]:2222 presented ssh-ed25519 key SHA256:/,
    );
    expect(none).toContain(`add this line to ssh-known-hosts: [127.0.0.1]:2222 ssh-ed25519 ${b64}`);
    const other = parseKnownHosts(`[127.0.0.1]:2222 ssh-ed25519 ${OTHER_KEY.toString('base64')}`);
    expect(unknownKeyMessage('127.0.0.1', 2222, HOST_KEY, other)).toMatch(/does not match ssh-known-hosts/);
    const elsewhere = parseKnownHosts(`other.host ssh-ed25519 ${b64}`);
    expect(unknownKeyMessage('127.0.0.1', 2222, HOST_KEY, elsewhere)).toMatch(
      /has no key for \[127\.0\.0\.1\]:2222/,
    );
  });
});

describe('Docker request bodies', () => {
  test.each([
    ['host network', 'host', [] as string[]],
    ['bridge, one port', 'safe-deploy', ['80/tcp']],
    ['bridge, https', 'safe-deploy', ['80/tcp', '443/tcp']],
  ])('proxy create body: %s', (_, network, ports) => {
    const body = proxyCreateBody({ name: 'p', image: 'caddy:2', network }, ports);
    expect(body.HostConfig?.Binds).toEqual(['p-data:/data', 'p-config:/config', 'p-sites:/etc/caddy/sites']);
    expect(body.HostConfig?.Tmpfs).toEqual({ '/run/caddy': 'mode=0700' });
    expect(body.HostConfig?.RestartPolicy).toEqual({ Name: 'unless-stopped' });
    expect(Object.keys(body.ExposedPorts ?? {})).toEqual(ports);
    expect(body.HostConfig?.PortBindings).toEqual(
      Object.fromEntries(ports.map((p) => [p, [{ HostPort: p.split('/')[0] }]])),
    );
  });

  test('the proxy admin is a Unix socket in the tmpfs, never a TCP address', () => {
    expect(DEFAULT_PROXY_ADMIN).toBe('unix//run/caddy/admin.sock');
    expect(mainCaddyfile(DEFAULT_PROXY_ADMIN)).toContain('\tadmin unix//run/caddy/admin.sock\n');
  });

  test('lock body: attached stdin, a lease loop, removed when it exits, no network', () => {
    const body = lockCreateBody({ name: 'safe-deploy-lock-a-b', image: 'px', runId: '42', runUrl: 'u' }, 'T');
    expect(body).toMatchObject({
      name: 'safe-deploy-lock-a-b',
      Image: 'px',
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      HostConfig: { NetworkMode: 'none', AutoRemove: true },
      Labels: {
        'safe-deploy.role': 'lock',
        'safe-deploy.lock.kind': 'lease',
        'safe-deploy.lock.holder': '42',
      },
    });
    expect(body.Entrypoint).toEqual(['sh', '-c', 'while read -t 20 line; do :; done']);
  });
});

describe('defaults and small inputs', () => {
  test("action.yml's proxy-image default is the code's one default", () => {
    const yml = fs.readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
    const block = /\n {2}proxy-image:\n(?: {4}.*\n)+/.exec(yml)?.[0] ?? '';
    expect(block).toContain(`default: ${DEFAULT_PROXY_IMAGE}`);
    expect(parseInputs(getter({})).deploy.proxyImage).toBe(DEFAULT_PROXY_IMAGE);
  });

  test.each(['0', '0s', '0ms'])('health-interval %s is refused: it must be above zero', (v) => {
    expect(() => parseInputs(getter({ 'health-interval': v }))).toThrow(InputError);
    expect(() => parseInputs(getter({ 'health-interval': v }))).toThrow(/health-interval.*above zero/);
  });

  test('ssh-known-hosts is read as given', () => {
    expect(parseInputs(getter({ 'ssh-known-hosts': 'h ssh-ed25519 AAAA' })).deploy.sshKnownHosts).toBe(
      'h ssh-ed25519 AAAA',
    );
  });
});

test('a failing annotation write cannot escape the report: the summary is still written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-report-'));
  const summary = path.join(dir, 'summary.md');
  fs.writeFileSync(summary, '');
  process.env.GITHUB_STEP_SUMMARY = summary;
  registerSecret('a-registered-secret'); // redact then splits every message
  const report = {
    environment: 'production',
    records: [],
    dryRun: false,
    durationMs: 1,
    // A message that is not text makes writeAnnotations throw (redact splits it).
    gate: { status: 'failed', detail: 'x', annotations: [{ level: 'error', message: undefined }] },
  } as unknown as RunReport;
  await expect(writeReport(report)).resolves.toBeUndefined();
  expect(fs.readFileSync(summary, 'utf8')).toContain('safe-deploy');
});

describe('drain evidence: connections to the old upstream in /proc/net/tcp{,6}', () => {
  const procNet = ['tcp', 'tcp6']
    .map((f) => fs.readFileSync(new URL(`../fixtures/proc-net/${f}`, import.meta.url), 'utf8'))
    .join('');
  test.each([
    [
      'the upstream: one IPv4 and one IPv4-mapped connection open, the closing one not',
      '127.0.0.1',
      18377,
      2,
    ],
    ['another port', '127.0.0.1', 18378, 0],
    ['another address', '10.0.0.5', 18377, 0],
  ])('%s', (_, ip, port, n) => {
    expect(connectionsTo(procNet, { ip, port })).toBe(n);
  });
  test('an address that is not IPv4 gives no evidence', () => {
    expect(connectionsTo(procNet, { ip: 'fe80::1', port: 18377 })).toBeUndefined();
  });

  // The server side of the fixture's three clients of :18377 (47C9): two open, one the client
  // closed (CLOSE_WAIT: the server may still be answering it); the clients' own ends and the
  // listener are not client connections.
  const open860A = '0000000000000000FFFF00000100007F:47C9>0000000000000000FFFF00000100007F:860A';
  const open8612 = '0000000000000000FFFF00000100007F:47C9>0000000000000000FFFF00000100007F:8612';
  const closing8618 = '0000000000000000FFFF00000100007F:47C9>0000000000000000FFFF00000100007F:8618';
  test.each([
    ['the public port', [18377], [open860A, open8612, closing8618]],
    ['two ports, one of them in use', [80, 18377], [open860A, open8612, closing8618]],
    ['another port', [18378], []],
    ['no ports', [], []],
  ])('client connections to %s', (_, ports, keys) => {
    expect([...clientConnections(procNet, ports)].sort()).toEqual([...keys].sort());
  });

  const upstream = { ip: '127.0.0.1', port: 18377 };
  test.each([
    [
      'the first read: the connection open before the reload is old, the others unsure',
      new Set([open860A]),
      undefined,
      { upstream: 2, old: 1, unsure: 2 },
    ],
    [
      'a later read: only the first read’s unsure ones stay unsure, a newer one is the new config’s',
      new Set([open860A]),
      new Set([open8612]),
      { upstream: 2, old: 1, unsure: 1 },
    ],
    [
      'nothing was open before the reload',
      new Set<string>(),
      new Set<string>(),
      { upstream: 2, old: 0, unsure: 0 },
    ],
  ])('%s', (_, before, unsure, left) => {
    expect(leftOf(procNet, [upstream], [18377], before, unsure)?.left).toEqual(left);
  });
  test('the first read hands back every client connection, to tell the unsure ones later', () => {
    expect(leftOf(procNet, [], [18377], new Set(), undefined)?.clients.size).toBe(3);
  });
  test('an old upstream that is not IPv4 gives no evidence', () => {
    expect(leftOf(procNet, [{ ip: 'fe80::1', port: 1 }], [18377], new Set(), undefined)).toBeUndefined();
  });

  test.each([
    ['nothing left', { upstream: 0, old: 0, unsure: 0 }, 0, true],
    ['a request still on the old upstream', { upstream: 1, old: 0, unsure: 0 }, 60_000, false],
    ['an old client connection not yet dialed upstream', { upstream: 0, old: 1, unsure: 0 }, 60_000, false],
    [
      'a connection of either config, within the settle window',
      { upstream: 0, old: 0, unsure: 2 },
      1_999,
      false,
    ],
    [
      'a connection of either config, after the settle window',
      { upstream: 0, old: 0, unsure: 2 },
      2_000,
      true,
    ],
  ])('drained? %s', (_, left, elapsed, drained) => {
    expect(drainedBy(left, elapsed, 2_000)).toBe(drained);
  });
});

describe('the switch exec: site file and reload in one round trip', () => {
  // The argv runs here with the machine's sh (busybox and dash read it alike) and a stand-in
  // `caddy` on PATH that records its arguments and exits with the code the case gives.
  function runSwitch(content: string, caddyExit: number, writable = true, ports: number[] = [1]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-switch-'));
    const sites = path.join(dir, 'sites');
    fs.mkdirSync(sites);
    if (!writable) fs.rmdirSync(sites); // root writes anywhere: a missing directory still fails
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'caddy'),
      `#!/bin/sh\necho "$@" > ${dir}/caddy-args\necho caddy-says\nexit ${caddyExit}\n`,
      {
        mode: 0o755,
      },
    );
    const file = path.join(sites, 'my app--prod.caddy');
    const { cmd, env } = switchSiteExec(file, content, ports);
    const [sh, ...args] = cmd;
    const r = spawnSync(sh ?? 'sh', args, {
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        ...Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
      },
      encoding: 'utf8',
    });
    const read = (f: string): string | undefined =>
      fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      site: read(file),
      caddy: read(path.join(dir, 'caddy-args')),
      leftovers: fs.existsSync(sites) ? fs.readdirSync(sites) : [],
    };
  }

  test.each([
    ['a plain site', ':8080 {\n\treverse_proxy 127.0.0.1:23001\n}\n'],
    ['quotes, $ and backslashes stay as written', `# "x" 'y' $HOME \\n %s %%\n:80 { respond "\\$1" }\n`],
    ['no trailing newline', ':80 { respond ok }'],
  ])('%s: written byte for byte, then caddy reload', (_, content) => {
    const { stdout, stderr, ...r } = runSwitch(content, 0);
    // stdout is this machine's TCP table, read before the reload; caddy's own words go to stderr.
    expect(stdout).toMatch(/^\s*sl\s+local_address\s+rem_address/);
    expect(stdout.trim().split('\n')).toHaveLength(2); // the two headers: nothing is open on port 1
    expect(stdout).not.toContain('caddy-says');
    expect(stderr).toBe('caddy-says\n');
    expect(r).toEqual({
      status: 0,
      site: content,
      caddy: 'reload --config /etc/caddy/Caddyfile --adapter caddyfile\n',
      leftovers: ['my app--prod.caddy'],
    });
  });

  test('the table keeps the public ports’ open server-side connections, as the kernel writes them', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as net.AddressInfo).port;
    const accepted = new Promise<void>((resolve) => server.once('connection', () => resolve()));
    const clients = [net.connect(port, '127.0.0.1'), net.connect(otherPort, '127.0.0.1')];
    await accepted;
    try {
      const { stdout } = runSwitch(':80 {}', 0, true, [443, port]);
      const keys = [...clientConnections(stdout, [port])];
      const client = clients[0]?.address() as net.AddressInfo;
      expect(keys).toEqual([
        expect.stringMatching(new RegExp(`:${client.port.toString(16).toUpperCase().padStart(4, '0')}$`)),
      ]);
      expect(clientConnections(stdout, [otherPort]).size).toBe(0); // not a public port: not kept
      expect(stdout).not.toMatch(/ 0A /); // no listening socket either
    } finally {
      for (const c of clients) c.destroy();
      server.close();
      other.close();
    }
  });

  test('a config caddy rejects: its exit code comes back, the file stays for the caller to restore', () => {
    expect(runSwitch(':80 {', 1)).toMatchObject({ status: 1, site: ':80 {' });
  });

  test('a file that cannot be written: exit 97 and caddy never runs', () => {
    expect(runSwitch(':80 {}', 0, false)).toMatchObject({ status: 97, caddy: undefined, site: undefined });
  });
});

describe('the port table, from this machine’s own /proc/net/tcp', () => {
  test('a listening socket and a connected one are told apart', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const listening = (server.address() as net.AddressInfo).port;
    const client = net.connect(listening, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    try {
      // The same script readPorts runs in the proxy, run here by the machine's sh and awk.
      const table = parsePortTable(execFileSync('sh', ['-c', PORTS_SCRIPT], { encoding: 'utf8' }));
      expect(table.listening.has(listening)).toBe(true);
      expect(table.any.has(client.localPort ?? 0)).toBe(true);
      expect(table.listening.has(client.localPort ?? 0)).toBe(false);
    } finally {
      client.destroy();
      server.close();
    }
  });

  test.each([
    ['', [], []],
    ['1F90 0A\n1F90 06\n5DC1 01\n', [8080, 24001], [8080]],
    ['garbage\n0050 0A', [80], [80]],
  ])('%j', (text, any, listening) => {
    const t = parsePortTable(text);
    expect([...t.any].sort((a, b) => a - b)).toEqual(any);
    expect([...t.listening]).toEqual(listening);
  });
});
