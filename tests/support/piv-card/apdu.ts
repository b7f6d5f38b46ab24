/**
 * ISO 7816-4 command and response APDUs: short and extended length (§5.1), command chaining
 * (CLA bit 0x10, §5.1.1.1) and GET RESPONSE (61xx, §7.6.1) for responses longer than Ne. The
 * applet behind it sees one whole command and returns one whole response.
 */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Buffer;
  /** Ne: the most response bytes the reader accepts (256 or 65536 for Le = 00 / 0000). */
  ne: number;
  /** Whether Le was present at all (case 2 and 4). */
  hasLe: boolean;
  extended: boolean;
}

export const SW = {
  OK: 0x9000,
  MORE_DATA: 0x6100,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  REFERENCE_NOT_FOUND: 0x6a88,
  LAST_COMMAND_EXPECTED: 0x6883,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  /** 63Cx: verification failed, x tries left. */
  verifyFailed: (triesLeft: number) => 0x63c0 | Math.min(triesLeft, 15),
} as const;

export interface Response {
  data?: Buffer;
  sw: number;
}

export class ApduFormatError extends Error {}

/** Parses the four ISO cases, short and extended. */
export function parseCommand(raw: Buffer): CommandApdu {
  if (raw.length < 4) throw new ApduFormatError('APDU shorter than its header');
  const [cla, ins, p1, p2] = [raw[0]!, raw[1]!, raw[2]!, raw[3]!];
  const base = { cla, ins, p1, p2 };
  const body = raw.subarray(4);
  if (body.length === 0) return { ...base, data: Buffer.alloc(0), ne: 0, hasLe: false, extended: false };
  if (body.length === 1) return { ...base, data: Buffer.alloc(0), ne: body[0] || 256, hasLe: true, extended: false };
  if (body[0] !== 0) {
    const lc = body[0]!;
    const data = body.subarray(1, 1 + lc);
    if (body.length === 1 + lc) return { ...base, data, ne: 0, hasLe: false, extended: false };
    if (body.length === 2 + lc) return { ...base, data, ne: body[1 + lc] || 256, hasLe: true, extended: false };
    throw new ApduFormatError('short APDU length mismatch');
  }
  // Extended: 00 then two-byte Lc or Le.
  if (body.length === 3)
    return { ...base, data: Buffer.alloc(0), ne: body.readUInt16BE(1) || 65536, hasLe: true, extended: true };
  const lc = body.readUInt16BE(1);
  const data = body.subarray(3, 3 + lc);
  if (lc === 0 || body.length < 3 + lc) throw new ApduFormatError('extended APDU length mismatch');
  if (body.length === 3 + lc) return { ...base, data, ne: 0, hasLe: false, extended: true };
  if (body.length === 5 + lc)
    return { ...base, data, ne: body.readUInt16BE(3 + lc) || 65536, hasLe: true, extended: true };
  throw new ApduFormatError('extended APDU length mismatch');
}

export function encodeResponse(data: Buffer | undefined, sw: number): Buffer {
  const trailer = Buffer.from([sw >> 8, sw & 0xff]);
  return data && data.length ? Buffer.concat([data, trailer]) : trailer;
}

const INS_GET_RESPONSE = 0xc0;

/** One applet's command handler; `command.data` is the whole chained data. */
export type CommandHandler = (command: CommandApdu) => Response;

/**
 * The card's transport layer: joins chained commands, splits long responses into 61xx pieces and
 * serves GET RESPONSE. State lives until the next power cycle (`reset`).
 */
export class ApduTransport {
  #chain: { ins: number; p1: number; p2: number; parts: Buffer[] } | null = null;
  #pending: { data: Buffer; sw: number } | null = null;

  constructor(private readonly handler: CommandHandler) {}

  reset(): void {
    this.#chain = null;
    this.#pending = null;
  }

  transmit(raw: Buffer): Buffer {
    let command: CommandApdu;
    try {
      command = parseCommand(raw);
    } catch {
      return encodeResponse(undefined, SW.WRONG_LENGTH);
    }
    if ((command.cla & 0x80) !== 0 || (command.cla & 0x0c) !== 0)
      return encodeResponse(undefined, SW.CLA_NOT_SUPPORTED); // no proprietary class, no SM
    if (command.ins === INS_GET_RESPONSE && !this.#chain) return this.#getResponse(command);
    this.#pending = null;
    if ((command.cla & 0x10) !== 0) return this.#chainPart(command);
    if (this.#chain) {
      const chain = this.#chain;
      this.#chain = null;
      if (chain.ins !== command.ins || chain.p1 !== command.p1 || chain.p2 !== command.p2)
        return encodeResponse(undefined, SW.LAST_COMMAND_EXPECTED);
      command = { ...command, data: Buffer.concat([...chain.parts, command.data]) };
    }
    const response = this.handler(command);
    return this.#send(response.data ?? Buffer.alloc(0), response.sw, command);
  }

  #chainPart(command: CommandApdu): Buffer {
    if (
      this.#chain &&
      (this.#chain.ins !== command.ins || this.#chain.p1 !== command.p1 || this.#chain.p2 !== command.p2)
    ) {
      this.#chain = null;
      return encodeResponse(undefined, SW.LAST_COMMAND_EXPECTED);
    }
    this.#chain ??= { ins: command.ins, p1: command.p1, p2: command.p2, parts: [] };
    this.#chain.parts.push(command.data);
    return encodeResponse(undefined, SW.OK);
  }

  /** Sends up to Ne bytes; the rest waits for GET RESPONSE behind 61xx (xx = 00 means 256 or more). */
  #send(data: Buffer, sw: number, command: CommandApdu): Buffer {
    // Without Le a response with data still goes out in pieces of 256 (what a T=0 card would do).
    const ne = command.hasLe ? command.ne : 256;
    if (data.length <= ne) return encodeResponse(data, sw);
    const rest = data.subarray(ne);
    this.#pending = { data: rest, sw };
    return encodeResponse(data.subarray(0, ne), SW.MORE_DATA | (Math.min(rest.length, 256) % 256));
  }

  #getResponse(command: CommandApdu): Buffer {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return encodeResponse(undefined, SW.CONDITIONS_NOT_SATISFIED);
    return this.#send(pending.data, pending.sw, { ...command, hasLe: true });
  }
}
