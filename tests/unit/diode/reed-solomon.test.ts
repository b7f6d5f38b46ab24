import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gfInv, gfInvert, gfMul } from '../../../electron/services/diode/gf256';
import { ReedSolomon } from '../../../electron/services/diode/reed-solomon';
import { seededRandom } from '../../support/lossy-relay';

function encodeGroup(rs: ReedSolomon, k: number) {
  const data = Array.from({ length: k }, () => randomBytes(rs.blockSize));
  data.forEach((block, i) => rs.dataBlock(i).set(block));
  rs.encode(k);
  const repair = Array.from({ length: rs.repairBlocks }, (_, j) => Buffer.from(rs.repairBlock(j)));
  return { data, repair };
}

describe('GF(2^8)', () => {
  it('multiplies by the 0x11d field: every non-zero element has an inverse, and a matrix times its inverse is I', () => {
    for (let a = 1; a < 256; a++) expect(gfMul(a, gfInv(a))).toBe(1);
    expect(gfMul(0x80, 2)).toBe(0x1d);
    const n = 5;
    const m = Uint8Array.from({ length: n * n }, (_, i) => gfInv(((i / n) | 0) ^ (n + (i % n))));
    const inv = gfInvert(m, n);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum ^= gfMul(m[r * n + k]!, inv[k * n + c]!);
        expect(sum).toBe(r === c ? 1 : 0);
      }
    expect(() => gfInvert(new Uint8Array(4), 2)).toThrow(/singular/);
  });
});

describe('Reed-Solomon erasure code (Cauchy, systematic)', () => {
  it('the SIMD kernel agrees with byte-by-byte arithmetic', () => {
    const rs = new ReedSolomon(5, 3, 100);
    const { data, repair } = encodeGroup(rs, 5);
    for (let j = 0; j < 3; j++)
      for (let x = 0; x < 100; x++) {
        let expected = 0;
        for (let i = 0; i < 5; i++) expected ^= gfMul(rs.coefficient(j, i), data[i]![x]!);
        expect(repair[j]![x]).toBe(expected);
      }
  });

  it('recovers the data from any k of the k + m blocks (every pattern of a small group)', () => {
    const k = 6;
    const m = 3;
    const rs = new ReedSolomon(k, m, 48);
    const { data, repair } = encodeGroup(rs, k);
    const all = [...data, ...repair];
    let patterns = 0;
    for (let mask = 0; mask < 1 << (k + m); mask++) {
      const present = new Map<number, Uint8Array>();
      for (let i = 0; i < k + m; i++) if (mask & (1 << i)) present.set(i, all[i]!);
      if (present.size < k) {
        if ([...Array(k).keys()].some((i) => !present.has(i))) expect(() => rs.recover(k, present)).toThrow(/missing/);
        continue;
      }
      const out = rs.recover(k, present);
      for (let i = 0; i < k; i++) expect(Buffer.from(present.get(i) ?? out.get(i)!).equals(data[i]!)).toBe(true);
      patterns++;
    }
    expect(patterns).toBe(130); // C(9,6) + C(9,7) + C(9,8) + C(9,9)
  });

  it('recovers large groups and a short last group from random erasures (seeded)', () => {
    const random = seededRandom(17);
    const rs = new ReedSolomon(128, 40, 1424);
    for (const k of [128, 77, 1]) {
      const { data, repair } = encodeGroup(rs, k);
      for (let trial = 0; trial < 5; trial++) {
        const indices = [...Array(k).keys(), ...Array.from({ length: 40 }, (_, j) => 128 + j)];
        indices.sort(() => random() - 0.5);
        const present = new Map<number, Uint8Array>();
        for (const index of indices.slice(0, k)) present.set(index, index < 128 ? data[index]! : repair[index - 128]!);
        const out = rs.recover(k, present);
        for (let i = 0; i < k; i++) expect(Buffer.from(present.get(i) ?? out.get(i)!).equals(data[i]!)).toBe(true);
      }
    }
  });

  it('refuses a layout over 256 blocks', () => {
    expect(() => new ReedSolomon(200, 57, 64)).toThrow(/exceed 256/);
  });
});
