import { describe, expect, it } from 'vitest';
import { partsInOrder } from '../../../electron/services/bundles/pack';

// Parts handed over by a host that keeps them under its own names (the browser host's uploads) are
// ordered and checked by the names the user chose them by.
const file = (name: string) => ({ name, path: `/uploads/${name.length}-${name}` });

describe('partsInOrder', () => {
  it('one file is read as it is; a whole set of parts in index order, whatever order they came in', () => {
    expect(partsInOrder([file('bundle.tar')])).toEqual(['/uploads/10-bundle.tar']);
    const set = ['b.tar.part-0002-of-0003', 'b.tar.part-0003-of-0003', 'b.tar.part-0001-of-0003'].map(file);
    expect(partsInOrder(set)).toEqual(set.map((f) => f.path).sort());
  });

  it('refuses a missing part, a part twice, parts of two sets, and a file that is not a part', () => {
    expect(() => partsInOrder(['b.tar.part-0001-of-0003', 'b.tar.part-0003-of-0003'].map(file))).toThrow(
      /Part 2 of 3 of b\.tar is missing/,
    );
    expect(() =>
      partsInOrder(['b.tar.part-0001-of-0002', 'b.tar.part-0002-of-0002', 'b.tar.part-0002-of-0002'].map(file)),
    ).toThrow(/given twice/);
    expect(() => partsInOrder(['b.tar.part-0001-of-0002', 'c.tar.part-0002-of-0002'].map(file))).toThrow(
      /more than one split bundle/,
    );
    expect(() => partsInOrder(['b.tar.part-0001-of-0002', 'notes.txt'].map(file))).toThrow(
      /"notes\.txt" is not a part/,
    );
  });
});
