import { isFutureDated } from '../core/backups';
import type { BackupFile } from '../docker/backupFolderScan';

/**
 * The archives a lab's Restore button may offer for `volume`: newest first, the future-dated ones last
 * (a name is only a claim; a file dated 2099 is not the newest backup). The button shows them and asks:
 * the folder may hold files the user did not make.
 */
export function restoreCandidates(backups: BackupFile[], volume: string, now: Date): BackupFile[] {
  const archives = backups.filter((b) => b.volume === volume && b.kind === 'archive');
  const rank = (b: BackupFile) => (isFutureDated(b.date, now) ? 1 : 0);
  return [...archives].sort((a, b) => rank(a) - rank(b) || b.date.getTime() - a.date.getTime());
}

/** Which archive the button restores: the one the user picks (`ask`), or without a person, the newest real one. */
export async function chooseLabArchive(
  candidates: BackupFile[],
  now: Date,
  ask: ((candidates: BackupFile[]) => Thenable<BackupFile | undefined>) | undefined,
): Promise<BackupFile | undefined> {
  if (ask) return ask(candidates);
  return candidates.find((b) => !isFutureDated(b.date, now));
}
