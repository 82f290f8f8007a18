/**
 * The labels the extension puts on what it creates, in one table: the docker layer, the flows, the labs' rules and
 * the commands read them here, so that what one room writes another finds.
 */

/** Every label of ours starts so: a backup's manifest tells ours (they only mark) from labels that change behaviour. */
export const LABEL_PREFIX = 'volumes-lab.';

export const LABELS = {
  /** On every volume and container the extension creates. */
  managed: `${LABEL_PREFIX}managed`,
  /** The walkthrough module that created it, whose reset removes it. */
  module: `${LABEL_PREFIX}module`,
  /** On every helper container (its value: the volume it mounts) and on the helper image, so leftovers are swept. */
  helper: `${LABEL_PREFIX}helper`,
  /** On a cloned volume: the volume it was copied from. */
  clonedFrom: `${LABEL_PREFIX}cloned-from`,
  /** On the volume a replacing restore extracts into first, checked before it replaces: the volume it replaces. */
  restoreOf: `${LABEL_PREFIX}restore-of`,
} as const;
