/** How much of a compose or `.env` file is analysed: the budgets that keep a planted file from stalling the editor. */
/**
 * Bigger compose or `.env` files are not analysed: real ones are a few KiB, and a file planted in a
 * repository must not make the editor work for seconds. The analysis stays linear in the text below it.
 */
export const MAX_ANALYSED_BYTES = 256 * 1024;
/**
 * Volume entries read in one analysis. A list shared through an alias counts once per service that names it:
 * 16 KB of aliases can list hundreds of thousands of entries, which froze the editor.
 */
export const MAX_VOLUME_ENTRIES = 5_000;
