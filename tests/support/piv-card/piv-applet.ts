import { SW, type CommandApdu, type Response } from './apdu';
import { CardKey } from './card-key';
import {
  applicationPropertyTemplate,
  certificateContainer,
  chuidObject,
  discoveryObject,
  keyHistoryObject,
  PIV_AID,
  PIV_TAG,
} from './piv-objects';
import { findTlv, parseTlvs, tlv } from './tlv';

/** Key references (SP 800-73-4 Part 1 Table 4b) and the certificate container of each. */
export const PIV_KEY_REF = {
  authentication: 0x9a,
  signature: 0x9c,
  keyManagement: 0x9d,
  cardAuthentication: 0x9e,
} as const;
export type PivSlotName = keyof typeof PIV_KEY_REF;
const CONTAINER: Record<PivSlotName, number> = {
  authentication: PIV_TAG.authentication,
  signature: PIV_TAG.signature,
  keyManagement: PIV_TAG.keyManagement,
  cardAuthentication: PIV_TAG.cardAuthentication,
};

export interface PivCardContents {
  /** 6 to 8 digits. */
  pin: string;
  /** Tries before the PIN blocks (default 3). */
  pinTries?: number;
  /** 16 bytes: the CHUID GUID (the card UUID of the 9A certificate). */
  guid: Buffer;
  fascn: Buffer;
  expires?: Date;
  label?: string;
  slots: Partial<Record<PivSlotName, { privateKey: Buffer; certificate: Buffer | null }>>;
}

/** What the card saw, for tests; VERIFY's data (the PIN) is never recorded, only its length. */
export interface ApduLogEntry {
  ins: number;
  p1: number;
  p2: number;
  /** Bytes of command data: a VERIFY with none asks the PIN status, one with 8 carries a PIN. */
  dataLength: number;
  sw: number;
  at: number;
}

const INS = { select: 0xa4, getData: 0xcb, verify: 0x20, generalAuthenticate: 0x87 } as const;
const PIV_PIN_REF = 0x80;

function padPin(pin: string): Buffer {
  if (!/^\d{6,8}$/.test(pin)) throw new RangeError('a PIV PIN is 6 to 8 digits');
  return Buffer.concat([Buffer.from(pin, 'ascii'), Buffer.alloc(8 - pin.length, 0xff)]);
}

/** SP 800-73-4 §3.2.1 PIN format: digits, then 0xFF padding to 8 bytes, at least 6 digits. */
const wellFormedPin = (data: Buffer) => data.length === 8 && /^\d{6,8}\xff*$/.test(data.toString('latin1'));

/**
 * The PIV Card Application: SELECT, GET DATA, VERIFY (PIV PIN with a retry counter) and GENERAL
 * AUTHENTICATE. The retry counter and keys persist like card memory; the selection and security
 * status are lost at every power cycle (card removal, reset).
 */
export class PivApplet {
  readonly log: ApduLogEntry[] = [];
  readonly maxTries: number;
  #triesLeft: number;
  readonly #pin: Buffer;
  readonly #keys = new Map<number, CardKey>();
  readonly #objects = new Map<number, Buffer>();
  readonly #apt: Buffer;
  #selected = false;
  #verified = false;
  /** PIN-always for 9C: set by a successful VERIFY, spent by the very next command. */
  #justVerified = false;

  constructor(contents: PivCardContents) {
    this.#pin = padPin(contents.pin);
    this.maxTries = contents.pinTries ?? 3;
    this.#triesLeft = this.maxTries;
    const expires = contents.expires ?? new Date(Date.now() + 3 * 365 * 86_400_000);
    this.#objects.set(PIV_TAG.chuid, chuidObject(contents.fascn, contents.guid, expires));
    this.#objects.set(PIV_TAG.discovery, discoveryObject());
    this.#objects.set(PIV_TAG.keyHistory, keyHistoryObject());
    for (const [name, slot] of Object.entries(contents.slots) as [
      PivSlotName,
      { privateKey: Buffer; certificate: Buffer | null },
    ][]) {
      this.#keys.set(PIV_KEY_REF[name], new CardKey(slot.privateKey));
      if (slot.certificate) this.#objects.set(CONTAINER[name], certificateContainer(slot.certificate));
    }
    this.#apt = applicationPropertyTemplate(
      contents.label ?? 'Enclave test PIV',
      [...this.#keys.values()].map((k) => k.algorithm),
    );
  }

  get triesLeft(): number {
    return this.#triesLeft;
  }

  get verified(): boolean {
    return this.#verified;
  }

  /** Power-on or reset: nothing selected, nothing verified. */
  reset(): void {
    this.#selected = false;
    this.#verified = false;
    this.#justVerified = false;
  }

