import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { foldKey, unsafePathReason } from '../bagit/path-rules';
import { SourceReader } from './source-reader';
import { TarError } from './tar-error';
import { BLOCK, isZeroBlock, parseHeader, parsePaxRecords } from './tar-header';
import { resolveTarSources } from './tar-parts';

export interface TarLimits {
  /** Files and directories in the tar. */
  maxEntries: number;
  /** One file's size. */
  maxEntryBytes: number;
  /** All files' sizes together. */
  maxTotalBytes: number;
  /** One path, in UTF-8 bytes. */
  maxPathBytes: number;
}

const GiB = 1024 * 1024 * 1024;
/** The Enclave profile's bounds (DEFAULT_ENCLAVE_LIMITS) with room for the tag files and folders. */
export const DEFAULT_TAR_LIMITS: Readonly<TarLimits> = {
  maxEntries: 20_016,
  maxEntryBytes: GiB,
  maxTotalBytes: 4 * GiB + 64 * 1024 * 1024,
  maxPathBytes: 240,
};

/** pax and GNU long-name headers are metadata, read into memory: bounded well below a block of names. */
const MAX_META_BYTES = 64 * 1024;
const CHUNK = 1024 * 1024;
const MAX_END_PADDING = 1024 * 1024;

export interface ExtractedTar {
  dir: string;
  files: number;
  directories: number;
  bytes: number;
}

/**
 * Extracts a bundle's tar (one file, or its parts: see resolveTarSources) into destDir, which must
 * not exist. Streams with bounded memory; refuses, with a TarError naming the reason, anything that
 * is not a plain file or directory, any path that is unsafe on any system, duplicates and
 * case/normalisation collisions, anything past the limits, a tar cut short or followed by
 * garbage. Works in a fresh folder beside destDir and renames it into place only when the whole
 * tar has been read: on any refusal nothing is left behind.
 */
