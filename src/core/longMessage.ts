/**
 * A notification shows about one line before it is cut off, so a long message loses the advice that usually
 * comes last. A long message is split into a short summary (its first sentence) shown in the notification, and
 * the whole text kept for a Details button.
 */
export interface SplitMessage {
  readonly summary: string;
  /** The whole message, when the summary leaves part of it out. */
  readonly details?: string;
}

/** Longer than this, a notification cuts the text (two lines of the workbench's default toast width). */
export const NOTIFICATION_CHARS = 140;
/** A first sentence is kept whole up to this length: a sentence cut in the middle says less than a long one. */
export const SUMMARY_CHARS = 200;

export function splitLongMessage(text: string, max = NOTIFICATION_CHARS, maxSummary = SUMMARY_CHARS): SplitMessage {
  const trimmed = text.trim();
  if (trimmed.length <= max) return { summary: trimmed };
  // A sentence ends at . ! ? followed by a space: "backup.tar.gz", "1.41" and "e.g.x" stay whole.
  const end = /[.!?](?=\s)/.exec(trimmed);
  let summary = end ? trimmed.slice(0, end.index + 1) : trimmed;
  if (summary.length > maxSummary) {
    // A first sentence that is itself too long is cut at a word, and says it goes on.
    const cut = summary.lastIndexOf(' ', max - 1);
    summary = `${summary.slice(0, cut > max / 2 ? cut : max - 1).replace(/[\s,;:]+$/, '')}…`;
  }
  return summary === trimmed ? { summary } : { summary, details: trimmed };
}
