import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { BundleSettings } from '../../../common/bundle/bundle-settings';
import type { BundleProblem } from './bundle-verify';
import { ServiceError } from '../service-error';
import { extractBundleTar, TarError, writeBundleTar } from './tar';
import { parsePart } from './tar/tar-parts';

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

/**
 * The files a user handed over for one bundle, in reading order, checked by the names they know them
 * by (a host may keep them under other names): one tar, or every part of one split set, once each.
 */
export function partsInOrder(files: readonly { path: string; name: string }[]): string[] {
  if (files.length === 1) return [files[0]!.path];
  const parts = files.map((f) => ({ path: f.path, name: f.name, part: parsePart(f.name) }));
  const stray = parts.find((p) => !p.part);
  if (stray)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `Several files were given, and "${stray.name}" is not a part of a split bundle (NAME.part-0001-of-000N): give one tar, or every part of one.`,
    );
  const first = parts[0]!.part!;
  if (parts.some((p) => p.part!.base !== first.base || p.part!.count !== first.count))
    throw new ServiceError('INVALID_ARGUMENT', 'The parts given belong to more than one split bundle.');
  const byIndex = new Map(parts.map((p) => [p.part!.index, p.path]));
  for (let index = 1; index <= first.count; index++)
    if (!byIndex.has(index))
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `Part ${index} of ${first.count} of ${first.base} is missing: every part is needed.`,
      );
  if (byIndex.size !== parts.length)
    throw new ServiceError('INVALID_ARGUMENT', `A part of ${first.base} was given twice.`);
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, path]) => path);
}
