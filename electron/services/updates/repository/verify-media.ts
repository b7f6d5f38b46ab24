import { DirectorySource } from '../tuf/directory-source';
import { TufError } from '../tuf/errors';
import type { TrustedMetadataStore } from '../tuf/metadata-store';
import { TufUpdater } from '../tuf/updater';
import { RepositoryError } from './errors';

/**
 * Verifies media exactly as a workstation will: Enclave's TUF client, trusting only `firstRoot`,
 * refreshes from the media and downloads every target named in `targetPaths`, checking length and
 * hashes. Throws a RepositoryError with the client's own reason when any of it would be refused.
 */
export async function verifyMedia(
  mediaDir: string,
  firstRoot: Uint8Array,
  targetPaths: readonly string[],
  now: Date,
): Promise<void> {
  const records = new Map<string, Uint8Array>([['root', firstRoot]]);
  const store: TrustedMetadataStore = {
    read: (role) => records.get(role) ?? null,
    write: (role, bytes) => void records.set(role, bytes),
  };
  const updater = new TufUpdater({ store, source: new DirectorySource(mediaDir), clock: { now: () => now } });
  try {
    await updater.refresh();
    for (const path of targetPaths) await updater.downloadTarget(await updater.getTargetInfo(path));
  } catch (error) {
    if (error instanceof TufError)
      throw new RepositoryError('refused', `The media would not verify on a workstation: ${error.message}`);
    throw error;
  }
}
