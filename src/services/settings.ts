import * as vscode from 'vscode';
import { SETTINGS } from '../constants';
import type { RetentionRule } from '../core/backups';
import type { HelperRun } from '../core/cliActions';
import { boundedSetting, SETTING_BOUNDS } from '../core/settingBounds';
import type { GroupBy, SortBy } from '../core/volumeModel';

/** What the schedule does with a volume that running containers use. */
export type ScheduledWhenInUse = 'auto' | 'live' | 'stop' | 'skip';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS.section);
}

function text(key: string, fallback: string): string {
  const value = config().get<unknown>(key);
  return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

/** A number inside the manifest's bounds: a hand-edited settings.json can hold anything. */
function bounded(key: keyof typeof SETTING_BOUNDS): number {
  return boundedSetting(config().get<unknown>(key), SETTING_BOUNDS[key]);
}

function oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  const value = config().get<unknown>(key);
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function strings(key: string): string[] {
  const value = config().get<unknown>(key);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/**
 * Every setting of the extension, each read here only, with its default and bounds (those of package.json).
 * Read on each call: settings change while VS Code runs.
 */
export const settings = {
  dockerHost: () => text(SETTINGS.dockerHost, ''),
  dockerTimeoutMs: () => bounded('docker.timeout'),
  groupBy: () => oneOf<GroupBy>(SETTINGS.groupBy, ['usage', 'composeProject', 'driver', 'none'], 'usage'),
  sortBy: () => oneOf<SortBy>(SETTINGS.sortBy, ['name', 'size', 'created'], 'name'),
  filesMaxSizeMb: () => bounded('files.maxSizeMb'),
  /** The network mode of the containers we run; undefined: the daemon's default. */
  runNetworkMode: () => text(SETTINGS.runNetworkMode, '') || undefined,
  /** The folder as written in the setting (may hold `~` or `${workspaceFolder}`); '' when unset. */
  backupFolder: () => text(SETTINGS.backupFolder, ''),
  /** The backup folder from the user's own settings only: unattended writes follow no folder a repository names. */
  backupFolderOfUser: () => {
    const value = config().inspect<unknown>(SETTINGS.backupFolder)?.globalValue;
    return typeof value === 'string' ? value.trim() : '';
  },
  /** True when the backup folder in use is the workspace's choice (trusted: VS Code ignores it in Restricted Mode). */
  backupFolderFromWorkspace: () => {
    if (!vscode.workspace.isTrusted) return false;
    const value = config().inspect<unknown>(SETTINGS.backupFolder);
    return typeof (value?.workspaceFolderValue ?? value?.workspaceValue) === 'string';
  },
  backupLevel: () => bounded('backup.compressionLevel'),
  backupKeep: (): RetentionRule => {
    const value = config().get<RetentionRule>(SETTINGS.backupKeep);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  },
  backupShellImage: () => text(SETTINGS.backupShellImage, 'busybox'),
  scheduledVolumes: () => strings(SETTINGS.scheduledVolumes),
  scheduleIntervalHours: () => bounded('backup.scheduleIntervalHours'),
  scheduledWhenInUse: () =>
    oneOf<ScheduledWhenInUse>(SETTINGS.scheduledWhenInUse, ['auto', 'live', 'stop', 'skip'], 'auto'),
  lensesEnabled: () => config().get<unknown>(SETTINGS.lensesEnabled) !== false,
  composeExtraGlobs: () => strings(SETTINGS.composeExtraGlobs),
  labImage: () => text(SETTINGS.labImage, 'alpine'),
  labPostgresImage: () => text(SETTINGS.labPostgresImage, 'postgres:13'),
  labFolder: () => text(SETTINGS.labFolder, ''),
  /** The lab folder from the user's own settings only (a workspace may not choose where labs write). */
  labFolderOfUser: () => config().inspect<string>(SETTINGS.labFolder)?.globalValue?.trim() ?? '',
  courseOpenOnStartup: () => config().get<unknown>(SETTINGS.courseOpenOnStartup) === true,
};

/**
 * The throwaway container of backups, restores and clones (and of their CLI lines): the settings' image and network.
 */
export function helperRun(): HelperRun {
  const networkMode = settings.runNetworkMode();
  return { image: settings.backupShellImage(), ...(networkMode ? { networkMode } : {}) };
}

/** Settings the extension writes: always the user's (application-scoped) settings, never a workspace's. */
export const settingWriters = {
  scheduledVolumes: (volumes: string[]) =>
    config().update(SETTINGS.scheduledVolumes, volumes, vscode.ConfigurationTarget.Global),
  labImage: (image: string) => config().update(SETTINGS.labImage, image, vscode.ConfigurationTarget.Global),
};

/** The full id of a setting, for `affectsConfiguration` and "Open Settings". */
export function settingId(key: string): string {
  return `${SETTINGS.section}.${key}`;
}
