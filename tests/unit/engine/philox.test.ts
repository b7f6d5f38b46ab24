import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulhi32, philox4x32, toUnitInterval } from '../../../common/engine/philox';
import { repoRoot } from '../../support/services';

// The Random123 known-answer vectors, from the shared test data.
const vectors = readFileSync(join(repoRoot, '..', 'shared', 'testdata', 'philox4x32_kat.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('philox4x32'))
  .map((line) => {
    const [, rounds, ...words] = line.trim().split(/\s+/);
    const hex = words.map((w) => Number.parseInt(w, 16));
    return { rounds: Number(rounds), counter: hex.slice(0, 4), key: hex.slice(4, 6), expected: hex.slice(6, 10), line };
  });

describe('Philox4x32', () => {
  it('has the six Random123 vectors to check', () => {
    expect(vectors).toHaveLength(6);
  });

  it.each(vectors)('matches the known answer: $line', ({ rounds, counter, key, expected }) => {
    expect([...philox4x32(counter, key, new Uint32Array(4), rounds)]).toEqual(expected);
  });

  it('computes the high word of 32×32 products exactly', () => {
    for (const [a, b] of [
      [0xffffffff, 0xffffffff],
      [0xd2511f53, 0x243f6a88],
      [0x10000, 0x10000],
      [1, 0xffffffff],
      [0, 0x12345678],
    ] as const) {
      expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
    }
  });

  it('maps words into the open unit interval', () => {
    expect(toUnitInterval(0)).toBeGreaterThan(0);
    expect(toUnitInterval(0xffffffff)).toBeLessThan(1);
  });
});
