/** The predicates and builders the course modules' step data is written with (see labModules.ts). */
import {
  markKey,
  stepKey,
  type LabAction,
  type LabFacts,
  type LabModule,
  type LabRunAction,
  type LabStep,
} from './labs';
import { LABELS } from './labels';

// --- Predicate helpers ---------------------------------------------------------------------------------------

export const volumeExists = (f: LabFacts, name: string) => f.volumes.some((v) => v.name === name);
export const container = (f: LabFacts, name: string) => f.containers.find((c) => c.name === name);
export const mountsVolume = (f: LabFacts, name: string, volume: string, readOnly?: boolean) => {
  const c = container(f, name);
  return Boolean(
    c?.running &&
    c.mounts.some(
      (m) => m.type === 'volume' && m.name === volume && (readOnly === undefined || m.readOnly === readOnly),
    ),
  );
};
export const hasMount = (f: LabFacts, name: string, type: string, destination: string) =>
  Boolean(container(f, name)?.mounts.some((m) => m.type === type && m.destination === destination));
export const anonymousAt = (f: LabFacts, name: string, destination: string) =>
  Boolean(
    container(f, name)?.mounts.some(
      (m) =>
        m.type === 'volume' && m.destination === destination && f.volumes.some((v) => v.name === m.name && v.anonymous),
    ),
  );
/** Never started: `docker create`, or a run that failed before its start. */
export const neverStarted = (f: LabFacts, name: string) => container(f, name)?.state === 'created';
/** Started at least once (running now, or exited since). */
export const hasRun = (f: LabFacts, name: string) =>
  Boolean(container(f, name) && container(f, name)!.state !== 'created');
export const tmpfsAt = (f: LabFacts, name: string, destination: string, sizeBytes?: number) =>
  Boolean(
    container(f, name)?.mounts.some(
      (m) =>
        m.type === 'tmpfs' &&
        m.destination === destination &&
        (sizeBytes === undefined || m.tmpfsSizeBytes === sizeBytes),
    ),
  );
/** The file is in the volume (seen through a container that mounts it, see `LabStep.files`). */
export const fileIn = (f: LabFacts, volume: string, file: string) => f.files.has(`${volume}/${file}`);
/** The containers a module's buttons make, by name. */
export function containerNamesOf(module: LabModule): Set<string> {
  const actions = module.steps.flatMap((s) => Object.values(s.actions));
  return new Set(actions.flatMap((a) => (a.kind === 'run' || a.kind === 'shell' ? [a.name] : [])));
}
/**
 * Nothing the module made is left: neither its labelled containers nor containers with its names (a learner
 * who typed the lines has no label), nor its volumes.
 */
export const moduleEmpty = (f: LabFacts, module: LabModule, volumes: string[]) => {
  const names = containerNamesOf(module);
  return (
    !f.containers.some((c) => c.labels[LABELS.module] === module.id || names.has(c.name)) &&
    !volumes.some((v) => volumeExists(f, v))
  );
};
/** A button's result was seen on the daemon (the lab command records it under the action's milestone key). */
export const observed = (f: LabFacts, module: string, step: string, action: string) =>
  f.observed.has(markKey(module, step, action));
export const reached = (f: LabFacts, module: string, step: string) => f.reached.has(stepKey(module, step));
export const marked = (f: LabFacts, module: string, step: string, mark: string) =>
  f.reached.has(markKey(module, step, mark));
export const imageNamed = (images: string[], ref: string) => {
  const withTag = ref.includes(':') ? ref : `${ref}:latest`;
  return images.some((i) => i === ref || i === withTag);
};

export const sleeper = (
  name: string,
  mounts: LabRunAction['mounts'],
  extra: Partial<LabRunAction> = {},
): LabAction => ({
  kind: 'run',
  name,
  command: ['sleep', '3600'],
  mounts,
  ...extra,
});
export const step = (
  id: string,
  actions: Record<string, LabAction>,
  done?: LabStep['done'],
  marks?: LabStep['marks'],
  files?: LabStep['files'],
): LabStep => ({ id, actions, ...(done ? { done } : {}), ...(marks ? { marks } : {}), ...(files ? { files } : {}) });
