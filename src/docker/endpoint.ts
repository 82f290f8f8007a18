import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { DockerError } from './errors';

export type EndpointSource = 'setting' | 'env' | 'context' | 'default';
export type Transport = 'unix' | 'npipe' | 'tcp' | 'ssh';

/** Which daemon we talk to, and why that one. */
export interface Endpoint {
  /** The address as Docker spells it, e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.2:2376`. */
  host: string;
  transport: Transport;
  /** unix socket or named pipe path. */
  socketPath?: string;
  hostname?: string;
  port?: number;
  username?: string;
  /** TLS for tcp: `certPath` holds ca.pem / cert.pem / key.pem. */
  tls?: { verify: boolean; certPath?: string };
  source: EndpointSource;
  /** The docker context the endpoint came from, when it did. */
  contextName?: string;
}

/** Everything endpoint resolution reads, passed in so the rules can be tested without touching the machine. */
export interface EndpointInputs {
  /** The `volumesLab.docker.host` setting (empty: unset). */
  setting?: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  homedir: string;
  exists(file: string): boolean;
  readFile(file: string): string | undefined;
}

/** An address the user gave (setting, DOCKER_HOST, context) that names no daemon; `message` says what is wrong. */
function badAddress(address: string, message: string): DockerError {
  return new DockerError('invalid', message, 'resolve endpoint').because({ id: 'badAddress', address });
}

/** The URL of a network address, which must name a host. */
function parseHostUrl(url: string, address: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badAddress(address, `"${address}" is not a valid Docker host address`);
  }
  if (!parsed.hostname) throw badAddress(address, `"${address}" names no host`);
  return parsed;
}

