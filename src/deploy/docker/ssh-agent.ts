import http from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { isKnownKey, parseKnownHosts, unknownKeyMessage } from './known-hosts';

/**
 * HTTP to a remote Docker engine over SSH, the way the docker CLI does it: one SSH connection per
 * run, and each HTTP connection a `docker system dial-stdio` channel on it. (docker-modem's own ssh
 * transport opens a new SSH connection for every API call, dozens per deploy, and builds an
 * `ssh:` URL that Node deprecates.)
 */
const open = new Set<Client>();

export function sshAgent(config: ConnectConfig, knownHosts: string | undefined): http.Agent {
  let client: Promise<Client> | undefined;
  const host = config.host ?? '';
  const port = config.port ?? 22;
  const known = parseKnownHosts(knownHosts ?? '');
  const connect = (): Promise<Client> =>
    (client ??= new Promise<Client>((resolve, reject) => {
      // Checked before authentication: an unknown host never sees the key or any request.
      let refused: string | undefined;
      const hostVerifier = (key: Buffer): boolean => {
        if (isKnownKey(known, host, port, key)) return true;
        refused = unknownKeyMessage(host, port, key, known);
        return false;
      };
      const c = new Client();
      c.once('ready', () => {
        open.add(c);
        resolve(c);
      });
      c.once('error', (err) => {
        client = undefined;
        reject(refused ? new Error(refused) : err);
      });
      c.once('close', () => {
        client = undefined;
        open.delete(c);
      });
      c.connect({ ...config, hostVerifier });
    }));

  const agent = new http.Agent();
  // Node's Agent accepts a socket through the callback when createConnection returns nothing.
  (agent as unknown as { createConnection: unknown }).createConnection = (
    _options: unknown,
    done: (err: Error | null, socket?: Duplex) => void,
  ): undefined => {
    connect()
      .then((c) =>
        c.exec('docker system dial-stdio', (err, stream) => (err ? done(err) : done(null, stream))),
      )
      .catch((err: Error) => done(err));
    return undefined;
  };
  return agent;
}

/** Ends every SSH connection, so the process can exit when the run is done. */
export function closeSshConnections(): void {
  for (const c of open) c.end();
  open.clear();
}
