import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { BundleSettings } from '../../../common/bundle/bundle-settings';
import type { BundleProblem } from './bundle-verify';
import { extractBundleTar, TarError, writeBundleTar } from './tar';

/** A bundle's bag as its tar (or parts), and back: the safe tar layer (./tar) with the site's limits. */

export interface PackedBundle {
  /** The tar, or its first part. */
  path: string;
  parts: string[];
  bytes: number;
  /** SHA-256 of the whole tar (the parts in order). */
  sha256: string;
}

export async function packBundle(bagDir: string, outFile: string, partBytes?: number): Promise<PackedBundle> {
  const parts = await writeBundleTar(bagDir, outFile, partBytes ? { partBytes } : {});
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  let bytes = 0;
  for (const part of parts) {
    bytes += statSync(part).size;
    const fd = openSync(part, 'r');
    try {
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
  return { path: parts[0]!, parts, bytes, sha256: hash.digest('hex') };
}

/** Unpacks into `destDir` (which must not exist) within the site's limits; on refusal nothing is left. */
export async function unpackBundle(
  sources: readonly string[],
  destDir: string,
  settings: Pick<BundleSettings, 'maxBundleBytes' | 'maxRecords'>,
): Promise<{ ok: true } | { ok: false; problems: BundleProblem[] }> {
  try {
    await extractBundleTar(sources, destDir, {
      maxEntries: settings.maxRecords + 16,
      maxTotalBytes: settings.maxBundleBytes,
      maxEntryBytes: settings.maxBundleBytes,
    });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TarError)) throw error;
    return {
      ok: false,
      problems: [
        { step: 'structure', code: error.code, ...(error.path ? { path: error.path } : {}), message: error.message },
      ],
    };
  }
}
