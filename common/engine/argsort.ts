/**
 * The permutation that sorts `values` ascending (NaN last), in about linear time for the
 * continuous samples the engine produces: a counting sort into n equal-width buckets between the
 * finite min and max, then each bucket sorted on its own (almost all hold one or two values).
 * JavaScript has no native argsort, and a comparator sort of 200,000 indices is several times slower.
 */
export function argsort(values: Float64Array): Uint32Array {
  const n = values.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v - v === 0) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const buckets = Math.max(1, n);
  // Halves, so that max − min cannot overflow to Infinity for values near ±1.8e308.
  const low = min / 2;
  let scale = max > min ? buckets / (max / 2 - low) : 0;
  // A range of a few subnormals overflows the scale: one bucket, sorted by comparison.
  if (!Number.isFinite(scale)) scale = 0;
  const last = buckets - 1;
  // Bucket `buckets` holds the NaNs; ±Infinity clamp into the end buckets and sort within them.
  const bucketOf = new Int32Array(n);
  const starts = new Int32Array(buckets + 2);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let b: number;
    if (v !== v) b = buckets;
    else if (v === Number.POSITIVE_INFINITY) b = last;
    else if (v === Number.NEGATIVE_INFINITY) b = 0;
    else {
      b = Math.floor((v / 2 - low) * scale);
      b = b < 0 ? 0 : b > last ? last : b;
    }
    bucketOf[i] = b;
    starts[b + 1]!++;
  }
  for (let b = 0; b <= buckets; b++) starts[b + 1]! += starts[b]!;
  const order = new Uint32Array(n);
  const fill = starts.slice(0, buckets + 1);
  for (let i = 0; i < n; i++) order[fill[bucketOf[i]!]!++] = i;
  // A sort's order: −0 before +0 (the two compare equal, so a plain comparison leaves them as found).
  const greater = (x: number, y: number) => x > y || (x === 0 && y === 0 && 1 / x > 1 / y);
  const byValue = (a: number, b: number) =>
    greater(values[a]!, values[b]!) ? 1 : greater(values[b]!, values[a]!) ? -1 : 0;
  for (let b = 0; b < buckets; b++) {
    const from = starts[b]!;
    const to = starts[b + 1]!;
    if (to - from < 2) continue;
    if (to - from > 16) {
      // A discrete input's values pile into a few buckets, often all equal: nothing to sort then.
      const first = values[order[from]!]!;
      let same = true;
      for (let i = from + 1; same && i < to; i++) same = Object.is(values[order[i]!]!, first);
      if (!same) order.subarray(from, to).sort(byValue);
      continue;
    }
    for (let i = from + 1; i < to; i++) {
      const k = order[i]!;
      const v = values[k]!;
      let j = i - 1;
      while (j >= from && greater(values[order[j]!]!, v)) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = k;
    }
  }
  return order;
}
