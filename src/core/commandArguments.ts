/**
 * One reading of what a command was given, whatever it came from: a node of any of our trees (the view
 * passes the node), a file URI (explorer menus), a name (keybindings, other extensions), or typed options
 * (tests, labs, the scheduler). The same node therefore works with every command that takes what it shows.
 * No vscode here: nodes are told apart by their `nodeType`, URIs by their shape.
 */

/** What a command's first argument (and an optional second, options) says. */
export interface CommandArgument<O> {
  /** The volume a node stands for (a volume row, one of its containers or files, a mount of it, a backup of it). */
  volume?: string;
  /** A backup file (a backup node, a file URI). */
  file?: string;
  /** The container a node stands for (a container, one of its mounts, a container using a volume). */
  container?: { id?: string; name: string; running?: boolean };
  /** A mount node: the mount's type and, for a bind, the host path. */
  mount?: { type: string; source?: string };
  /** A group node of the Volumes view: its kind. */
  group?: string;
  /** A plain string given as the argument: the caller's name for a volume or a file. */
  text?: string;
  /** Typed options: a plain object that is not a node, or the second argument after a node. */
  options: Partial<O>;
}

interface NodeLike {
  nodeType?: unknown;
  row?: { volume?: { name?: unknown } };
  volumeName?: unknown;
  use?: { containerName?: unknown; running?: unknown };
  container?: { id?: unknown; name?: unknown; running?: unknown };
  mount?: { type?: unknown; name?: unknown; source?: unknown };
  volume?: unknown;
  backup?: { file?: unknown; volume?: unknown };
  group?: { kind?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A vscode.Uri (or its JSON form) without importing vscode. */
const uriPath = (v: Record<string, unknown>): string | undefined =>
  typeof v.scheme === 'string' && typeof v.fsPath === 'string'
    ? v.scheme === 'file'
      ? v.fsPath
      : undefined
    : undefined;

function fromNode(node: NodeLike): Omit<CommandArgument<never>, 'options'> {
  switch (node.nodeType) {
    case 'volume':
      return { ...(str(node.row?.volume?.name) ? { volume: str(node.row?.volume?.name)! } : {}) };
    case 'usage': {
      const name = str(node.use?.containerName);
      return {
        ...(str(node.volumeName) ? { volume: str(node.volumeName)! } : {}),
        ...(name ? { container: { name, running: node.use?.running === true } } : {}),
      };
    }
    case 'files':
    case 'entry':
      return { ...(str(node.volumeName) ? { volume: str(node.volumeName)! } : {}) };
    case 'group':
      return { ...(str(node.group?.kind) ? { group: str(node.group?.kind)! } : {}) };
    case 'container':
      return containerPart(node);
    case 'mount': {
      const type = str(node.mount?.type) ?? '';
      const source = str(node.mount?.source);
      return {
        ...containerPart(node),
        mount: { type, ...(source ? { source } : {}) },
        ...(type === 'volume' && str(node.mount?.name) ? { volume: str(node.mount?.name)! } : {}),
      };
    }
    case 'backupVolume':
      return { ...(str(node.volume) ? { volume: str(node.volume)! } : {}) };
    case 'backup':
      return {
        ...(str(node.backup?.file) ? { file: str(node.backup?.file)! } : {}),
        ...(str(node.backup?.volume) ? { volume: str(node.backup?.volume)! } : {}),
      };
    default:
      return {};
  }
}

function containerPart(node: NodeLike): Pick<CommandArgument<never>, 'container'> {
  const name = str(node.container?.name);
  if (!name) return {};
  const id = str(node.container?.id);
  return {
    container: {
      name,
      ...(id ? { id } : {}),
      ...(typeof node.container?.running === 'boolean' ? { running: node.container.running } : {}),
    },
  };
}

/**
 * Whether a command reads `value` as typed options: any object that is not a list, a node of our trees (a string
 * `nodeType`) or a URI (a string `scheme`), whatever its prototype. The test-only filter uses this same reading, so
 * that no argument a handler takes as options escapes it.
 */
export function isOptionsArgument(value: unknown): value is Record<string, unknown> {
  return isObject(value) && typeof value.nodeType !== 'string' && typeof value.scheme !== 'string';
}

/** Reads a command's arguments: `arg` (node, URI, name or options) and `extra` (options after a node). */
export function readCommandArgument<O extends object>(arg: unknown, extra?: unknown): CommandArgument<O> {
  const extraOptions = isOptionsArgument(extra) ? (extra as Partial<O>) : undefined;
  if (typeof arg === 'string') return { text: arg, options: extraOptions ?? {} };
  if (!isObject(arg)) return { options: extraOptions ?? {} };
  const file = uriPath(arg);
  if (file !== undefined || typeof arg.scheme === 'string')
    return { ...(file ? { file } : {}), options: extraOptions ?? {} };
  if (typeof arg.nodeType === 'string') return { ...fromNode(arg), options: extraOptions ?? {} };
  return { options: { ...(arg as Partial<O>), ...extraOptions } };
}
