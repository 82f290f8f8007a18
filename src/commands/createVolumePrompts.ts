import * as vscode from 'vscode';
import { checkVolumeName } from '../core/naming';
import { parseShare } from '../core/networkVolumes';
import type { CommandContext } from './registry';

/** The Create Volume wizard's questions and the words of its name rules. */

export interface CreateVolumeOptions {
  name?: string;
  driver?: string;
  kind?: 'plain' | 'nfs' | 'cifs' | 'options';
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
  nfs?: { server: string; exportPath: string; options?: string };
  cifs?: { share: string; user?: string; password?: string; options?: string };
}

export function nameProblemMessage(name: string, existing: Iterable<string>): string | undefined {
  const problem = checkVolumeName(name, existing);
  if (!problem) return undefined;
  switch (problem.problem) {
    case 'empty':
      return vscode.l10n.t('Give the volume a name.');
    case 'tooShort':
      return vscode.l10n.t('A volume name needs at least 2 characters.');
    case 'badStart':
      return vscode.l10n.t('A volume name starts with a letter or a digit.');
    case 'badCharacter':
      return vscode.l10n.t('"{0}" is not allowed: use letters, digits, "_", "." and "-".', problem.character ?? '');
    case 'exists':
      return vscode.l10n.t('A volume named {0} already exists.', name);
  }
}

/** Asks for the name of a volume to create, checked against the name rules and the names already taken. */
export function askNewVolumeName(title: string, taken: string[], value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Name of the new volume'),
    ...(value !== undefined ? { value } : {}),
    validateInput: (v) =>
      checkVolumeName(v, taken)
        ? vscode.l10n.t('Use letters, digits, "_", "." and "-", starting with a letter or digit, and a name not taken.')
        : undefined,
  });
}

function parseKeyValues(text: string): Record<string, string> | string {
  const result: Record<string, string> = {};
  for (const part of text
    .split(/[\s;]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return vscode.l10n.t('"{0}" is not key=value.', part);
    result[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return result;
}

/** The share or driver details of the kind chosen; undefined when the user cancels. */
function askKindDetails(
  kind: NonNullable<CreateVolumeOptions['kind']>,
): Promise<Partial<CreateVolumeOptions> | undefined> {
  switch (kind) {
    case 'nfs':
      return askNfsDetails();
    case 'cifs':
      return askCifsDetails();
    case 'options':
      return askDriverDetails();
    default:
      return Promise.resolve({});
  }
}

async function askNfsDetails(): Promise<Partial<CreateVolumeOptions> | undefined> {
  const server = await vscode.window.showInputBox({
    title: vscode.l10n.t('NFS server'),
    placeHolder: '192.168.1.10',
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the server address.')),
  });
  if (!server) return undefined;
  const exportPath = await vscode.window.showInputBox({
    title: vscode.l10n.t('Exported path on the server'),
    placeHolder: '/srv/data',
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the exported path.')),
  });
  if (!exportPath) return undefined;
  const extra = await vscode.window.showInputBox({
    title: vscode.l10n.t('Mount options'),
    value: 'rw,nfsvers=4',
    prompt: vscode.l10n.t('Comma-separated, as for mount -o.'),
  });
  return extra === undefined
    ? undefined
    : { nfs: { server: server.trim(), exportPath: exportPath.trim(), options: extra } };
}

async function askCifsDetails(): Promise<Partial<CreateVolumeOptions> | undefined> {
  const share = await vscode.window.showInputBox({
    title: vscode.l10n.t('Share'),
    placeHolder: '//fileserver/share',
    validateInput: (v) => (parseShare(v) ? undefined : vscode.l10n.t('Write it as //server/share.')),
  });
  if (!share) return undefined;
  const user = await vscode.window.showInputBox({ title: vscode.l10n.t('User name (empty for guest)') });
  if (user === undefined) return undefined;
  const password = user
    ? await vscode.window.showInputBox({
        title: vscode.l10n.t('Password'),
        password: true,
        prompt: vscode.l10n.t('Kept in the volume options by Docker; never shown or logged here.'),
      })
    : '';
  return password === undefined
    ? undefined
    : { cifs: { share, ...(user ? { user } : {}), ...(password ? { password } : {}), options: 'vers=3.0' } };
}

async function askDriverDetails(): Promise<Partial<CreateVolumeOptions> | undefined> {
  const driver = await vscode.window.showInputBox({ title: vscode.l10n.t('Driver'), value: 'local' });
  if (driver === undefined) return undefined;
  const opts = await vscode.window.showInputBox({
    title: vscode.l10n.t('Driver options'),
    placeHolder: 'type=tmpfs device=tmpfs o=size=100m',
    validateInput: keyValuesProblem,
  });
  return opts === undefined
    ? undefined
    : { driver: driver || 'local', driverOpts: parseKeyValues(opts) as Record<string, string> };
}

/** What is wrong with a `key=value key=value` input, for an input box; undefined when it reads. */
function keyValuesProblem(value: string): string | undefined {
  const r = parseKeyValues(value);
  return typeof r === 'string' ? r : undefined;
}

/** The Create Volume wizard: name, kind (with its details), labels; undefined when the user cancels. */
export async function askCreateOptions(ctx: CommandContext): Promise<CreateVolumeOptions | undefined> {
  await ctx.model.ensureLoaded();
  const existing = new Set(ctx.model.volumes.map((v) => v.name));
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Create Volume (1/3): name'),
    prompt: vscode.l10n.t('Letters, digits, "_", "." and "-"; it starts with a letter or a digit.'),
    placeHolder: 'my-data',
    validateInput: (value) => nameProblemMessage(value, existing),
  });
  if (name === undefined) return undefined;
  const kind = await askKind();
  const details = kind && (await askKindDetails(kind.choice));
  if (!kind || !details) return undefined;
  const labels = await vscode.window.showInputBox({
    title: vscode.l10n.t('Create Volume (3/3): labels (optional)'),
    placeHolder: 'project=course env=dev',
    validateInput: keyValuesProblem,
  });
  if (labels === undefined) return undefined;
  return { name, kind: kind.choice, ...details, labels: parseKeyValues(labels) as Record<string, string> };
}

type KindPick = vscode.QuickPickItem & { choice: NonNullable<CreateVolumeOptions['kind']> };

/** Step 2 of the wizard: a local volume, a network share, or any driver with its options. */
function askKind(): Thenable<KindPick | undefined> {
  return vscode.window.showQuickPick<KindPick>(
    [
      {
        label: vscode.l10n.t('Local volume'),
        description: vscode.l10n.t('driver local, stored on the Docker host'),
        choice: 'plain',
      },
      { label: vscode.l10n.t('NFS share'), description: vscode.l10n.t('driver local, type nfs'), choice: 'nfs' },
      {
        label: vscode.l10n.t('CIFS / SMB share'),
        description: vscode.l10n.t('driver local, type cifs'),
        choice: 'cifs',
      },
      {
        label: vscode.l10n.t('Other driver or options…'),
        description: vscode.l10n.t('any driver, any --opt'),
        choice: 'options',
      },
    ],
    { title: vscode.l10n.t('Create Volume (2/3): kind') },
  );
}
