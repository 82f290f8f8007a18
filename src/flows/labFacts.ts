/**
 * Builds the facts the lab predicates read from a real daemon, without VS Code: the VS Code side and the
 * daemon tests build them the same way. Cost stays bounded because it runs on daemon events: containers
 * are listed once per call (or taken from the caller's listing), and only containers that carry a lab
 * name are inspected, once each (HostConfig never changes after creation); files are looked for only
 * where a step declares them, through a container that already mounts the volume (no helper container:
 * that would raise events, which would call this again).
 */
import { labContainerNames, labFileProbes } from '../core/labModules';
import type { LabContainer, LabFacts } from '../core/labs';
import type { DockerClient } from '../docker/client';
import type { ContainerSummary, VolumeSummary } from '../core/engineTypes';

/** What the caller knows without the daemon: backups on disk, images, settings, results and history. */
export type LabFactsInputs = Omit<LabFacts, 'volumes' | 'containers' | 'files' | 'images'> & { images?: string[] };

interface HostDetails {
  volumesFrom: string[];
  tmpfs: { destination: string; sizeBytes?: number; readOnly: boolean }[];
}

/** The volumes and containers of a listing, as Reset Module and the predicates see them (no inspect). */
export function listedLabObjects(
  volumes: VolumeSummary[],
  containers: ContainerSummary[],
): Pick<LabFacts, 'volumes' | 'containers'> {
  return {
    volumes: volumes.map((v) => ({ name: v.name, anonymous: v.anonymous, labels: v.labels, options: v.options })),
    containers: containers.map((c) => labContainer(c, undefined)),
  };
}

function labContainer(c: ContainerSummary, details: HostDetails | undefined): LabContainer {
  const mounts: LabContainer['mounts'] = c.mounts.map((m) => ({
    type: m.type,
    ...(m.name ? { name: m.name } : {}),
    source: m.source,
    destination: m.destination,
    readOnly: m.readOnly,
  }));
  for (const t of details?.tmpfs ?? []) {
    const listed = mounts.find((m) => m.type === 'tmpfs' && m.destination === t.destination);
    const size = t.sizeBytes ? { tmpfsSizeBytes: t.sizeBytes } : {};
    if (listed) Object.assign(listed, size);
    else mounts.push({ type: 'tmpfs', destination: t.destination, readOnly: t.readOnly, ...size });
  }
  return {
    name: c.name,
    running: c.state === 'running',
    state: c.state,
    labels: c.labels,
    mounts,
    volumesFrom: details?.volumesFrom ?? [],
  };
}

export class LabFactsReader {
  private readonly details = new Map<string, HostDetails>();
  /**
   * `<volume>/<path>` seen, with the volume's creation time: a file found stays found until the volume is made anew.
   */
  private readonly found = new Map<string, string>();
  private readonly names = labContainerNames();
  private readonly probes = labFileProbes();

  /** Facts for the current daemon state; `listing` is the caller's fresh listing, else the daemon is asked. */
  async read(
    client: DockerClient,
    inputs: LabFactsInputs,
    listing?: { volumes: VolumeSummary[]; containers: ContainerSummary[] },
  ): Promise<LabFacts> {
    const [volumes, containers, images] = await Promise.all([
      listing?.volumes ?? client.listVolumes(),
      listing?.containers ?? client.listContainers({ all: true }),
      inputs.images ?? client.listImages().then((list) => list.flatMap((i) => i.tags)),
    ]);
    const labContainers = containers.filter((c) => this.names.has(c.name));
    await Promise.all(
      labContainers
        .filter((c) => !this.details.has(c.id))
        .map(async (c) => {
          const inspected = await client.inspectContainer(c.id).catch(() => undefined); // removed meanwhile
          if (!inspected) return;
          this.details.set(c.id, {
            volumesFrom: inspected.volumesFrom.map((v) => v.replace(/:(ro|rw)$/, '')),
            tmpfs: inspected.mounts
              .filter((m) => m.type === 'tmpfs')
              .map((m) => ({
                destination: m.destination,
                readOnly: m.readOnly,
                ...(m.tmpfsSizeBytes ? { sizeBytes: m.tmpfsSizeBytes } : {}),
              })),
          });
        }),
    );
    const live = new Set(containers.map((c) => c.id));
    for (const id of this.details.keys()) if (!live.has(id)) this.details.delete(id);
    const files = await this.files(client, volumes, containers);
    return {
      ...listedLabObjects(volumes, []),
      containers: containers.map((c) => labContainer(c, this.names.has(c.name) ? this.details.get(c.id) : undefined)),
      files,
      images,
      backedUp: inputs.backedUp,
      labImage: inputs.labImage,
      observed: inputs.observed,
      reached: inputs.reached,
    };
  }

  private async files(
    client: DockerClient,
    volumes: VolumeSummary[],
    containers: ContainerSummary[],
  ): Promise<Set<string>> {
    const files = new Set<string>();
    await Promise.all(
      this.probes.map(async (probe) => {
        const key = `${probe.volume}/${probe.path}`;
        const volume = volumes.find((v) => v.name === probe.volume);
        if (!volume) return;
        const made = volume.createdAt ?? '';
        if (this.found.get(key) === made) {
          files.add(key);
          return;
        }
        // Any container that mounts the volume shows its files, running or not (the archive API reads stopped ones).
        const through = containers.flatMap((c) =>
          c.mounts
            .filter((m) => m.type === 'volume' && m.name === probe.volume)
            .map((m) => ({ id: c.id, at: m.destination })),
        )[0];
        if (!through) return;
        const present = await client.statPath(through.id, `${through.at.replace(/\/$/, '')}/${probe.path}`).then(
          () => true,
          () => false,
        );
        if (present) {
          this.found.set(key, made);
          files.add(key);
        }
      }),
    );
    return files;
  }
}
