/**
 * Every `docker` line the extension shows, one builder per action, and the table of those actions. Each
 * builder works over argument lists through `dockerCli` (quoted, `-H` from the `CliTarget`); a file or
 * volume name never lands inside an `sh -c` script: it goes as its own argument, or as `"$1"` of the script.
 * The cli-equivalence suite (test/daemon) runs each line with the real docker CLI and compares what it made
 * with what the extension made through the Engine API; a unit test fails when an action here has no case.
 */
import * as path from 'node:path';
import { daemonSeesLocalFolders, dockerCli, shellQuote, shellWords, volumeCreateArgs, type CliTarget } from './cli';
import type { DatabasePlan } from './databases';
import { longMountArgs, shortMountArgs } from './mounts';
import { maskSecrets } from './networkVolumes';
import type { VolumeCreateSpec } from './engineTypes';

/** Where helper containers run: `--network` when the setting names a mode (e.g. `none`). */
export interface HelperRun {
  /** The image the line runs (`volumesLab.backup.shellImage`). */
  image: string;
  networkMode?: string;
}

/** `interactive`: `-i`, for a command that reads the CLI's stdin (an archive streamed in). */
function helperRunArgs(helper: HelperRun, mounts: string[][], command: string[], interactive = false): string[] {
  return [
    'run',
    '--rm',
    ...(interactive ? ['-i'] : []),
    ...(helper.networkMode ? ['--network', helper.networkMode] : []),
    ...mounts.flat(),
    helper.image,
    ...command,
  ];
}

/** `docker volume create …` with secret driver options (CIFS passwords) masked. */
export function volumeCreateLine(spec: VolumeCreateSpec, target: CliTarget): string {
  return dockerCli(volumeCreateArgs({ ...spec, driverOpts: maskSecrets(spec.driverOpts ?? {}) }), target);
}

/** Names given one by one or as a list, for the lines that take several (`docker stop a b`). */
type Names = string | readonly string[];
const names = (n: Names): string[] => (typeof n === 'string' ? [n] : [...n]);

export function volumeRemoveLine(volumes: Names, target: CliTarget): string {
  return dockerCli(['volume', 'rm', ...names(volumes)], target);
}

export function volumeInspectLine(volume: string, target: CliTarget): string {
  return dockerCli(['volume', 'inspect', volume], target);
}

/** `docker volume ls`, or only the volumes no container uses. */
export function volumeListLine(target: CliTarget, unusedOnly = false): string {
  return dockerCli(['volume', 'ls', ...(unusedOnly ? ['-f', 'dangling=true'] : [])], target);
}

/** `docker system df`, and with `-v` the size of each volume. */
export function diskUsageLine(verbose: boolean, target: CliTarget): string {
  return dockerCli(['system', 'df', ...(verbose ? ['-v'] : [])], target);
}

export function imageListLine(target: CliTarget): string {
  return dockerCli(['image', 'ls'], target);
}

export function imagePullLine(image: string, target: CliTarget): string {
  return dockerCli(['image', 'pull', image], target);
}

/** Whether this engine is in a Swarm, as `docker info` says it. */
export function swarmStateLine(target: CliTarget): string {
  return dockerCli(['info', '--format', '{{.Swarm.LocalNodeState}}'], target);
}

export function versionLine(target: CliTarget): string {
  return dockerCli(['version'], target);
}

/**
 * The prune as a learner would type it, and the exact removal we do. API 1.42 changed plain `volume prune`
 * to anonymous volumes only: before it, no prune line removes only the anonymous ones, so then the line is
 * the exact `volume rm` alone.
 */
export function pruneLines(
  scope: 'anonymous' | 'all',
  apiAtLeast142: boolean,
  label: string | undefined,
  removed: readonly string[],
  target: CliTarget,
): { prune?: string; exact: string } {
  const exact = volumeRemoveLine(removed, target);
  if (scope === 'all')
    return { prune: volumePruneLine(target, { all: apiAtLeast142, ...(label ? { label } : {}) }), exact };
  return apiAtLeast142 ? { prune: volumePruneLine(target, label ? { label } : {}), exact } : { exact };
}