  process(command: CommandApdu): Response {
    const response = this.#dispatch(command);
    this.log.push({
      ins: command.ins,
      p1: command.p1,
      p2: command.p2,
      dataLength: command.data.length,
      sw: response.sw,
      at: performance.now(),
    });
    return response;
  }

  #dispatch(command: CommandApdu): Response {
    const pinAlways = this.#justVerified;
    this.#justVerified = false;
    if (command.ins === INS.select) return this.#select(command);
    if (!this.#selected) return { sw: SW.INS_NOT_SUPPORTED };
    switch (command.ins) {
      case INS.getData:
        return this.#getData(command);
      case INS.verify:
        return this.#verify(command);
      case INS.generalAuthenticate:
        return this.#generalAuthenticate(command, pinAlways);
      default:
        return { sw: SW.INS_NOT_SUPPORTED };
    }
  }

  /** By AID, right-truncated allowed; an unknown AID leaves the current selection as it was. */
  #select(command: CommandApdu): Response {
    const aid = command.data;
    if (
      command.p1 !== 0x04 ||
      aid.length < 5 ||
      aid.length > PIV_AID.length ||
      !PIV_AID.subarray(0, aid.length).equals(aid)
    )
      return { sw: SW.FILE_NOT_FOUND };
    this.#selected = true;
    return { data: this.#apt, sw: SW.OK };
  }

  #getData(command: CommandApdu): Response {
    if (command.p1 !== 0x3f || command.p2 !== 0xff) return { sw: SW.INCORRECT_P1P2 };
    let tagBytes: Buffer | undefined;
    try {
      tagBytes = findTlv(parseTlvs(command.data), 0x5c);
    } catch {
      return { sw: SW.WRONG_DATA };
    }
    if (!tagBytes || tagBytes.length === 0 || tagBytes.length > 3) return { sw: SW.WRONG_DATA };
    const object = this.#objects.get(tagBytes.readUIntBE(0, tagBytes.length));
    return object ? { data: object, sw: SW.OK } : { sw: SW.FILE_NOT_FOUND };
  }

  #verify(command: CommandApdu): Response {
    if (command.p2 !== PIV_PIN_REF) return { sw: SW.REFERENCE_NOT_FOUND };
    if (command.p1 === 0xff) {
      // Reset the security status (what OpenSC sends for C_Logout).
      this.#verified = false;
      return { sw: SW.OK };
    }
    if (command.p1 !== 0x00) return { sw: SW.INCORRECT_P1P2 };
    if (this.#triesLeft === 0) return { sw: SW.AUTH_METHOD_BLOCKED };
    // Empty VERIFY: the status, without spending a try.
    if (command.data.length === 0) return { sw: this.#verified ? SW.OK : SW.verifyFailed(this.#triesLeft) };
    if (!wellFormedPin(command.data)) return { sw: SW.WRONG_DATA };
    if (command.data.equals(this.#pin)) {
      this.#triesLeft = this.maxTries;
      this.#verified = true;
      this.#justVerified = true;
      return { sw: SW.OK };
    }
    this.#triesLeft -= 1;
    this.#verified = false;
    return { sw: SW.verifyFailed(this.#triesLeft) };
  }

  /** 7C { 82 00, 81 challenge } signs or decrypts; 7C { 82 00, 85 point } is ECDH. */
  #generalAuthenticate(command: CommandApdu, pinAlways: boolean): Response {
    const key = this.#keys.get(command.p2);
    if (!key) return { sw: SW.REFERENCE_NOT_FOUND };
    if (command.p1 !== key.algorithm) return { sw: SW.INCORRECT_P1P2 };
    let challenge: Buffer | undefined;
    let point: Buffer | undefined;
    try {
      const template = findTlv(parseTlvs(command.data), 0x7c);
      if (!template) return { sw: SW.WRONG_DATA };
      const items = parseTlvs(template);
      if (findTlv(items, 0x82) === undefined) return { sw: SW.WRONG_DATA };
      challenge = findTlv(items, 0x81);
      point = findTlv(items, 0x85);
    } catch {
      return { sw: SW.WRONG_DATA };
    }
    if (
      command.p2 === PIV_KEY_REF.signature
        ? !(this.#verified && pinAlways)
        : command.p2 !== PIV_KEY_REF.cardAuthentication && !this.#verified
    ) {
      return { sw: SW.SECURITY_NOT_SATISFIED };
    }
    try {
      let result: Buffer;
      if (challenge && key.type === 'rsa') result = key.rawRsa(challenge);
      else if (challenge && command.p2 !== PIV_KEY_REF.keyManagement) result = key.ecdsa(challenge);
      else if (point && key.type === 'ec') result = key.ecdh(point);
      else return { sw: SW.WRONG_DATA };
      return { data: tlv(0x7c, tlv(0x82, result)), sw: SW.OK };
    } catch {
      return { sw: SW.WRONG_DATA };
    }
  }
}
