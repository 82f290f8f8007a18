/** Verifying a backup: read it through (checksum, gzip, tar or SQL) and compare what it holds with its manifest. */
import { isDumpFile, type BackupManifest } from '../core/backups';
import { verifyDump } from '../docker/dump';
import { verifyArchive } from '../docker/verify';

/** What a backup holds, read through, and whether that agrees with its manifest (true when there is none). */
export type VerifyOutcome =
  | { kind: 'dump'; agrees: boolean; sqlBytes: number; manifest?: BackupManifest }
  | { kind: 'archive'; agrees: boolean; files: number; contentBytes: number; manifest?: BackupManifest };

/**
 * Reads `file` whole; a damaged file or a checksum that differs from the manifest's throws a DockerError, an aborted
 * `signal` throws one of kind `cancelled` and stops reading.
 */
export async function verifyBackupFlow(
  file: string,
  manifest: BackupManifest | undefined,
  signal?: AbortSignal,
): Promise<VerifyOutcome> {
  const known = manifest ? { manifest } : {};
  if (isDumpFile(file)) {
    const { sqlBytes } = await verifyDump(file, manifest?.sha256, signal);
    return { kind: 'dump', agrees: !manifest || manifest.bytes === sqlBytes, sqlBytes, ...known };
  }
  const check = await verifyArchive(file, {
    ...(manifest ? { expectedSha256: manifest.sha256 } : {}),
    ...(signal ? { signal } : {}),
  });
  const agrees = !manifest || (manifest.files === check.files && manifest.bytes === check.contentBytes);
  return { kind: 'archive', agrees, files: check.files, contentBytes: check.contentBytes, ...known };
}
