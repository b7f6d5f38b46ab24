/** Merges sorted runs (each [start, end) of `data`) into one sorted array. */
export function mergeSortedRuns(data: Float64Array, runs: readonly [number, number][]): Float64Array {
  let current = runs.map(([start, end]) => data.subarray(start, end));
  while (current.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < current.length; i += 2) {
      const a = current[i]!;
      const b = current[i + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out = new Float64Array(a.length + b.length);
      let x = 0;
      let y = 0;
      let k = 0;
      // NaN sorts last in Float64Array.sort; keep that order ("!(b < a)" takes a when either is NaN-free and not greater).
      while (x < a.length && y < b.length) out[k++] = b[y]! < a[x]! || Number.isNaN(a[x]!) ? b[y++]! : a[x++]!;
      while (x < a.length) out[k++] = a[x++]!;
      while (y < b.length) out[k++] = b[y++]!;
      next.push(out);
    }
    current = next;
  }
  return current[0] ?? new Float64Array(0);
}