export async function extractBundleTar(
  sources: readonly string[],
  destDir: string,
  limits: Partial<TarLimits> = {},
): Promise<ExtractedTar> {
  const bounds = { ...DEFAULT_TAR_LIMITS, ...limits };
  const paths = await resolveTarSources(sources);
  if (await exists(destDir)) throw new TarError('TAR_DEST_EXISTS', 'The destination folder already exists.', destDir);
  const work = join(dirname(destDir), `.${basename(destDir)}.partial-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(work, { mode: 0o700 }).catch((error: Error) => {
    throw new TarError('TAR_IO', `The folder to extract into cannot be made (${error.message}).`, destDir);
  });
  // Headers, padding and the end blocks on top of the payload; past this the tar is refused unread.
  const maxArchive = bounds.maxTotalBytes + (bounds.maxEntries + 4) * 3 * BLOCK + 20 * BLOCK + MAX_META_BYTES * 2;
  const reader = new SourceReader(paths, maxArchive);
  try {
    const result = await extractInto(reader, work, bounds);
    await fs.rename(work, destDir);
    return { ...result, dir: destDir };
  } catch (error) {
    await fs.rm(work, { recursive: true, force: true });
    if (error instanceof TarError) throw error;
    throw new TarError('TAR_IO', `The tar could not be extracted (${(error as Error).message}).`);
  } finally {
    await reader.close();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A GNU long name: its bytes up to the first NUL, which must be UTF-8. */
function decodeName(data: Buffer): string {
  const end = data.indexOf(0);
  try {
    return utf8.decode(end === -1 ? data : data.subarray(0, end));
  } catch {
    throw new TarError('TAR_BAD_PATH', "A tar entry's long name is not valid UTF-8.");
  }
}

async function exists(path: string): Promise<boolean> {
  return fs.lstat(path).then(
    () => true,
    () => false,
  );
}

async function readBlock(reader: SourceReader, block: Buffer, what: string): Promise<void> {
  if ((await reader.read(block, BLOCK)) !== BLOCK)
    throw new TarError('TAR_TRUNCATED', `The tar ends in the middle of ${what}: it was cut short.`);
}

async function readMeta(reader: SourceReader, size: number): Promise<Buffer> {
  if (size > MAX_META_BYTES)
    throw new TarError('TAR_BAD_HEADER', `A tar metadata header claims ${size} bytes, more than ${MAX_META_BYTES}.`);
  const padded = Buffer.alloc(Math.ceil(size / BLOCK) * BLOCK);
  if ((await reader.read(padded, padded.length)) !== padded.length)
    throw new TarError('TAR_TRUNCATED', 'The tar ends in the middle of a metadata header: it was cut short.');
  return padded.subarray(0, size);
}

async function extractInto(reader: SourceReader, work: string, bounds: TarLimits) {
  const block = Buffer.alloc(BLOCK);
  const chunk = Buffer.allocUnsafe(CHUNK);
  const fileSet = new Set<string>();
  const dirSet = new Set<string>();
  const implicitDirs = new Set<string>();
  const made = new Set<string>();
  const folded = new Map<string, string>();
  let files = 0;
  let directories = 0;
  let total = 0;
  let pax: Map<string, string> | null = null;
  let longName: string | null = null;
  let metaRun = 0;

  const claim = (path: string) => {
    const key = foldKey(path);
    const other = folded.get(key);
    if (other !== undefined && other !== path)
      throw new TarError(
        'TAR_COLLISION',
        `"${other}" and "${path}" would be one file on a case-insensitive or normalising file system.`,
        path,
      );
    folded.set(key, path);
  };

  for (;;) {
    await readBlock(reader, block, 'a header');
    if (isZeroBlock(block)) {
      if (pax || longName) throw new TarError('TAR_BAD_HEADER', 'The tar ends right after an extended header.');
      await readEnd(reader, block);
      return { files, directories, bytes: total };
    }
    const header = parseHeader(block);
    if (header.type === 'x' || header.type === 'g' || header.type === 'L') {
      // An entry has at most a pax and a long-name header before it: a run of them is a flood.
      if (++metaRun > 3) throw new TarError('TAR_BAD_HEADER', 'The tar has a run of metadata headers with no entry.');
      if (header.type === 'x' && pax)
        throw new TarError('TAR_BAD_HEADER', 'Two pax headers in a row describe one entry.');
      const data = await readMeta(reader, header.size);
      if (header.type === 'x') pax = parsePaxRecords(data);
      else if (header.type === 'g')
        parsePaxRecords(data); // global defaults: checked for form, not applied
      else longName = decodeName(data);
      continue;
    }
    metaRun = 0;
    let path = pax?.get('path') ?? longName ?? header.name;
    const sizeText = pax?.get('size');
    if (sizeText !== undefined && !/^\d{1,15}$/.test(sizeText))
      throw new TarError('TAR_BAD_HEADER', 'A pax size is not a number.', path);
    const size = sizeText !== undefined ? Number(sizeText) : header.size;
    if ([...(pax?.keys() ?? [])].some((k) => k.startsWith('GNU.sparse')))
      throw new TarError('TAR_UNSUPPORTED_ENTRY', 'A sparse file is not a plain file.', path);
    pax = null;
    longName = null;

    if (header.type === '1' || header.type === '2' || header.type === 'K')
      throw new TarError(
        'TAR_LINK_ENTRY',
        `The tar holds a ${header.type === '2' ? 'symbolic' : 'hard'} link; bundles hold plain files only.`,
        path,
      );
    if (header.type === '3' || header.type === '4' || header.type === '6')
      throw new TarError('TAR_DEVICE_ENTRY', 'The tar holds a device or a pipe; bundles hold plain files only.', path);
    if (header.type !== '0' && header.type !== '5')
      throw new TarError(
        'TAR_UNSUPPORTED_ENTRY',
        `The tar holds an entry of type "${header.type}", not a plain file or folder.`,
        path,
      );
    const isDir = header.type === '5';
    if (isDir && size !== 0) throw new TarError('TAR_BAD_HEADER', 'A folder entry claims a size.', path);

    // `tar -C bag .` writes ./-prefixed names and a "./" entry for the root: tolerated.
    while (path.startsWith('./')) path = path.slice(2);
    if (isDir && path.endsWith('/')) path = path.slice(0, -1);
    if (isDir && path === '') continue;
    const unsafe = path === '' ? 'it is empty' : unsafePathReason(path);
    if (unsafe) throw new TarError('TAR_BAD_PATH', `A tar entry's path is unsafe: ${unsafe}.`, path);
    if (Buffer.byteLength(path) > bounds.maxPathBytes)
      throw new TarError('TAR_PATH_TOO_LONG', `A tar entry's path is over ${bounds.maxPathBytes} bytes.`, path);
    if (fileSet.has(path) || dirSet.has(path) || (!isDir && implicitDirs.has(path)))
      throw new TarError('TAR_DUPLICATE', 'The tar holds this path twice.', path);
    if (fileSet.size + dirSet.size + 1 > bounds.maxEntries)
      throw new TarError('TAR_TOO_MANY_ENTRIES', `The tar holds more than ${bounds.maxEntries} entries.`, path);
    if (size > bounds.maxEntryBytes)
      throw new TarError(
        'TAR_ENTRY_TOO_LARGE',
        `A file in the tar claims ${size} bytes, over the limit of ${bounds.maxEntryBytes}.`,
        path,
      );
    if (total + size > bounds.maxTotalBytes)
      throw new TarError(
        'TAR_TOTAL_TOO_LARGE',
        `The files in the tar come to more than the limit of ${bounds.maxTotalBytes} bytes.`,
        path,
      );
    (isDir ? dirSet : fileSet).add(path);
    claim(path);
    // Every parent is a folder: a file that is also a parent is refused, and parents collide like names.
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (fileSet.has(parent))
        throw new TarError('TAR_DUPLICATE', `"${parent}" is a file and also a folder in the tar.`, path);
      if (!implicitDirs.has(parent)) {
        implicitDirs.add(parent);
        claim(parent);
      }
    }
    if (isDir) {
      directories++;
      await fs.mkdir(join(work, path), { recursive: true, mode: 0o755 });
      continue;
    }
    files++;
    total += size;
    const parent = dirname(path);
    if (parent !== '.' && !dirSet.has(parent) && !made.has(parent)) {
      await fs.mkdir(join(work, parent), { recursive: true, mode: 0o755 });
      made.add(parent);
    }
    await copyEntry(reader, chunk, join(work, path), size, path);
  }
}

