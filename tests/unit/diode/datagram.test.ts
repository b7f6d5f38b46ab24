import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Beacon, decodeBeacon, encodeBeacon, unsafeNameReason } from '../../../electron/services/diode/beacon';
import { decodeDatagram, encodeDatagram, Kind, OVERHEAD_BYTES } from '../../../electron/services/diode/datagram';
import {
  DiodeUsageError,
  groupLayout,
  parseBytes,
  parseRate,
  parseRedundancy,
} from '../../../electron/services/diode/options';

const session = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('diode datagram', () => {
  it('round-trips header fields and payload, in the documented layout', () => {
    const payload = randomBytes(100);
    const bytes = encodeDatagram({ kind: Kind.Repair, session, group: 70000, index: 130, pass: 2 }, payload);
    expect(bytes.length).toBe(OVERHEAD_BYTES + 100);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('4544494f' + '01' + '02' + '0064');
    expect(bytes.subarray(8, 24).equals(session)).toBe(true);
    const d = decodeDatagram(bytes);
    if (typeof d === 'string') throw new Error(d);
    expect(d).toMatchObject({
      kind: Kind.Repair,
      sessionHex: session.toString('hex'),
      group: 70000,
      index: 130,
      pass: 2,
    });
    expect(d.payload.equals(payload)).toBe(true);
  });

  it('drops every single-bit flip, truncation and extension', () => {
    const bytes = encodeDatagram({ kind: Kind.Data, session, group: 1, index: 2, pass: 1 }, randomBytes(64));
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(typeof decodeDatagram(flipped)).toBe('string');
    }
    expect(decodeDatagram(bytes.subarray(0, bytes.length - 1))).toBe('length');
    expect(decodeDatagram(Buffer.concat([bytes, Buffer.alloc(1)]))).toBe('length');
    expect(decodeDatagram(bytes.subarray(0, 10))).toBe('short');
  });
});

describe('diode beacon', () => {
  const beacon: Beacon = {
    name: 'bundle-1.tar',
    size: 1_000_000,
    blockSize: 1424,
    dataBlocks: 128,
    repairBlocks: 32,
    groups: 6,
    passes: 1,
    sha512: randomBytes(64),
  };

  it('round-trips', () => {
    expect(decodeBeacon(encodeBeacon(beacon))).toEqual(beacon);
  });

  it('refuses unsafe names and inconsistent layouts with a reason', () => {
    for (const name of ['../x.tar', '.hidden', 'a/b', 'a\\b', 'CON.tar', 'x.', 'a b', 'é.tar', ''])
      expect(decodeBeacon(encodeBeacon({ ...beacon, name }))).toMatch(/unsafe file name/);
    expect(decodeBeacon(encodeBeacon({ ...beacon, groups: 7 }))).toMatch(/group count/);
    expect(decodeBeacon(encodeBeacon({ ...beacon, repairBlocks: 200 }))).toMatch(/layout/);
    expect(decodeBeacon(encodeBeacon({ ...beacon, passes: 0 }))).toMatch(/pass/);
    expect(decodeBeacon(encodeBeacon(beacon).subarray(0, 50))).toMatch(/short/);
    expect(unsafeNameReason('bundle_2026-12-03+a.tar')).toBeNull();
  });
});

describe('diode options', () => {
  it('parses rates, redundancy and sizes, and refuses nonsense with a reason', () => {
    expect(parseRate('400M')).toBe(400e6);
    expect(parseRate('1.5g')).toBe(1.5e9);
    expect(parseRedundancy('20%')).toBeCloseTo(0.2);
    expect(parseRedundancy('0.4')).toBeCloseTo(0.4);
    expect(parseBytes('4G', 'max bytes')).toBe(4 * 1024 ** 3);
    expect(() => parseRate('fast')).toThrow(DiodeUsageError);
    expect(() => parseRate('10')).toThrow(/outside/);
    expect(() => parseRedundancy('500%')).toThrow(/outside/);
    expect(() => parseBytes('-1', 'max bytes')).toThrow(DiodeUsageError);
  });

  it('lays out groups within 256 blocks', () => {
    expect(groupLayout(0.2)).toEqual({ dataBlocks: 128, repairBlocks: 26 });
    expect(groupLayout(0.4)).toEqual({ dataBlocks: 128, repairBlocks: 52 });
    expect(groupLayout(0)).toEqual({ dataBlocks: 128, repairBlocks: 0 });
    const big = groupLayout(3);
    expect(big.dataBlocks + big.repairBlocks).toBeLessThanOrEqual(256);
    expect(big.repairBlocks).toBe(big.dataBlocks * 3);
  });
});
