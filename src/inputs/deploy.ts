import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors';
import {
  type InputGetter,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseKeyValues,
  parseList,
  parseNumber,
} from './values';
import { parseStatusRanges } from '../util/status-ranges';
import { decodeKubeconfig, kubeconfigSecrets } from './kubeconfig';
import { DEFAULT_PROXY_IMAGE } from '../deploy/docker/defaults';

export interface DeployInputs {
  /** Unset: no deploy stage. `docker`, `kubernetes` and `command` are available today. */
  deployTo?: 'docker' | 'kubernetes' | 'command';
  deployCommand?: string;
  rollbackCommand?: string;
  /** Container name prefix; undefined means the repository's name. */
  app?: string;
  dockerHost?: string;
  sshKey?: string;
  /** known_hosts lines for an ssh:// docker-host (required there: without them nothing connects). */
  sshKnownHosts?: string;
  port: number;
  /** From `env` and `env-file` (values are secrets). */
  env: Record<string, string>;
  volumes: string[];
  network: string;
  proxy: 'caddy' | 'none';
  proxyImage: string;
  publicPort: number;
  domain?: string;
  drainMs: number;
  retain: number;
  lockWaitMs: number;
  kube: KubeInputs;
}

/** deploy-to: kubernetes. `app` names the Deployment. */
export interface KubeInputs {
  /** kubeconfig contents, decoded from base64 when given so (a secret); unset: the runner's KUBECONFIG. */
  kubeconfig?: string;
  context?: string;
  /** Unset: the context's namespace, else `default`. */
  namespace?: string;
  /** Unset: the only container, else the one named like app. */
  container?: string;
  rolloutTimeoutMs: number;
}

/** Kubernetes object names (DNS-1123 labels) for namespaces and containers. */
const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseKube(get: InputGetter, onSecret: (v: string) => void): KubeInputs {
  const opt = (n: string): string | undefined => get(n) || undefined;
  const raw = opt('kubeconfig');
  const kubeconfig = raw === undefined ? undefined : decodeKubeconfig(raw);
  if (kubeconfig) {
    onSecret(kubeconfig);
    for (const s of kubeconfigSecrets(kubeconfig)) onSecret(s);
  }
  const namespace = opt('kube-namespace');
  if (namespace !== undefined && !DNS_LABEL_RE.test(namespace))
    throw new InputError(
      'kube-namespace',
      namespace,
      'expected a namespace name (lower-case letters, digits and "-", at most 63)',
    );
  const container = opt('kube-container');
  if (container !== undefined && !DNS_LABEL_RE.test(container))
    throw new InputError(
      'kube-container',
      container,
      'expected a container name (lower-case letters, digits and "-", at most 63)',
    );
  return {
    kubeconfig,
    context: opt('kube-context'),
    namespace,
    container,
    rolloutTimeoutMs: parseDuration('rollout-timeout', get('rollout-timeout') || '10m'),
  };
}

export interface VerifyInputs {
  healthPath: string;
  healthUrl?: string;
  healthTimeoutMs: number;
  healthIntervalMs: number;
  healthStatus: string;
  smokeCommand?: string;
  autoRollback: boolean;
}

const APP_RE = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const DEPLOY_TARGETS = ['docker', 'swarm', 'kubernetes', 'command'] as const;