/**
 * `docker volume prune` as typed; `all`: `--all`, which engines before API 1.42 do not know (their prune takes named
 * volumes anyway).
 */
export function volumePruneLine(target: CliTarget, options: { all?: boolean; label?: string } = {}): string {
  return dockerCli(
    [
      'volume',
      'prune',
      ...(options.all ? ['--all'] : []),
      ...(options.label ? ['--filter', `label=${options.label}`] : []),
    ],
    target,
  );
}

/**
 * A backup of `volume` into `file` as the course does it: tar + gzip in a throwaway container. The course
 * binds the backup folder; a daemon on another host would bind its own folder of that name, so there the
 * archive streams out through the CLI into the user's file.
 */
export function backupLine(volume: string, file: string, helper: HelperRun, target: CliTarget): string {
  if (!daemonSeesLocalFolders(target)) {
    const tarToStdout = helperRunArgs(helper, [['-v', `${volume}:/data:ro`]], ['tar', 'czf', '-', '-C', '/data', '.']);
    return `${dockerCli(tarToStdout, target)} > ${shellQuote(file)}`;
  }
  return dockerCli(
    helperRunArgs(
      helper,
      [
        ['-v', `${volume}:/data:ro`],
        ['-v', `${path.dirname(file)}:/backup`],
      ],
      ['tar', 'czf', `/backup/${path.basename(file)}`, '-C', '/data', '.'],
    ),
    target,
  );
}

const EMPTY_DATA = 'rm -rf /data/* /data/..?* /data/.[!.]*';

/**
 * A restore of `file` into `volume`. Replace empties the volume first (hidden files too); the archive's
 * name reaches the script as `"$1"`, never inside it. A new volume is created first with the backup's
 * driver, options and labels. For a daemon on another host the archive streams in from the user's file
 * (see `backupLine`).
 */
export function restoreLines(
  volume: string,
  file: string,
  mode: 'new' | 'merge' | 'replace',
  helper: HelperRun,
  target: CliTarget,
  create?: Omit<VolumeCreateSpec, 'name'>,
): string[] {
  const created = mode === 'new' && create ? [volumeCreateLine({ name: volume, ...create }, target)] : [];
  if (!daemonSeesLocalFolders(target)) {
    const command =
      mode === 'replace' ? ['sh', '-c', `${EMPTY_DATA} && tar xzf - -C /data`] : ['tar', 'xzf', '-', '-C', '/data'];
    return [
      ...created,
      `${dockerCli(helperRunArgs(helper, [['-v', `${volume}:/data`]], command, true), target)} < ${shellQuote(file)}`,
    ];
  }
  const mounts = [
    ['-v', `${volume}:/data`],
    ['-v', `${path.dirname(file)}:/backup`],
  ];
  const command =
    mode === 'replace'
      ? ['sh', '-c', `${EMPTY_DATA} && tar xzf "/backup/$1" -C /data`, 'sh', path.basename(file)]
      : ['tar', 'xzf', `/backup/${path.basename(file)}`, '-C', '/data'];
  return [...created, dockerCli(helperRunArgs(helper, mounts, command), target)];
}

/** A clone: the new volume with the source's driver, options and labels, then a tar pipe between the two. */
export function cloneLines(
  source: string,
  clone: VolumeCreateSpec & { name: string },
  helper: HelperRun,
  target: CliTarget,
): string[] {
  return [
    volumeCreateLine(clone, target),
    dockerCli(
      helperRunArgs(
        helper,
        [
          ['-v', `${source}:/from:ro`],
          ['-v', `${clone.name}:/to`],
        ],
        ['sh', '-c', 'cd /from && tar cf - . | tar xf - -C /to'],
      ),
      target,
    ),
  ];
}

