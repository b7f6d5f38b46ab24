import { hash } from 'node:crypto';

/**
 * The diode's datagram (docs/diode.md, "Datagram format"): a 32-byte header, the payload, and a
 * 16-byte trailer holding the first 16 bytes of SHA-256 over header and payload. All integers are
 * big-endian. A datagram whose trailer does not match is dropped and counted as corrupt.
 */
export const MAGIC = 0x4544494f; // "EDIO"
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 32;
export const TRAILER_BYTES = 16;
export const OVERHEAD_BYTES = HEADER_BYTES + TRAILER_BYTES;
export const SESSION_ID_BYTES = 16;
/** IPv4 Ethernet: 1500 MTU - 20 IP - 8 UDP. */
export const DEFAULT_PACKET_SIZE = 1472;
export const MIN_PACKET_SIZE = 512;
/** Under the 65,507-byte IPv4 UDP limit, with the payload length still fitting 16 bits. */
export const MAX_PACKET_SIZE = 65_000;

export enum Kind {
  Data = 1,
  Repair = 2,
  Beacon = 3,
  End = 4,
}

export interface Datagram {
  kind: Kind;
  session: Buffer;
  /** The session id as 32 lowercase hex digits (map keys, reports). */
  sessionHex: string;
  group: number;
  /** Data blocks 0..K-1, repair blocks K..K+M-1 (K, M from the beacon). */
  index: number;
  /** Which pass of `--repeat` sent it, from 1. */
  pass: number;
  payload: Buffer;
}

export interface DatagramFields {
  kind: Kind;
  session: Uint8Array;
  group: number;
  index: number;
  pass: number;
}

/** Writes a datagram around a payload: header + payload + trailer, into `reuse` when it is the right size. */
export function encodeDatagram(fields: DatagramFields, payload: Uint8Array, reuse?: Buffer): Buffer {
  const size = OVERHEAD_BYTES + payload.length;
  const out = reuse?.length === size ? reuse : Buffer.allocUnsafe(size);
  out.writeUInt32BE(MAGIC, 0);
  out[4] = FORMAT_VERSION;
  out[5] = fields.kind;
  out.writeUInt16BE(payload.length, 6);
  out.set(fields.session, 8);
  out.writeUInt32BE(fields.group, 24);
  out.writeUInt16BE(fields.index, 28);
  out.writeUInt16BE(fields.pass, 30);
  out.set(payload, HEADER_BYTES);
  const end = HEADER_BYTES + payload.length;
  out.set(digest(out.subarray(0, end)), end);
  return out;
}

function digest(bytes: Uint8Array): Buffer {
  return (hash('sha256', bytes, 'buffer') as unknown as Buffer).subarray(0, TRAILER_BYTES);
}

export type DecodeFailure = 'short' | 'magic' | 'version' | 'kind' | 'length' | 'hash';

/** Parses and checks one received datagram; the payload is a view of `bytes`. */
export function decodeDatagram(bytes: Buffer): Datagram | DecodeFailure {
  if (bytes.length < OVERHEAD_BYTES) return 'short';
  if (bytes.readUInt32BE(0) !== MAGIC) return 'magic';
  if (bytes[4] !== FORMAT_VERSION) return 'version';
  const kind = bytes[5]!;
  if (kind < Kind.Data || kind > Kind.End) return 'kind';
  const length = bytes.readUInt16BE(6);
  if (HEADER_BYTES + length + TRAILER_BYTES !== bytes.length) return 'length';
  const end = HEADER_BYTES + length;
  if (!digest(bytes.subarray(0, end)).equals(bytes.subarray(end))) return 'hash';
  const session = bytes.subarray(8, 24);
  return {
    kind,
    session,
    sessionHex: session.toString('hex'),
    group: bytes.readUInt32BE(24),
    index: bytes.readUInt16BE(28),
    pass: bytes.readUInt16BE(30),
    payload: bytes.subarray(HEADER_BYTES, end),
  };
}
