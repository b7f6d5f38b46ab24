import { MAX_GROUP_BLOCKS } from './reed-solomon';

/**
 * The beacon: what a receiver needs to place and check a transfer, repeated throughout it (kind
 * Beacon, and again in every End datagram). Layout in docs/diode.md.
 */
export interface Beacon {
  name: string;
  size: number;
  /** Payload bytes of every data and repair block (the last data block is zero-padded). */
  blockSize: number;
  /** Data blocks per group (the last group may hold fewer). */
  dataBlocks: number;
  repairBlocks: number;
  groups: number;
  passes: number;
  sha512: Buffer;
}

const FIXED_BYTES = 85;
const MAX_NAME_BYTES = 255;
/** 2^53 - 1: a size JavaScript counts exactly; caps come far lower (--max-bytes). */
const MAX_SAFE_SIZE = Number.MAX_SAFE_INTEGER;
export const MAX_BEACON_BYTES = FIXED_BYTES + MAX_NAME_BYTES;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Why a name is not one the receiver will write into quarantine, or null when it is. */
export function unsafeNameReason(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `the name is longer than ${MAX_NAME_BYTES} bytes`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name))
    return 'the name must start with a letter or digit and hold only letters, digits, ".", "_", "+" and "-"';
  if (WINDOWS_RESERVED.test(name)) return 'the name is reserved on Windows';
  if (name.endsWith('.')) return 'the name ends with "."';
  return null;
}

export function blocksOf(size: number, blockSize: number): number {
  return Math.ceil(size / blockSize);
}

export function groupsOf(size: number, blockSize: number, dataBlocks: number): number {
  return Math.ceil(blocksOf(size, blockSize) / dataBlocks);
}

export function encodeBeacon(beacon: Beacon): Buffer {
  const name = Buffer.from(beacon.name, 'utf8');
  const out = Buffer.alloc(FIXED_BYTES + name.length);
  out.writeBigUInt64BE(BigInt(beacon.size), 0);
  out.writeUInt16BE(beacon.blockSize, 8);
  out.writeUInt16BE(beacon.dataBlocks, 10);
  out.writeUInt16BE(beacon.repairBlocks, 12);
  out.writeUInt32BE(beacon.groups, 14);
  out.writeUInt16BE(beacon.passes, 18);
  out.set(beacon.sha512, 20);
  out[84] = name.length;
  out.set(name, FIXED_BYTES);
  return out;
}

/** Parses a beacon payload and checks it is self-consistent; a string says what is wrong. */
export function decodeBeacon(payload: Buffer): Beacon | string {
  if (payload.length < FIXED_BYTES) return 'beacon too short';
  const nameBytes = payload[84]!;
  if (payload.length !== FIXED_BYTES + nameBytes) return 'beacon length does not match its name length';
  const size = payload.readBigUInt64BE(0);
  if (size < 1n || size > BigInt(MAX_SAFE_SIZE)) return 'file size out of range';
  const beacon: Beacon = {
    size: Number(size),
    blockSize: payload.readUInt16BE(8),
    dataBlocks: payload.readUInt16BE(10),
    repairBlocks: payload.readUInt16BE(12),
    groups: payload.readUInt32BE(14),
    passes: payload.readUInt16BE(18),
    sha512: Buffer.from(payload.subarray(20, 84)),
    name: payload.subarray(FIXED_BYTES).toString('utf8'),
  };
  const nameProblem = unsafeNameReason(beacon.name);
  if (nameProblem) return `unsafe file name: ${nameProblem}`;
  if (beacon.blockSize < 16) return 'block size too small';
  if (beacon.dataBlocks < 1 || beacon.dataBlocks + beacon.repairBlocks > MAX_GROUP_BLOCKS)
    return 'group layout out of range';
  if (beacon.passes < 1) return 'pass count out of range';
  if (beacon.groups !== groupsOf(beacon.size, beacon.blockSize, beacon.dataBlocks))
    return 'group count does not match size and layout';
  return beacon;
}

export function sameBeacon(a: Beacon, b: Beacon): boolean {
  return (
    a.name === b.name &&
    a.size === b.size &&
    a.blockSize === b.blockSize &&
    a.dataBlocks === b.dataBlocks &&
    a.repairBlocks === b.repairBlocks &&
    a.groups === b.groups &&
    a.passes === b.passes &&
    a.sha512.equals(b.sha512)
  );
}