/** Copies one file's bytes (and skips its padding), written exclusively: never through a link. */
async function copyEntry(
  reader: SourceReader,
  chunk: Buffer,
  target: string,
  size: number,
  path: string,
): Promise<void> {
  const handle = await fs.open(
    target,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o644,
  );
  try {
    let left = size;
    while (left > 0) {
      const want = Math.min(left, chunk.length);
      const got = await reader.read(chunk, want);
      if (got > 0) await handle.write(chunk, 0, got);
      if (got !== want)
        throw new TarError('TAR_TRUNCATED', 'The tar ends in the middle of a file: it was cut short.', path);
      left -= got;
    }
    // No fsync: the folder is invisible until renamed, and every byte is verified against the
    // manifests before use, so a crash leaves at worst a bag that fails verification.
  } finally {
    await handle.close();
  }
  const padding = (BLOCK - (size % BLOCK)) % BLOCK;
  if (padding > 0 && (await reader.read(chunk, padding)) !== padding)
    throw new TarError('TAR_TRUNCATED', 'The tar ends in the padding after a file: it was cut short.', path);
}

/** After the first zero block: a second one (POSIX), then nothing but zeros to the end (record padding). */
async function readEnd(reader: SourceReader, block: Buffer): Promise<void> {
  await readBlock(reader, block, 'its end marker');
  if (!isZeroBlock(block))
    throw new TarError('TAR_TRAILING_GARBAGE', 'The tar has data after a zero block, where it should end.');
  // Record padding is a few KiB (GNU tar: 10 KiB records); past 1 MiB of zeros it is not padding.
  for (let padding = 0; ; padding += BLOCK) {
    const got = await reader.read(block, BLOCK);
    if (got === 0) return;
    if (!isZeroBlock(block.subarray(0, got)))
      throw new TarError('TAR_TRAILING_GARBAGE', 'The tar has data after its end marker.');
    if (padding >= MAX_END_PADDING)
      throw new TarError(
        'TAR_TRAILING_GARBAGE',
        'The tar goes on with zeros past its end marker, far beyond record padding.',
      );
  }
}
