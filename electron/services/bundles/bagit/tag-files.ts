/**
 * Reading BagIt tag files: the encodings RFC 8493 allows in practice, bagit.txt's two fixed lines,
 * bag-info.txt's labelled values (with continuation lines), manifest and fetch.txt lines.
 */

export type TagEncoding = 'utf-8' | 'latin1' | 'utf-16';

/** The Tag-File-Character-Encoding values we read, or null for one we do not. */
export function tagEncodingOf(name: string): TagEncoding | null {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  if (n === 'utf-8' || n === 'utf8' || n === 'us-ascii' || n === 'ascii') return 'utf-8';
  if (n === 'iso-8859-1' || n === 'latin1' || n === 'latin-1' || n === 'iso8859-1') return 'latin1';
  if (n === 'utf-16' || n === 'utf-16le' || n === 'utf-16be' || n === 'utf16') return 'utf-16';
  return null;
}

export class TagDecodeError extends Error {}

/** Bytes to text in the bag's tag-file encoding; UTF-16 follows its byte-order mark (big-endian without one). */
export function decodeTagFile(bytes: Buffer, encoding: TagEncoding, declared = ''): string {
  if (encoding === 'latin1') return bytes.toString('latin1');
  if (encoding === 'utf-8') {
    try {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      return text.startsWith('\uFEFF') ? text.slice(1) : text;
    } catch {
      throw new TagDecodeError('it is not valid UTF-8');
    }
  }
  if (bytes.length % 2 !== 0) throw new TagDecodeError('it has an odd number of bytes for UTF-16');
  let littleEndian = /le$/i.test(declared.trim());
  let body = bytes;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) [littleEndian, body] = [true, bytes.subarray(2)];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [littleEndian, body] = [false, bytes.subarray(2)];
  const le = littleEndian ? Buffer.from(body) : Buffer.from(body).swap16();
  return le.toString('utf16le');
}

/** Lines split on LF, CRLF or CR; a final empty line (the file's last newline) is dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface TagLine {
  label: string;
  value: string;
  line: number;
  /** Whitespace between the label and its colon (`Label : value`). */
  spaceBeforeColon: boolean;
  /** Other stray whitespace: at the line's start, none or several after the colon, at the value's end. */
  looseWhitespace: boolean;
}

/**
 * bag-info.txt (and bagit.txt) as labelled values: `Label: value`, a line starting with space or
 * tab continues the previous value. Lines that are neither come back in `bad`.
 */
export function parseTagLines(text: string): { entries: TagLine[]; bad: { line: number; text: string }[] } {
  const entries: TagLine[] = [];
  const bad: { line: number; text: string }[] = [];
  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const last = entries[entries.length - 1];
    if (/^[ \t]/.test(raw) && last) {
      last.value = `${last.value} ${raw.trim()}`;
      return;
    }
    const colon = raw.indexOf(':');
    if (raw.trim() === '') return;
    if (colon <= 0 || raw.slice(0, colon).trim() === '') {
      bad.push({ line, text: raw });
      return;
    }
    const rawLabel = raw.slice(0, colon);
    const rest = raw.slice(colon + 1);
    const label = rawLabel.trim();
    const value = rest.replace(/^[ \t]/, '');
    const spaceBeforeColon = /[ \t]$/.test(rawLabel);
    const looseWhitespace =
      /^[ \t]/.test(rawLabel) || !/^[ \t]/.test(rest) || /^[ \t]/.test(value) || /[ \t]$/.test(value);
    entries.push({ label, value: value.trim(), line, spaceBeforeColon, looseWhitespace });
  });
  return { entries, bad };
}

export interface ManifestLine {
  hash: string;
  rawPath: string;
  line: number;
  /** `HASH *path`: md5sum's binary-mode marker, stripped. */
  binaryMarker: boolean;
}

/** A manifest line: a checksum, one or more spaces or tabs, the path (which may itself hold spaces). */
export function parseManifestLine(raw: string, line: number): ManifestLine | null {
  const match = /^([0-9A-Za-z]+)([ \t]+)(.+)$/.exec(raw);
  if (!match) return null;
  const [, hash = '', separator = '', rest = ''] = match;
  const binaryMarker = separator === ' ' && rest.startsWith('*');
  return { hash, rawPath: binaryMarker ? rest.slice(1) : rest, line, binaryMarker };
}

export interface FetchLine {
  url: string;
  length: number | null;
  rawPath: string;
  line: number;
}

/** A fetch.txt line: URL, length in octets or `-`, path. */
export function parseFetchLine(raw: string, line: number): FetchLine | null {
  const [, url = '', length = '', rawPath = ''] = /^(\S+)[ \t]+(\d+|-)[ \t]+(.+)$/.exec(raw) ?? [];
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return null;
  return { url, length: length === '-' ? null : Number(length), rawPath, line };
}

/** Hex digest lengths of the algorithms we compute; others are reported and not checked. */
export const DIGEST_HEX_LENGTH: Record<string, number> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};