/** Parse a Docker host address (`unix://`, `npipe://`, `tcp://`, `http(s)://`, `ssh://`). */
export function parseDockerHost(
  address: string,
): Pick<Endpoint, 'host' | 'transport' | 'socketPath' | 'hostname' | 'port' | 'username'> {
  const host = address.trim();
  const match = /^([a-z]+):\/\/(.*)$/i.exec(host);
  if (!match)
    throw badAddress(
      address,
      `"${address}" is not a Docker host address (expected unix://, npipe://, tcp:// or ssh://)`,
    );
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  switch (scheme) {
    case 'unix': {
      if (!rest) throw badAddress(address, `"${address}" names no socket path`);
      return { host, transport: 'unix', socketPath: rest };
    }
    case 'npipe': {
      // npipe:////./pipe/docker_engine -> //./pipe/docker_engine
      const pipe = rest.replace(/^\/*/, '//').replace(/\\/g, '/');
      return { host, transport: 'npipe', socketPath: pipe };
    }
    case 'tcp':
    case 'http':
    case 'https': {
      const url = parseHostUrl(`http://${rest}`, address);
      const port = url.port ? Number(url.port) : scheme === 'https' ? 2376 : 2375;
      return { host, transport: 'tcp', hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
    }
    case 'ssh': {
      const url = parseHostUrl(`ssh://${rest}`, address);
      return {
        host,
        transport: 'ssh',
        hostname: url.hostname,
        port: url.port ? Number(url.port) : 22,
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      };
    }
    default:
      throw badAddress(address, `"${address}": unsupported scheme "${scheme}"`);
  }
}

function dockerConfigDir(inputs: EndpointInputs): string {
  return inputs.env.DOCKER_CONFIG || path.join(inputs.homedir, '.docker');
}

interface ContextMeta {
  Name?: string;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/** The current docker context's name: `DOCKER_CONTEXT`, else `currentContext` in config.json. */
export function currentContextName(inputs: EndpointInputs): string | undefined {
  const fromEnv = inputs.env.DOCKER_CONTEXT?.trim();
  if (fromEnv) return fromEnv;
  const config = inputs.readFile(path.join(dockerConfigDir(inputs), 'config.json'));
  if (!config) return undefined;
  try {
    const parsed = JSON.parse(config) as { currentContext?: unknown };
    return typeof parsed.currentContext === 'string' && parsed.currentContext ? parsed.currentContext : undefined;
  } catch {
    return undefined;
  }
}

function contextEndpoint(name: string, inputs: EndpointInputs): Endpoint {
  // The CLI stores each context under the sha256 of its name.
  const id = createHash('sha256').update(name).digest('hex');
  const configDir = dockerConfigDir(inputs);
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  const text = inputs.readFile(metaFile);
  if (!text) {
    throw new DockerError(
      'invalid',
      `Docker context "${name}" does not exist (no ${metaFile})`,
      'resolve endpoint',
    ).because({ id: 'contextMissing', context: name });
  }
  let meta: ContextMeta;
  try {
    meta = JSON.parse(text) as ContextMeta;
  } catch {
    throw new DockerError(
      'invalid',
      `Docker context "${name}" has an unreadable ${metaFile}`,
      'resolve endpoint',
    ).because({ id: 'contextBroken', context: name });
  }
  const docker = meta.Endpoints?.docker;
  if (!docker?.Host) {
    throw new DockerError('invalid', `Docker context "${name}" has no docker endpoint`, 'resolve endpoint').because({
      id: 'contextBroken',
      context: name,
    });
  }
  const parsed = parseDockerHost(docker.Host);
  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
  const hasTls = parsed.transport === 'tcp' && inputs.exists(path.join(tlsDir, 'ca.pem'));
  return {
    ...parsed,
    source: 'context',
    contextName: name,
    ...(hasTls ? { tls: { verify: !docker.SkipTLSVerify, certPath: tlsDir } } : {}),
  };
}

function defaultEndpoint(inputs: EndpointInputs): Endpoint {
  if (inputs.platform === 'win32') {
    return { ...parseDockerHost('npipe:////./pipe/docker_engine'), source: 'default' };
  }
  const candidates = ['/var/run/docker.sock'];
  const runtimeDir = inputs.env.XDG_RUNTIME_DIR;
  if (runtimeDir) candidates.push(path.join(runtimeDir, 'docker.sock')); // rootless Docker
  if (inputs.platform === 'darwin') candidates.push(path.join(inputs.homedir, '.docker', 'run', 'docker.sock'));
  candidates.push(path.join(inputs.homedir, '.docker', 'desktop', 'docker.sock')); // Docker Desktop for Linux
  const found = candidates.find((c) => inputs.exists(c)) ?? candidates[0]!;
  return { ...parseDockerHost(`unix://${found}`), source: 'default' };
}

/**
 * Which daemon to use: the `volumesLab.docker.host` setting, then `DOCKER_HOST` (with `DOCKER_TLS_VERIFY` /
 * `DOCKER_CERT_PATH`), then the current docker context, then the platform's default socket.
 */
export function resolveEndpoint(inputs: EndpointInputs): Endpoint {
  const setting = inputs.setting?.trim();
  if (setting) return { ...parseDockerHost(setting), source: 'setting', ...tlsFromEnv(setting, inputs) };

  const envHost = inputs.env.DOCKER_HOST?.trim();
  if (envHost) return { ...parseDockerHost(envHost), source: 'env', ...tlsFromEnv(envHost, inputs) };

  const context = currentContextName(inputs);
  if (context && context !== 'default') return contextEndpoint(context, inputs);

  return defaultEndpoint(inputs);
}

function tlsFromEnv(address: string, inputs: EndpointInputs): Pick<Endpoint, 'tls'> {
  const transport = parseDockerHost(address).transport;
  if (transport !== 'tcp') return {};
  const verify = inputs.env.DOCKER_TLS_VERIFY;
  const tlsWanted = (verify !== undefined && verify !== '' && verify !== '0') || /^https:/i.test(address);
  if (!tlsWanted) return {};
  return {
    tls: {
      verify: verify !== undefined && verify !== '' && verify !== '0',
      certPath: inputs.env.DOCKER_CERT_PATH || dockerConfigDir(inputs),
    },
  };
}

/** One line for people: where we connect and why. */
export function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.contextName ? `${endpoint.host} (context ${endpoint.contextName})` : endpoint.host;
}

/** Whether the daemon runs on this machine (a local socket or pipe): only then are its files and cores this host's. */
export function isLocalEndpoint(endpoint: Pick<Endpoint, 'transport'> | undefined): boolean {
  return endpoint?.transport === 'unix' || endpoint?.transport === 'npipe';
}

/** Where Docker's own installs put their socket or pipe: the daemon "this machine" means. */
function isStandardLocalAddress(socketPath: string): boolean {
  return (
    /^\/(var\/)?run\/docker\.sock$/.test(socketPath) ||
    /^\/run\/user\/\d+\/docker\.sock$/.test(socketPath) || // rootless Docker
    /\/\.docker\/(desktop|run)\/docker\.sock$/.test(socketPath) || // Docker Desktop
    /^[\\/]{2}\.[\\/]pipe[\\/](docker_engine|dockerDesktopLinuxEngine)$/i.test(socketPath)
  );
}

/**
 * A name short enough for a view's title (the full address is `describeEndpoint`'s): the docker context's, else the
 * remote machine's; undefined for Docker's standard socket or pipe of this machine, which the caller names in words.
 * Any other local socket is a second daemon (a private lab one, say): it gets its folder's name (its file's name when
 * the folder says nothing), so that it is never mistaken for the system's Docker.
 */
export function endpointShortName(endpoint: Endpoint): string | undefined {
  if (endpoint.contextName) return endpoint.contextName;
  if (isLocalEndpoint(endpoint)) {
    const socketPath = endpoint.socketPath ?? '';
    if (!socketPath || isStandardLocalAddress(socketPath)) return undefined;
    const parts = socketPath.split(/[\\/]/).filter(Boolean);
    const file = parts.at(-1) ?? socketPath;
    const folder = parts.at(-2);
    const name = folder && !['run', 'tmp', 'var', 'pipe', '.'].includes(folder) ? folder : file;
    // A side bar's title has room for about 17 characters after "Docker 20.10 · ".
    return name.length > 17 ? `${name.slice(0, 16)}…` : name;
  }
  return endpoint.hostname ?? endpoint.host;
}
