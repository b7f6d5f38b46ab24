import { createHash, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApduTransport, parseCommand, SW } from '../../support/piv-card/apdu';
import { ecdsaSignDigest } from '../../support/piv-card/ecdsa';
import { fascn } from '../../support/piv-card/piv-objects';
import { parseTlvs, tlv } from '../../support/piv-card/tlv';

// The PIV card emulator's own layers (tests/support/piv-card), below what OpenSC exercises:
// extended-length APDUs, chaining and GET RESPONSE, BER-TLV, the FASC-N encoding, ECDSA on a digest.

describe('the emulator’s ISO 7816-4 transport', () => {
  it('parses short and extended APDUs of every case', () => {
    expect(parseCommand(Buffer.from('00a40400', 'hex'))).toMatchObject({
      ins: 0xa4,
      data: Buffer.alloc(0),
      hasLe: false,
    });
    expect(parseCommand(Buffer.from('00c0000000', 'hex'))).toMatchObject({ ne: 256, hasLe: true, extended: false });
    expect(parseCommand(Buffer.from('00cb3fff055c035fc10200', 'hex'))).toMatchObject({
      data: Buffer.from('5c035fc102', 'hex'),
      ne: 256,
    });
    const long = randomBytes(300);
    const extended = parseCommand(
      Buffer.concat([Buffer.from('0087079a00012c', 'hex'), long, Buffer.from('0000', 'hex')]),
    );
    expect(extended).toMatchObject({ extended: true, ne: 65536 });
    expect(extended.data).toEqual(long);
    expect(() => parseCommand(Buffer.from('00a4040005a000', 'hex'))).toThrow();
  });

  it('joins a chained command and hands out a long answer in 61xx pieces through GET RESPONSE', () => {
    const seen: Buffer[] = [];
    const answer = randomBytes(600);
    const transport = new ApduTransport((command) => {
      seen.push(command.data);
      return { data: answer, sw: SW.OK };
    });
    const part1 = transport.transmit(
      Buffer.concat([Buffer.from('10870700', 'hex'), Buffer.from([3]), Buffer.from('aabbcc', 'hex')]),
    );
    expect(part1).toEqual(Buffer.from('9000', 'hex'));
    const first = transport.transmit(
      Buffer.concat([Buffer.from('00870700', 'hex'), Buffer.from([2]), Buffer.from('ddee', 'hex'), Buffer.from([0])]),
    );
    expect(seen).toEqual([Buffer.from('aabbccddee', 'hex')]);
    expect(first.subarray(-2)).toEqual(Buffer.from('6100', 'hex')); // 344 left: "256 or more"
    const second = transport.transmit(Buffer.from('00c0000000', 'hex'));
    expect(second.subarray(-2)).toEqual(Buffer.from('6158', 'hex')); // 88 left
    const third = transport.transmit(Buffer.from('00c0000058', 'hex'));
    expect(third.subarray(-2)).toEqual(Buffer.from('9000', 'hex'));
    expect(Buffer.concat([first.subarray(0, -2), second.subarray(0, -2), third.subarray(0, -2)])).toEqual(answer);
    expect(transport.transmit(Buffer.from('00c0000000', 'hex'))).toEqual(Buffer.from('6985', 'hex'));
  });
});

describe('the emulator’s data encodings', () => {
  it('writes and reads BER-TLV with multi-byte tags and long lengths', () => {
    const value = randomBytes(300);
    const encoded = tlv(0x53, tlv(0x70, value), tlv(0x71, Buffer.from([0])), tlv(0xfe));
    const [outer] = parseTlvs(encoded);
    expect(outer?.tag).toBe(0x53);
    expect(parseTlvs(outer!.value).map((t) => t.tag)).toEqual([0x70, 0x71, 0xfe]);
    expect(parseTlvs(tlv(0x5fc102, Buffer.from('x')))[0]?.tag).toBe(0x5fc102);
    expect(() => parseTlvs(Buffer.from('5303aabb', 'hex'))).toThrow();
  });

  it('encodes a FASC-N as OpenSC decodes it: 25 bytes, ";" sentinel, agency code first', () => {
    const value = fascn({ agency: '9999', system: '0100', credential: '123456', personIdentifier: '1234567890' });
    expect(value).toHaveLength(25);
    // ";9999" in 5-bit BCD with odd parity is D4 E7 39 (what OpenSC tests for a non-federal card).
    expect(value.subarray(0, 3)).toEqual(Buffer.from('d4e739', 'hex'));
  });

  it('signs a digest with ECDSA that Node verifies, for P-256 and P-384', () => {
    for (const [curve, hash] of [
      ['P-256', 'sha256'],
      ['P-384', 'sha384'],
    ] as const) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const d = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
      const data = randomBytes(50);
      const digest = createHash(hash).update(data).digest();
      const signature = ecdsaSignDigest(curve, d, digest);
      expect(verify(hash, data, publicKey, signature)).toBe(true);
    }
  });
});
