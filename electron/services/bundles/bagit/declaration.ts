import { join } from 'node:path';
import { readSmallFile } from './bag-files';
import type { ProblemList } from './problems';
import { decodeTagFile, parseTagLines, tagEncodingOf, TagDecodeError, type TagEncoding } from './tag-files';

/** What bagit.txt declares; defaults (1.0, UTF-8) stand in when it is missing or unreadable, so checks go on. */
export interface BagDeclaration {
  version: string | null;
  /** 1.0 and later: stricter bagit.txt, percent-encoded names, every manifest lists every file. */
  v1: boolean;
  encoding: TagEncoding;
  declaredEncoding: string | null;
}

const KNOWN_VERSIONS = new Set(['0.93', '0.94', '0.95', '0.96', '0.97', '1.0']);

/** Reads a tag file within the byte limit, or reports why it could not and returns null. */
export async function readTagBytes(
  root: string,
  path: string,
  maxBytes: number,
  list: ProblemList,
): Promise<Buffer | null> {
  try {
    return await readSmallFile(join(root, path), maxBytes);
  } catch (error) {
    if (error instanceof RangeError)
      list.problem('LIMIT_TAG_FILE_SIZE', `The tag file is ${error.message}, so it was not read.`, path);
    else list.problem('UNREADABLE', `The tag file could not be read (${(error as Error).message}).`, path);
    return null;
  }
}

/** RFC 8493 2.1.1: bagit.txt is UTF-8 without a byte-order mark, `BagIt-Version: M.N` then `Tag-File-Character-Encoding: ENCODING`. */
export async function readDeclaration(
  root: string,
  present: boolean,
  maxBytes: number,
  list: ProblemList,
): Promise<BagDeclaration> {
  const fallback: BagDeclaration = { version: null, v1: true, encoding: 'utf-8', declaredEncoding: null };
  if (!present) {
    list.problem('MISSING_BAGIT_TXT', 'The bag has no bagit.txt, so it is not a BagIt bag.', 'bagit.txt');
    return fallback;
  }
  const bytes = await readTagBytes(root, 'bagit.txt', maxBytes, list);
  if (!bytes) return fallback;
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    list.problem('BOM_IN_BAGIT_TXT', 'bagit.txt starts with a byte-order mark, which RFC 8493 forbids.', 'bagit.txt');
    body = bytes.subarray(3);
  }
  let text: string;
  try {
    text = decodeTagFile(body, 'utf-8');
  } catch (error) {
    list.problem('BAD_ENCODING', `bagit.txt is not readable: ${(error as TagDecodeError).message}.`, 'bagit.txt');
    return fallback;
  }
  const { entries, bad } = parseTagLines(text);
  for (const line of bad)
    list.problem('BAD_TAG_LINE', `Line ${line.line} of bagit.txt is not "Label: value".`, 'bagit.txt');
  const version = entries.find((e) => e.label.toLowerCase() === 'bagit-version');
  const encoding = entries.find((e) => e.label.toLowerCase() === 'tag-file-character-encoding');
  const v1 = !version || !/^0\./.test(version.value);
  for (const entry of entries) {
    if (entry.spaceBeforeColon)
      list.problem(
        'BAD_TAG_LINE',
        `Line ${entry.line} of bagit.txt has whitespace before its colon; the line must read "${entry.label}: value".`,
        'bagit.txt',
      );
    else if (entry.looseWhitespace)
      list.warning('TAG_LINE_WHITESPACE', `Line ${entry.line} of bagit.txt has stray whitespace.`, 'bagit.txt');
    if (entry !== version && entry !== encoding) {
      const message = `Line ${entry.line} of bagit.txt ("${entry.label}") is not one of its two lines.`;
      if (v1) list.problem('BAD_TAG_LINE', message, 'bagit.txt');
      else list.warning('BAD_TAG_LINE', message, 'bagit.txt');
    }
  }
  if (!version) list.problem('BAD_VERSION', 'bagit.txt has no BagIt-Version line.', 'bagit.txt');
  else if (!/^\d+\.\d+$/.test(version.value) || !KNOWN_VERSIONS.has(version.value))
    list.problem(
      'BAD_VERSION',
      `bagit.txt declares BagIt-Version "${version.value}", which is not a BagIt version.`,
      'bagit.txt',
    );
  if (v1 && version && encoding && entries.indexOf(version) > entries.indexOf(encoding))
    list.problem('BAD_TAG_LINE', 'bagit.txt must give BagIt-Version before Tag-File-Character-Encoding.', 'bagit.txt');
  if (!encoding) {
    list.problem('MISSING_ENCODING', 'bagit.txt has no Tag-File-Character-Encoding line.', 'bagit.txt');
    return { ...fallback, version: version?.value ?? null, v1 };
  }
  const tagEncoding = tagEncodingOf(encoding.value);
  if (!tagEncoding)
    list.problem(
      'UNSUPPORTED_ENCODING',
      `bagit.txt declares Tag-File-Character-Encoding "${encoding.value}", which this validator does not read (UTF-8, ISO-8859-1, UTF-16).`,
      'bagit.txt',
    );
  return { version: version?.value ?? null, v1, encoding: tagEncoding ?? 'utf-8', declaredEncoding: encoding.value };
}

export interface BagInfoEntry {
  label: string;
  value: string;
}

/** bag-info.txt's labelled values, in order (labels repeat; RFC 8493 2.2.2). Absent: an empty list. */
export async function readBagInfo(
  root: string,
  declaration: BagDeclaration,
  maxBytes: number,
  list: ProblemList,
): Promise<BagInfoEntry[]> {
  const bytes = await readTagBytes(root, 'bag-info.txt', maxBytes, list);
  if (!bytes) return [];
  let text: string;
  try {
    text = decodeTagFile(bytes, declaration.encoding, declaration.declaredEncoding ?? '');
  } catch (error) {
    list.problem('BAD_ENCODING', `bag-info.txt is not readable: ${(error as TagDecodeError).message}.`, 'bag-info.txt');
    return [];
  }
  const { entries, bad } = parseTagLines(text);
  for (const line of bad)
    list.problem('BAD_TAG_LINE', `Line ${line.line} of bag-info.txt is not "Label: value".`, 'bag-info.txt');
  for (const entry of entries)
    if (entry.spaceBeforeColon || entry.looseWhitespace)
      list.warning(
        'TAG_LINE_WHITESPACE',
        `Line ${entry.line} of bag-info.txt has stray whitespace around its label or value.`,
        'bag-info.txt',
      );
  return entries.map(({ label, value }) => ({ label, value }));
}
