/**
 * Where src/core disagrees today with the expectations of composeCorpusPublic.expected.ts, case by case: the
 * defects real compose files show. The default tests skip exactly these cases; the known-gaps test asserts the
 * code still disagrees, so fixing one fails it, and the fix deletes its row here.
 */

/**
 * What a known gap is about: an entry's kind, the daemon volume an entry mounts, a problem, the stateful warning,
 * or the line an entry's lens shows (a tmpfs size as people write it; a Docker socket bind not called code reload).
 */
export type GapAspect = 'kind' | 'entryDaemonName' | 'problem' | 'statefulWarning' | 'tmpfsSizeText' | 'socketHint';

export interface KnownGap {
  file: string;
  service: string;
  /** The entry's target (entry aspects); absent for problem and statefulWarning. */
  target?: string;
  aspect: GapAspect;
  /**
   * What the specification says (a problem as `code@line`). The gap test asserts the code still says something else.
   */
  expected: string;
  why: string;
}

/** Each case once; the known-gaps test runs one test per row. None left: every case above is fixed. */
export const KNOWN_GAPS: KnownGap[] = [];
