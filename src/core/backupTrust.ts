/**
 * What a backup's manifest may decide. A manifest is a file beside the archive, often in a repository the
 * user did not write: it is a claim, never an instruction. Restoring into a new volume may reuse its driver
 * and options only after the user has seen them, and never options that put the volume's data on a host
 * path or a share chosen by the file (the daemon would extract the archive there, as root).
 */
import type { BackupManifest } from './backups';
import { LABEL_PREFIX } from './labels';

export type ManifestVolumeDecision =
  /** A plain local volume with only this extension's own labels, if any: nothing to ask. */
  | { kind: 'plain'; labels: Record<string, string> }
  /**
   * Another driver, options, or labels not in this extension's namespace: show them all and ask before creating
   * the volume with them; `ownLabels` are applied either way.
   */
  | {
      kind: 'ask';
      driver: string;
      options: Record<string, string>;
      labels: Record<string, string>;
      ownLabels: Record<string, string>;
    }
  /** Options that bind a host path or mount a device or share: refused whatever the user would say. */
  | { kind: 'refuse'; option: string };

/** Mount options that make the `local` driver mount something else than its own folder. */
function hostBinding(options: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(options)) {
    const k = key.trim().toLowerCase();
    if (k === 'device') return `${key}=${value}`;
    if (k === 'type' && value.trim().toLowerCase() === 'none') return `${key}=${value}`;
    if (k === 'o' && value.split(',').some((part) => /^\s*r?bind\s*$/i.test(part))) return `${key}=${value}`;
  }
  return undefined;
}

/** How a restore into a new volume may use the manifest's driver, options and labels. */
export function manifestVolumeDecision(
  manifest: Pick<BackupManifest, 'driver' | 'options'> & Partial<Pick<BackupManifest, 'labels'>>,
): ManifestVolumeDecision {
  const options = manifest.options ?? {};
  const refused = hostBinding(options);
  if (refused) return { kind: 'refuse', option: refused };
  const entries = Object.entries(manifest.labels ?? {});
  // Our own labels (`volumes-lab.*`) only mark what the extension manages; any other label can change what other
  // tools do with the volume (`com.docker.compose.project` makes Compose adopt it as a project's own): shown first.
  const ownLabels = Object.fromEntries(entries.filter(([k]) => k.startsWith(LABEL_PREFIX)));
  const labels = Object.fromEntries(entries.filter(([k]) => !k.startsWith(LABEL_PREFIX)));
  const driver = manifest.driver || 'local';
  if (driver === 'local' && !Object.keys(options).length && !Object.keys(labels).length)
    return { kind: 'plain', labels: ownLabels };
  return { kind: 'ask', driver, options, labels, ownLabels };
}

const isStringRecord = (value: unknown): value is Record<string, string> =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

/**
 * A manifest read from disk, or undefined when it is not one of ours or does not describe `archiveName`:
 * its volume must be the one in the archive's file name, so that a planted file cannot pass for the backup
 * of another volume.
 */
export function parseManifest(text: string, volumeFromFileName: string | undefined): BackupManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Partial<BackupManifest>;
  if (m.format !== 'docker-volumes-lab/backup@1') return undefined;
  if (typeof m.volume !== 'string' || typeof m.driver !== 'string' || typeof m.sha256 !== 'string') return undefined;
  if (!isStringRecord(m.options) || !isStringRecord(m.labels)) return undefined;
  if (volumeFromFileName !== undefined && m.volume !== volumeFromFileName) return undefined;
  return m as BackupManifest;
}

/** The Compose label that lists the compose files a container was created from. */
const COMPOSE_CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';

/**
 * Where a dump this extension wrote came from, recorded on this machine when it was written (never read from a file
 * beside the dump). The SQL in a dump is what the source container's dump tool printed: an image a repository chose
 * prints what the repository wants.
 */
export interface DumpSource {
  container: string;
  /** The image as the container names it, and its id (what really ran). */
  image: string;
  imageId: string;
  /** The compose files the container was created from (Compose's label); empty for a container started otherwise. */
  composeFiles: string[];
}

export function dumpSourceOf(container: {
  name: string;
  image: string;
  imageId?: string;
  labels?: Record<string, string>;
}): DumpSource {
  const files = container.labels?.[COMPOSE_CONFIG_FILES_LABEL] ?? '';
  return {
    container: container.name,
    image: container.image,
    imageId: container.imageId ?? '',
    composeFiles: files
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  };
}

/** Why the replay of a dump this extension wrote is still asked about, whatever a script asked. */
export type DumpReplayConcern =
  /** Recorded before sources were: which container and image wrote it is not known. */
  | { kind: 'sourceUnknown' }
  /** Its image was chosen by a compose file, a file a repository ships. */
  | { kind: 'composeImage'; files: string[] }
  /** It comes from another image than the one the target runs. */
  | { kind: 'otherImage'; sourceImage: string; targetImage: string };

/**
 * What keeps a recorded dump from being replayed without a question: "this extension wrote it" only says the file is
 * the one the dump tool printed, not that the tool was one the user chose.
 */
export function dumpReplayConcerns(
  source: DumpSource | undefined,
  target: { image: string; imageId?: string },
): DumpReplayConcern[] {
  if (!source || !source.imageId) return [{ kind: 'sourceUnknown' }];
  const concerns: DumpReplayConcern[] = [];
  if (source.composeFiles.length) concerns.push({ kind: 'composeImage', files: source.composeFiles });
  if (source.imageId !== target.imageId)
    concerns.push({ kind: 'otherImage', sourceImage: source.image, targetImage: target.image });
  return concerns;
}
