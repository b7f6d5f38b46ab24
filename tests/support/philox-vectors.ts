/**
 * The Random123 known-answer vectors (../shared/testdata/philox4x32_kat.txt), parsed once for
 * the unit test, the e2e WebGPU spec and the WebGPU benchmark, which each read the file themselves.
 */
export interface PhiloxVector {
  rounds: number;
  counter: number[];
  key: number[];
  expected: number[];
  line: string;
}

/** Lines "philox4x32 rounds counter[0..3] key[0..1] expected[0..3]", all hex words; others are skipped. */
export function parsePhiloxVectors(text: string): PhiloxVector[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('philox4x32'))
    .map((line) => {
      const [, rounds, ...words] = line.trim().split(/\s+/);
      const hex = words.map((w) => Number.parseInt(w, 16));
      return { rounds: Number(rounds), counter: hex.slice(0, 4), key: hex.slice(4, 6), expected: hex.slice(6, 10), line: line.trim() };
    });
}