/** *Test Volume*: mount it read-only in a throwaway container and list it. */
export function testVolumeLine(volume: string, helper: HelperRun, target: CliTarget): string {
  return dockerCli(helperRunArgs(helper, [['-v', `${volume}:/probe:ro`]], ['ls', '-la', '/probe']), target);
}

export function execLine(container: string, command: readonly string[], target: CliTarget): string {
  return dockerCli(['exec', container, ...command], target);
}

export function stopLine(containers: Names, target: CliTarget): string {
  return dockerCli(['stop', ...names(containers)], target);
}

export function startLine(containers: Names, target: CliTarget): string {
  return dockerCli(['start', ...names(containers)], target);
}

export function removeContainerLine(containers: Names, force: boolean, target: CliTarget): string {
  return dockerCli(['rm', ...(force ? ['-f'] : []), ...names(containers)], target);
}

/**
 * Reset Module: its containers removed with their anonymous volumes (`-v`), then its named volumes; no
 * line for an empty list.
 */
export function resetLines(containers: readonly string[], volumes: readonly string[], target: CliTarget): string[] {
  return [
    ...(containers.length ? [dockerCli(['rm', '-f', '-v', ...containers], target)] : []),
    ...(volumes.length ? [volumeRemoveLine(volumes, target)] : []),
  ];
}

/** `docker logs -f`: a container's output, followed. */
export function logsLine(container: string, target: CliTarget): string {
  return dockerCli(['logs', '-f', container], target);
}

/** A shell in a new named container, attached (the first-steps lab). */
export function shellLine(name: string, image: string, networkMode: string | undefined, target: CliTarget): string {
  return dockerCli(
    ['container', 'run', '-it', ...(networkMode ? ['--network', networkMode] : []), '--name', name, image, '/bin/sh'],
    target,
  );
}

/** The logical dump into `file`: the tool's output gzipped on the host. */
export function dumpLine(plan: DatabasePlan, file: string, target: CliTarget): string {
  return `${dockerCli(plan.cli.dump, target)} | ${shellWords(['gzip'])} > ${shellQuote(file)}`;
}

/** Replaying a dump file into the running server. */
export function restoreDumpLine(plan: DatabasePlan, file: string, target: CliTarget): string {
  return `${shellWords(['gunzip', '-c', file])} | ${dockerCli(plan.cli.restore, target)}`;
}

/** The volume tooltip's "mount it" lines: a shell in a throwaway container, in both syntaxes. */
export function volumeShellLines(volume: string, image: string, target: CliTarget): string[] {
  const mount = { type: 'volume' as const, source: volume, target: '/data' };
  return [shortMountArgs(mount), longMountArgs(mount)].map((flags) =>
    dockerCli(['run', '--rm', '-it', ...flags, image, 'sh'], target),
  );
}

/**
 * The actions that show a docker line. The cli-equivalence suite has one case per id (a unit test checks
 * it), so a new shown line comes with its proof.
 */
export const CLI_ACTIONS = [
  'run.bind',
  'run.bind.selinux',
  'run.volume',
  'run.tmpfs',
  'run.create',
  'run.volumesFrom',
  'share.writer',
  'share.reader',
  'share.refusal',
  'volume.test',
  'container.stop',
  'container.remove',
  'container.logs',
  'lab.reset',
  'volume.create.local',
  'volume.create.nfs',
  'volume.create.cifs',
  'volume.inspect',
  'volume.remove',
  'volume.removeWithContainers',
  'volume.prune',
  'volume.ls',
  'volume.ls.unused',
  'system.df',
  'image.ls',
  'info.swarm',
  'backup',
  'backup.stopStart',
  'restore.new',
  'restore.merge',
  'restore.replace',
  'clone',
  'backup.remote',
  'restore.remote',
  'backupScript.remote',
  'dump.postgres',
  'restoreDump.postgres',
  'backupScript',
  'mountSnippet',
  'volumeTooltip',
  'composeHover',
  'daemon.version',
] as const;

export type CliActionId = (typeof CLI_ACTIONS)[number];
