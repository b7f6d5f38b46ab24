import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsort } from '../../../common/engine/argsort';
import { ranks } from '../../../common/engine/sensitivity';

describe('argsort', () => {
  it('orders any doubles as a sort does, NaN last, ties in any order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double(),
            fc.constantFrom(0, 1, 1, 2, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
          ),
          { maxLength: 300 },
        ),
        (list) => {
          const values = Float64Array.from(list);
          const order = argsort(values);
          expect([...order].sort((a, b) => a - b)).toEqual(list.map((_, i) => i)); // a permutation
          expect(Float64Array.from(order, (i) => values[i]!)).toEqual(values.slice().sort());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('sorts a heavy-tailed sample whose buckets are crowded', () => {
    const values = Float64Array.from({ length: 50_000 }, (_, i) => Math.exp(20 * Math.sin(i * 12.9898)));
    expect(Float64Array.from(argsort(values), (i) => values[i]!)).toEqual(values.slice().sort());
  });

  it('gives tied values their mid-rank', () => {
    expect([...ranks(Float64Array.from([3, 1, 3, 2, 3]))]).toEqual([4, 1, 4, 2, 4]);
  });
});
