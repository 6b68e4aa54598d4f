import http from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';

/**
 * HTTP to a remote Docker engine over SSH, the way the docker CLI does it: one SSH connection per
 * run, and each HTTP connection a `docker system dial-stdio` channel on it. (docker-modem's own ssh
 * transport opens a new SSH connection for every API call, dozens per deploy, and builds an
 * `ssh:` URL that Node deprecates.)
 */
const open = new Set<Client>();

export function sshAgent(config: ConnectConfig): http.Agent {
  let client: Promise<Client> | undefined;
  const connect = (): Promise<Client> =>
    (client ??= new Promise<Client>((resolve, reject) => {
      const c = new Client();
      c.once('ready', () => {
        open.add(c);
        resolve(c);
      });
      c.once('error', (err) => {
        client = undefined;
        reject(err);
      });
      c.once('close', () => {
        client = undefined;
        open.delete(c);
      });
      c.connect(config);
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
