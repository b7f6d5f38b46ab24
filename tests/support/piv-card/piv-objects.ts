import { tlv } from './tlv';

/** The PIV application's AID with version (SP 800-73-4 Part 1 §2.2) and its RID. */
export const PIV_AID = Buffer.from('a000000308000010000100', 'hex');
const PIX = PIV_AID.subarray(5);
const RID = PIV_AID.subarray(0, 5);

/** BER-TLV tags of the data objects (SP 800-73-4 Part 1 Table 3). */
export const PIV_TAG = {
  chuid: 0x5fc102,
  authentication: 0x5fc105,
  signature: 0x5fc10a,
  keyManagement: 0x5fc10b,
  cardAuthentication: 0x5fc101,
  keyHistory: 0x5fc10c,
  discovery: 0x7e,
} as const;

/** Application property template: the SELECT response. */
export function applicationPropertyTemplate(label: string, algorithms: number[]): Buffer {
  const supported = [...new Set(algorithms)].map((id) => tlv(0x80, Buffer.from([id])));
  return tlv(
    0x61,
    tlv(0x4f, PIX),
    tlv(0x79, tlv(0x4f, RID)),
    tlv(0x50, Buffer.from(label, 'ascii')),
    tlv(0xac, ...supported, tlv(0x06, Buffer.from([0]))),
  );
}

/** Discovery object: the PIV AID, and a PIN usage policy of "PIV Card Application PIN only". */
export function discoveryObject(): Buffer {
  return tlv(0x7e, tlv(0x4f, PIV_AID), tlv(0x5f2f, Buffer.from([0x40, 0x00])));
}

/** A certificate container: 53 { 70 cert, 71 CertInfo (uncompressed), FE LRC }. */
export function certificateContainer(der: Buffer): Buffer {
  return tlv(0x53, tlv(0x70, der), tlv(0x71, Buffer.from([0x00])), tlv(0xfe));
}

/** Key history with no retired keys. */
export function keyHistoryObject(): Buffer {
  return tlv(0x53, tlv(0xc1, Buffer.from([0])), tlv(0xc2, Buffer.from([0])), tlv(0xfe));
}

/** CHUID: FASC-N, GUID (the card UUID), expiration date, an empty issuer signature, LRC. */
export function chuidObject(fascn: Buffer, guid: Buffer, expires: Date): Buffer {
  const date = expires.toISOString().slice(0, 10).replaceAll('-', '');
  return tlv(0x53, tlv(0x30, fascn), tlv(0x34, guid), tlv(0x35, Buffer.from(date, 'ascii')), tlv(0x3e), tlv(0xfe));
}

/**
 * FASC-N (TIG SCEPACS §6): 40 characters of 4 data bits (least significant first) plus odd
 * parity, packed into 25 bytes. DoD cards carry the EDIPI as the person identifier.
 */
export function fascn(fields: {
  agency: string;
  system: string;
  credential: string;
  personIdentifier: string;
}): Buffer {
  const SS = 0xb;
  const FS = 0xd;
  const ES = 0xf;
  const digits = (text: string, length: number) => {
    if (!new RegExp(`^\\d{${length}}$`).test(text)) throw new RangeError(`FASC-N field needs ${length} digits`);
    return [...text].map(Number);
  };
  const values = [
    SS,
    ...digits(fields.agency, 4),
    FS,
    ...digits(fields.system, 4),
    FS,
    ...digits(fields.credential, 6),
    FS,
    1,
    FS,
    1,
    FS,
    ...digits(fields.personIdentifier, 10),
    1,
    ...digits('0097', 4),
    1,
    ES,
  ];
  values.push(values.reduce((lrc, v) => lrc ^ v, 0));
  let bits = '';
  for (const value of values) {
    const data = [0, 1, 2, 3].map((bit) => (value >> bit) & 1);
    const parity = data.reduce((a, b) => a + b, 0) % 2 === 0 ? 1 : 0;
    bits += [...data, parity].join('');
  }
  return Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
}
