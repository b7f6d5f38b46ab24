import { TarError } from './tar-error';

/**
 * POSIX ustar headers (IEEE 1003.1-2001 "pax" interchange format), read strictly: checksum
 * verified, numeric fields octal only, the ustar magic required (POSIX "ustar\0" "00" or GNU's
 * "ustar  \0"). Nothing here allocates more than one block.
 */
export const BLOCK = 512;

export interface TarHeader {
  name: string;
  size: number;
  type: string;
  linkName: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(block: Buffer, offset: number, length: number, field: string): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  try {
    return decoder.decode(end === -1 ? raw : raw.subarray(0, end));
  } catch {
    throw new TarError('TAR_BAD_PATH', `A tar header's ${field} is not valid UTF-8.`);
  }
}

function octal(block: Buffer, offset: number, length: number, field: string): number {
  const raw = block.subarray(offset, offset + length).toString('latin1');
  // Octal digits, padded with spaces or NULs; a base-256 size (high bit set) is refused: nothing we take is that large.
  const match = /^[ ]*([0-7]*)[ \0]*$/.exec(raw);
  if (!match) throw new TarError('TAR_BAD_HEADER', `A tar header's ${field} field is not an octal number.`);
  return match[1] === '' ? 0 : parseInt(match[1] ?? '0', 8);
}

export const isZeroBlock = (block: Buffer): boolean => block.every((b) => b === 0);

/** One header block → its fields; throws TarError on anything malformed. */
export function parseHeader(block: Buffer): TarHeader {
  const stored = octal(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  if (stored !== unsigned && stored !== signed)
    throw new TarError('TAR_BAD_HEADER', 'A tar header fails its checksum: the archive is corrupt or not a tar.');
  const magic = block.subarray(257, 265).toString('latin1');
  if (magic !== 'ustar\x0000' && magic !== 'ustar  \0')
    throw new TarError('TAR_BAD_HEADER', 'A tar header is not in the ustar or pax format.');
  const name = text(block, 0, 100, 'name');
  const prefix = magic.startsWith('ustar\0') ? text(block, 345, 155, 'prefix') : '';
  const typeByte = block[156] as number;
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: octal(block, 124, 12, 'size'),
    type: typeByte === 0 ? '0' : String.fromCharCode(typeByte),
    linkName: text(block, 157, 100, 'link name'),
  };
}

/** pax extended header records: `LENGTH key=value\n`, each length exact (POSIX pax, "pax Extended Header"). */
export function parsePaxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const lengthText = space === -1 ? '' : data.subarray(offset, space).toString('latin1');
    const length = /^[1-9][0-9]{0,6}$/.test(lengthText) ? Number(lengthText) : NaN;
    if (!(length > 0) || offset + length > data.length || data[offset + length - 1] !== 0x0a)
      throw new TarError('TAR_BAD_HEADER', 'A pax extended header has a malformed record.');
    let record: string;
    try {
      record = decoder.decode(data.subarray(space + 1, offset + length - 1));
    } catch {
      throw new TarError('TAR_BAD_PATH', 'A pax extended header record is not valid UTF-8.');
    }
    const equals = record.indexOf('=');
    if (equals <= 0) throw new TarError('TAR_BAD_HEADER', 'A pax extended header record has no key.');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

function putText(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar field overflow: ${value}`);
  bytes.copy(block, offset);
}

function putOctal(block: Buffer, offset: number, length: number, value: number): void {
  putText(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** A ustar header block: uid/gid 0, no user or group names, the given mode and time. */
export function encodeHeader(fields: {
  name: string;
  prefix?: string;
  size: number;
  type: string;
  mode: number;
  mtime: number;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  putText(block, 0, 100, fields.name);
  putOctal(block, 100, 8, fields.mode);
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  putOctal(block, 124, 12, fields.size);
  putOctal(block, 136, 12, fields.mtime);
  block.fill(0x20, 148, 156);
  block[156] = fields.type.charCodeAt(0);
  putText(block, 257, 8, 'ustar\x0000');
  if (fields.prefix) putText(block, 345, 155, fields.prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  putText(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** One pax record, its length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + 1;
  while (bodyBytes + String(length).length !== length) length = bodyBytes + String(length).length;
  return `${length}${body}`;
}
