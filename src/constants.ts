/** Identifiers shared by the manifest, the code and the tests: one source for each. */

export const EXTENSION_ID = 'volumes-lab.docker-volumes-lab';
export const OUTPUT_CHANNEL_NAME = 'Docker Volumes Lab';

export const VIEW_CONTAINER = 'volumesLab';
export const VIEWS = {
  volumes: 'volumesLab.volumes',
} as const;

export const COMMANDS = {
  refreshVolumes: 'volumesLab.volumes.refresh',
  retryConnection: 'volumesLab.daemon.retry',
  openSettings: 'volumesLab.daemon.openSettings',
  showLog: 'volumesLab.showLog',
} as const;

export const SETTINGS = {
  section: 'volumesLab',
  dockerHost: 'docker.host',
  dockerTimeout: 'docker.timeout',
} as const;

export const CONTEXT_KEYS = {
  /** 'connecting' | 'reachable' | 'unreachable' */
  daemonState: 'volumesLab.daemonState',
  /** The DockerError kind while unreachable. */
  daemonError: 'volumesLab.daemonError',
} as const;

/** Context keys that complete walkthrough steps; each is true once the daemon shows the step done. */
export const STEP_KEYS = {
  daemonReachable: 'volumesLab.step.daemonReachable',
} as const;

export const CONTEXT_VALUES = {
  volume: 'volume',
  anonymousVolume: 'volume:anonymous',
} as const;
