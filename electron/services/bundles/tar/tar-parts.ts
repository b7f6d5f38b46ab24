import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TarError } from './tar-error';

/**
 * A tar split for removable media is written as `NAME.part-0001-of-0003`, `NAME.part-0002-of-0003`,
 * ...: one-based, zero-padded to at least four digits, every part naming the count, so a missing or
 * stray part is seen from any one of them (docs/bagit.md, "Split tars").
 */
const PART = /^(.+)\.part-(\d{4,})-of-(\d{4,})$/;

export function partName(name: string, index: number, count: number): string {
  const width = Math.max(4, String(count).length);
  return `${name}.part-${String(index).padStart(width, '0')}-of-${String(count).padStart(width, '0')}`;
}

export interface PartName {
  base: string;
  index: number;
  count: number;
}

export function parsePart(path: string): PartName | null {
  const match = PART.exec(basename(path));
  if (!match) return null;
  const [, base = '', index = '', count = ''] = match;
  if (index.length !== count.length) return null;
  return { base, index: Number(index), count: Number(count) };
}

/**
 * The files to read, in order: one tar, a first part (its siblings found beside it), or every part
 * named in order. Refuses a missing part, a part out of order, a part from another set, and a
 * stray part beside the set (an extra part, or one from a split of another size).
 */
export async function resolveTarSources(sources: readonly string[]): Promise<string[]> {
  if (sources.length === 0) throw new TarError('TAR_NO_SOURCE', 'No tar file was given.');
  const first = sources[0] as string;
  const firstPart = parsePart(first);
  if (!firstPart) {
    if (sources.length > 1 && sources.some((s) => parsePart(s)))
      throw new TarError('TAR_PARTS', 'The files given mix a plain tar with split parts.');
    return [...sources];
  }
  if (firstPart.index !== 1)
    throw new TarError(
      'TAR_PARTS',
      `${basename(first)} is part ${firstPart.index}; give the first part, or every part in order.`,
      first,
    );
  const expected = Array.from({ length: firstPart.count }, (_, i) =>
    join(dirname(first), partName(firstPart.base, i + 1, firstPart.count)),
  );
  if (sources.length > 1) {
    if (sources.length !== expected.length)
      throw new TarError('TAR_PARTS', `${sources.length} parts were given; the set has ${firstPart.count}.`, first);
    sources.forEach((source, i) => {
      const part = parsePart(source);
      if (!part || part.base !== firstPart.base || part.count !== firstPart.count || part.index !== i + 1)
        throw new TarError(
          'TAR_PARTS',
          `${basename(source)} is not part ${i + 1} of ${firstPart.count} of ${firstPart.base}.`,
          source,
        );
    });
    return [...sources];
  }
  let siblings: string[];
  try {
    siblings = await fs.readdir(dirname(first));
  } catch (error) {
    throw new TarError(
      'TAR_NO_SOURCE',
      `The folder of ${basename(first)} cannot be read (${(error as Error).message}).`,
      first,
    );
  }
  const wanted = new Set(expected.map((p) => basename(p)));
  for (const name of siblings) {
    const part = parsePart(name);
    if (part && part.base === basename(firstPart.base) && !wanted.has(name))
      throw new TarError(
        'TAR_PARTS',
        `${name} lies beside the ${firstPart.count} parts and is not one of them.`,
        join(dirname(first), name),
      );
  }
  for (const path of expected)
    if (!siblings.includes(basename(path)))
      throw new TarError('TAR_PARTS', `${basename(path)} is missing: every part is needed.`, path);
  return expected;
}
