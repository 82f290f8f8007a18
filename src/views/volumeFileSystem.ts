import * as path from 'node:path/posix';
import * as vscode from 'vscode';
import { Disposable } from '../services/Disposable';
import { settings } from '../services/settings';
import { listDirectoryFromArchive, readFileFromArchive, type EntryKind } from '../docker/volumeFiles';
import type { DockerClient } from '../docker/client';
import { DockerError, isNotFound } from '../docker/errors';
import type { Log } from '../log';
import type { DaemonService } from '../services/daemonService';

/** `docker-volume:/<volume>/<path inside the volume>`: files of a volume, read through the archive API. */
export const VOLUME_SCHEME = 'docker-volume';
/** Where helper containers mount the volume they read. */
const MOUNT = '/volume';

export function volumeUri(volume: string, inside = '/'): vscode.Uri {
  return vscode.Uri.from({ scheme: VOLUME_SCHEME, path: path.join('/', volume, inside) });
}

export function parseVolumeUri(uri: vscode.Uri): { volume: string; inside: string } {
  const [, volume = '', ...rest] = uri.path.split('/');
  return { volume, inside: path.join('/', ...rest) };
}

function fileType(kind: EntryKind): vscode.FileType {
  switch (kind) {
    case 'file':
      return vscode.FileType.File;
    case 'directory':
      return vscode.FileType.Directory;
    case 'symlink':
      return vscode.FileType.SymbolicLink;
    case 'other':
      return vscode.FileType.Unknown;
  }
}

/** Helpers live seconds to the length of one backup; one this old was left by a session that ended. */
const HELPER_STALE_MS = 24 * 3600 * 1000;

/** Go's os.FileMode bits, as the engine reports them in a path stat. */
const GO_MODE_DIR = 0x80000000;
const GO_MODE_SYMLINK = 0x08000000;

/**
 * A read-only file system over the Engine's archive API. Each operation creates a helper container that
 * mounts the volume read-only and is never started, reads through it, and removes it: no image pull, no
 * running container, no shell.
 */
export class VolumeFileSystemProvider extends Disposable implements vscode.FileSystemProvider {
  private readonly emitter = this.register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.emitter.event;
  /** Folders whose last listing stopped at a limit (so that the tree can say the list is partial). */
  readonly partial = new Set<string>();

  constructor(
    private readonly daemon: DaemonService,
    private readonly log: Log,
  ) {
    super();
  }

  private maxBytes(): number {
    const mb = settings.filesMaxSizeMb();
    return Math.max(0, mb) * 1024 * 1024;
  }

  /** Runs `work` against a fresh helper container for `volume`, and always removes the helper. */
  async withHelper<T>(volume: string, work: (client: DockerClient, helperId: string) => Promise<T>): Promise<T> {
    return this.daemon.use(async (client) => {
      const helper = await client.createVolumeHelper(volume, { mountPath: MOUNT, readOnly: true });
      try {
        return await work(client, helper);
      } finally {
        await client
          .removeContainer(helper, { force: true })
          .catch((err) => this.log.error(`removing helper ${helper.slice(0, 12)}`, err));
      }
    });
  }

  /**
   * Removes helper containers an earlier session left behind: those older than `olderThanMs`. A younger one
   * may belong to a backup or restore running in another window on the same daemon.
   */
  async sweepHelpers(olderThanMs = HELPER_STALE_MS): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    const leftovers = (await this.daemon.use((client) => client.listVolumeHelpers())).filter(
      (h) => h.created * 1000 <= cutoff,
    );
    await this.daemon.use((client) => Promise.all(leftovers.map((h) => client.removeContainer(h.id, { force: true }))));
    if (leftovers.length) this.log.info(`Removed ${leftovers.length} helper container(s) left by an earlier session`);
    return leftovers.length;
  }

  private toFsError(err: unknown, uri: vscode.Uri): unknown {
    if (isNotFound(err)) return vscode.FileSystemError.FileNotFound(uri);
    if (err instanceof DockerError && err.kind === 'invalid') return vscode.FileSystemError.NoPermissions(err.message);
    if (err instanceof DockerError) return vscode.FileSystemError.Unavailable(err.message);
    return err;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { volume, inside } = parseVolumeUri(uri);
    try {
      const stat = await this.withHelper(volume, (client, helper) => client.statPath(helper, path.join(MOUNT, inside)));
      const type =
        (stat.mode & GO_MODE_DIR) !== 0
          ? vscode.FileType.Directory
          : (stat.mode & GO_MODE_SYMLINK) !== 0
            ? vscode.FileType.SymbolicLink
            : vscode.FileType.File;
      const mtime = Date.parse(stat.mtime) || 0;
      return { type, size: stat.size, ctime: mtime, mtime, permissions: vscode.FilePermission.Readonly };
    } catch (err) {
      throw this.toFsError(err, uri);
    }
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.listDirectory(uri);
  }

  /**
   * A folder's children; `signal` stops the listing (the folder was collapsed, or listed again) and the
   * daemon's stream with it, rather than letting it read a subtree no one waits for.
   */
  async listDirectory(uri: vscode.Uri, signal?: AbortSignal): Promise<[string, vscode.FileType][]> {
    const { volume, inside } = parseVolumeUri(uri);
    try {
      const entries = await this.withHelper(volume, async (client, helper) => {
        const stream = await client.getArchive(helper, `${path.join(MOUNT, inside)}/.`, signal);
        const onAbort = () => stream.destroy(new DockerError('cancelled', 'Listing cancelled', 'list folder'));
        if (signal?.aborted) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          return await listDirectoryFromArchive(stream);
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      });
      if (entries.truncated) {
        this.log.info(
          `listing ${volume}:${inside} stopped after ${entries.length} entries: the archive of a folder carries its whole subtree`,
        );
        this.partial.add(uri.toString());
      } else this.partial.delete(uri.toString());
      return entries.map((e) => [e.name, fileType(e.kind)]);
    } catch (err) {
      throw this.toFsError(err, uri);
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { volume, inside } = parseVolumeUri(uri);
    const limit = this.maxBytes();
    try {
      return await this.withHelper(volume, async (client, helper) => {
        const target = path.join(MOUNT, inside);
        const stat = await client.statPath(helper, target);
        if (stat.size > limit) {
          throw new DockerError(
            'invalid',
            vscode.l10n.t(
              '{0} is {1} MB, over the {2} MB limit for opening files from volumes (setting volumesLab.files.maxSizeMb).',
              inside,
              (stat.size / 1024 / 1024).toFixed(1),
              (limit / 1024 / 1024).toFixed(0),
            ),
            'read file',
          );
        }
        return readFileFromArchive(await client.getArchive(helper, target), limit, inside);
      });
    } catch (err) {
      throw this.toFsError(err, uri);
    }
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  private readOnly(): never {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Files in Docker volumes are read-only here.'));
  }

  createDirectory(): void {
    this.readOnly();
  }
  writeFile(): void {
    this.readOnly();
  }
  delete(): void {
    this.readOnly();
  }
  rename(): void {
    this.readOnly();
  }
}