export function parseDeploy(get: InputGetter, workDir: string, onSecret: (v: string) => void): DeployInputs {
  const opt = (n: string): string | undefined => get(n) || undefined;
  const target = opt('deploy-to');
  if (target !== undefined) {
    const t = parseEnum('deploy-to', target, DEPLOY_TARGETS);
    if (t === 'swarm') {
      throw new InputError(
        'deploy-to',
        target,
        'expected docker, kubernetes or command (swarm is not available in this version)',
      );
    }
  }
  const app = opt('app');
  if (app !== undefined && !APP_RE.test(app)) {
    throw new InputError(
      'app',
      app,
      'expected lower-case letters, digits, ".", "_" or "-" (at most 63), starting with a letter or digit',
    );
  }
  const host = opt('docker-host');
  if (host !== undefined && !/^(unix|tcp|ssh|npipe):\/\/\S+$/.test(host)) {
    throw new InputError('docker-host', host, 'expected unix://…, tcp://host:port or ssh://user@host[:port]');
  }
  const env = {
    ...readEnvFile(opt('env-file'), workDir),
    ...parseKeyValues('env', get('env'), { secret: true }),
  };
  for (const v of Object.values(env)) onSecret(v);
  const domain = opt('domain');
  if (domain !== undefined && !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(domain)) {
    throw new InputError('domain', domain, 'expected a host name such as app.example.com');
  }
  const network = get('network') || 'safe-deploy';
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(network))
    throw new InputError('network', network, 'expected a Docker network name');
  return {
    deployTo:
      target === undefined ? undefined : (target.trim().toLowerCase() as 'docker' | 'kubernetes' | 'command'),
    deployCommand: opt('deploy-command'),
    rollbackCommand: opt('rollback-command'),
    app,
    dockerHost: host,
    sshKey: opt('ssh-key'),
    sshKnownHosts: opt('ssh-known-hosts'),
    port: parseNumber('port', get('port') || '3000', 1, 65535, true),
    env,
    volumes: parseList(get('volumes')),
    network,
    proxy: parseEnum('proxy', get('proxy') || 'caddy', ['caddy', 'none'] as const),
    proxyImage: get('proxy-image') || DEFAULT_PROXY_IMAGE,
    publicPort: parseNumber('public-port', get('public-port') || '80', 1, 65535, true),
    domain,
    drainMs: parseDuration('drain-timeout', get('drain-timeout') || '30s'),
    retain: parseNumber('retain', get('retain') || '5', 0, 100, true),
    lockWaitMs: parseDuration('deploy-lock-wait', get('deploy-lock-wait') || '10m'),
    kube: parseKube(get, onSecret),
  };
}

export function parseVerify(get: InputGetter): VerifyInputs {
  const healthPath = get('health-path') || '/health';
  if (!healthPath.startsWith('/'))
    throw new InputError('health-path', healthPath, 'expected a path starting with /');
  const healthUrl = get('health-url') || undefined;
  if (healthUrl !== undefined && !/^https?:\/\/\S+$/.test(healthUrl)) {
    throw new InputError('health-url', healthUrl, 'expected an http:// or https:// URL');
  }
  const healthStatus = get('health-status') || '200-399';
  try {
    parseStatusRanges(healthStatus);
  } catch {
    throw new InputError(
      'health-status',
      healthStatus,
      'expected status codes or ranges such as 200-399 or 200,204',
    );
  }
  return {
    healthPath,
    healthUrl,
    healthTimeoutMs: parseDuration('health-timeout', get('health-timeout') || '60s'),
    healthIntervalMs: positive('health-interval', get('health-interval') || '1s'),
    healthStatus,
    smokeCommand: get('smoke-command') || undefined,
    autoRollback: parseBoolean('auto-rollback', get('auto-rollback') || 'true'),
  };
}

/** A duration that must be more than zero (an interval of 0 would probe in a busy loop). */
function positive(name: string, raw: string): number {
  const ms = parseDuration(name, raw);
  if (ms <= 0) throw new InputError(name, raw, 'expected a duration above zero, such as 250ms or 1s');
  return ms;
}

function readEnvFile(file: string | undefined, workDir: string): Record<string, string> {
  if (!file) return {};
  const full = path.resolve(workDir, file);
  if (!fs.existsSync(full))
    throw new InputError('env-file', file, `expected an existing file (looked for ${full})`);
  return parseKeyValues('env-file', fs.readFileSync(full, 'utf8'), { secret: true });
}

export interface RollbackInputs {
  /** `previous` or a commit SHA (7 to 40 hex): deploy that already-built version and nothing else. */
  rollbackTo?: string;
  allowRollback: boolean;
  notifyWebhook?: string;
  notifyOn: 'failure' | 'always' | 'never';
}

export function parseRollback(get: InputGetter): RollbackInputs {
  const to = get('rollback-to') || undefined;
  if (to !== undefined && to !== 'previous' && !/^[0-9a-f]{7,40}$/i.test(to)) {
    throw new InputError('rollback-to', to, 'expected previous or a commit SHA (7 to 40 hex characters)');
  }
  const hook = get('notify-webhook') || undefined;
  if (hook !== undefined && !/^https?:\/\/\S+$/.test(hook)) {
    throw new InputError('notify-webhook', hook, 'expected an http(s):// incoming-webhook URL', {
      secret: true,
    });
  }
  return {
    rollbackTo: to?.toLowerCase(),
    allowRollback: parseBoolean('allow-rollback', get('allow-rollback') || 'true'),
    notifyWebhook: hook,
    notifyOn: parseEnum('notify-on', get('notify-on') || 'failure', ['failure', 'always', 'never'] as const),
  };
}
