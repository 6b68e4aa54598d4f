import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { slackMessage } from '../../src/notify/message';
import { sendWebhook } from '../../src/notify/webhook';

// sendWebhook against a local receiver on 127.0.0.1. The path stands in for the secret part of a
// Slack webhook URL: no warning may contain it.
const SECRET_PATH = '/services/T000/B000/s3cr3tT0k3n';

interface Received {
  method?: string;
  url?: string;
  contentType?: string;
  body: string;
}

let server: http.Server;
let base = '';
let received: Received[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (req.url?.endsWith('/slow')) return; // never answers: the client's timeout must end it
      if (req.url?.endsWith('/broken')) return void res.writeHead(500).end(`no ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  received = [];
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const collect = (): { warnings: string[]; warn: (m: string) => void } => {
  const warnings: string[] = [];
  return { warnings, warn: (m) => warnings.push(m) };
};

const expectNoSecret = (warnings: string[]): void => {
  for (const w of warnings) {
    expect(w).not.toContain(SECRET_PATH);
    expect(w).not.toContain('s3cr3t');
    expect(w).toContain('the notify-webhook');
  }
};

test('posts the message as JSON and returns true on 2xx', async () => {
  const message = slackMessage({
    repository: 'acme/api',
    environment: 'production',
    result: 'deployed',
    branch: 'main',
    sha: 'abc1234def5678',
    actor: 'octocat',
  });
  const { warnings, warn } = collect();
  expect(await sendWebhook(`${base}${SECRET_PATH}`, message, { warn })).toBe(true);
  expect(warnings).toEqual([]);
  expect(received).toHaveLength(1);
  const [r] = received;
  expect(r!.method).toBe('POST');
  expect(r!.url).toBe(SECRET_PATH);
  expect(r!.contentType).toBe('application/json; charset=utf-8');
  expect(r!.body).toBe(JSON.stringify(message));
  expect(JSON.parse(r!.body)).toEqual(message);
});

test('a 500 answer is a warning without the URL, and false', async () => {
  const { warnings, warn } = collect();
  expect(await sendWebhook(`${base}${SECRET_PATH}/broken`, { text: 'x' }, { warn })).toBe(false);
  expect(warnings).toEqual(['Notification not sent: the notify-webhook answered HTTP 500.']);
  expectNoSecret(warnings);
});

test('a closed port is a warning with the error code, without the URL', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));

  const { warnings, warn } = collect();
  expect(await sendWebhook(`http://127.0.0.1:${port}${SECRET_PATH}`, { text: 'x' }, { warn })).toBe(false);
  expect(warnings).toEqual([
    'Notification not sent: the notify-webhook could not be reached (ECONNREFUSED).',
  ]);
  expectNoSecret(warnings);
});

test('a receiver slower than timeoutMs is a warning, and false, soon after the timeout', async () => {
  const { warnings, warn } = collect();
  const started = Date.now();
  expect(await sendWebhook(`${base}${SECRET_PATH}/slow`, { text: 'x' }, { timeoutMs: 300, warn })).toBe(
    false,
  );
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(received).toHaveLength(1); // it was sent; the answer never came
  expect(warnings).toEqual(['Notification not sent: the notify-webhook did not answer within 0.3s.']);
  expectNoSecret(warnings);
});

test('an invalid URL or a body that is not JSON is a warning, never a throw', async () => {
  const { warnings, warn } = collect();
  expect(await sendWebhook(`not a url ${SECRET_PATH}`, { text: 'x' }, { warn })).toBe(false);
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  expect(await sendWebhook(`${base}${SECRET_PATH}`, circular, { warn })).toBe(false);
  expect(received).toEqual([]);
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toBe(
    'Notification not sent: the notify-webhook could not be reached (ERR_INVALID_URL).',
  );
  for (const w of warnings) expect(w).not.toContain('s3cr3t');
});
