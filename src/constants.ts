/** Identifiers shared by the manifest, the code and the tests: one source for each. */
import { LABELS } from './core/labels';

export const EXTENSION_ID = 'volumes-lab.docker-volumes-lab';
export const OUTPUT_CHANNEL_NAME = 'Docker Volumes Lab';

export const VIEW_CONTAINER = 'volumesLab';
export const VIEWS = {
  /** The activity-bar container of the three views. */
  container: 'volumesLab',
  volumes: 'volumesLab.volumes',
  mounts: 'volumesLab.mounts',
  backups: 'volumesLab.backups',
} as const;

/** The labels of what the extension creates; `module` ties it to a walkthrough module, whose reset removes it. */
export function managedLabels(module?: string): Record<string, string> {
  return { [LABELS.managed]: '1', ...(module ? { [LABELS.module]: module } : {}) };
}

export const COMMANDS = {
  refreshVolumes: 'volumesLab.volumes.refresh',
  createVolume: 'volumesLab.volumes.create',
  inspectVolume: 'volumesLab.volumes.inspect',
  copyVolumeName: 'volumesLab.volumes.copyName',
  copyMountSnippet: 'volumesLab.volumes.copyMountSnippet',
  revealVolume: 'volumesLab.volumes.reveal',
  removeVolume: 'volumesLab.volumes.remove',
  pruneVolumes: 'volumesLab.volumes.prune',
  filterVolumes: 'volumesLab.volumes.filter',
  clearVolumeFilter: 'volumesLab.volumes.clearFilter',
  showDiskUsage: 'volumesLab.showDiskUsage',
  runWithBindMount: 'volumesLab.run.bindMount',
  runWithVolume: 'volumesLab.run.volume',
  runWithTmpfs: 'volumesLab.run.tmpfs',
  shareVolume: 'volumesLab.run.shareVolume',
  testVolume: 'volumesLab.volumes.test',
  backupVolume: 'volumesLab.backup.create',
  dumpDatabase: 'volumesLab.backup.dumpDatabase',
  toggleSchedule: 'volumesLab.backup.toggleSchedule',
  labRun: 'volumesLab.lab.run',
  labReset: 'volumesLab.lab.reset',
  labFiles: 'volumesLab.lab.createFiles',
  labSwarmState: 'volumesLab.lab.swarmState',
  restoreBackup: 'volumesLab.backup.restore',
  verifyBackup: 'volumesLab.backup.verify',
  cloneVolume: 'volumesLab.volumes.clone',
  deleteBackup: 'volumesLab.backup.delete',
  revealBackup: 'volumesLab.backup.reveal',
  refreshBackups: 'volumesLab.backup.refresh',
  exportBackupScript: 'volumesLab.backup.exportScript',
  chooseBackupFolder: 'volumesLab.backup.chooseFolder',
  refreshMounts: 'volumesLab.mounts.refresh',
  openHostFolder: 'volumesLab.mounts.openHostFolder',
  stopContainer: 'volumesLab.containers.stop',
  removeContainer: 'volumesLab.containers.remove',
  retryConnection: 'volumesLab.daemon.retry',
  openSettings: 'volumesLab.daemon.openSettings',
  engineDetails: 'volumesLab.daemon.details',
  showLog: 'volumesLab.showLog',
  openCourse: 'volumesLab.course.open',
} as const;

export const SETTINGS = {
  section: 'volumesLab',
  dockerHost: 'docker.host',
  dockerTimeout: 'docker.timeout',
  groupBy: 'volumes.groupBy',
  sortBy: 'volumes.sortBy',
  filesMaxSizeMb: 'files.maxSizeMb',
  runNetworkMode: 'run.networkMode',
  backupFolder: 'backup.folder',
  backupLevel: 'backup.compressionLevel',
  backupKeep: 'backup.keep',
  backupShellImage: 'backup.shellImage',
  scheduledVolumes: 'backup.scheduledVolumes',
  labImage: 'labs.image',
  labPostgresImage: 'labs.postgresImage',
  labFolder: 'labs.folder',
  scheduleIntervalHours: 'backup.scheduleIntervalHours',
  scheduledWhenInUse: 'backup.scheduledWhenInUse',
  lensesEnabled: 'lenses.enabled',
  composeExtraGlobs: 'compose.extraGlobs',
  courseOpenOnStartup: 'course.openOnStartup',
} as const;

export const CONTEXT_KEYS = {
  /** 'connecting' | 'reachable' | 'unreachable' */
  daemonState: 'volumesLab.daemonState',
  /** The DockerError kind while unreachable. */
  daemonError: 'volumesLab.daemonError',
  /** Where the Docker address came from ('setting' | 'env' | 'context' | 'default'; '' when none is usable). */
  endpointSource: 'volumesLab.endpointSource',
  /** Number of volumes listed (-1 before the first listing, -2 when the daemon answers but listing failed). */
  volumeCount: 'volumesLab.volumeCount',
  /** True while the Volumes view is filtered. */
  volumesFiltered: 'volumesLab.volumesFiltered',
} as const;

/** Context keys that complete walkthrough steps; each is true once the daemon shows the step done. */
export const STEP_KEYS = {
  daemonReachable: 'volumesLab.step.daemonReachable',
} as const;

/**
 * The contextValue of every kind of tree item, matched (exactly or by regex) in package.json menus' `when`
 * clauses; a unit test checks each clause against what these build.
 */
export const CONTEXT_VALUES = {
  course: 'course',
  group: (kind: string) => `group:${kind}`,
  volume: (inUse: boolean, anonymous: boolean) =>
    `volume:${inUse ? 'inUse' : 'unused'}${anonymous ? ':anonymous' : ''}`,
  usage: (running: boolean) => `usage:${running ? 'running' : 'stopped'}`,
  files: 'files',
  entry: (directory: boolean) => (directory ? 'entry:directory' : 'entry:file'),
  container: (running: boolean) => `container:${running ? 'running' : 'stopped'}`,
  mount: (type: string) => `mount:${type}`,
  backupVolume: 'backupVolume',
  backup: 'backup',
} as const;
