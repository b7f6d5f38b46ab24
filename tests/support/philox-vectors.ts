/**
 * The Random123 known-answer vectors (tests/data/random123/philox4x32_kat.txt), parsed once for
 * the unit test, the e2e WebGPU spec and the WebGPU benchmark.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the vectors live in the repository. */
export const PHILOX_VECTORS_FILE = fileURLToPath(new URL('../data/random123/philox4x32_kat.txt', import.meta.url));

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
      return {
        rounds: Number(rounds),
        counter: hex.slice(0, 4),
        key: hex.slice(4, 6),
        expected: hex.slice(6, 10),
        line: line.trim(),
      };
    });
}

/** The repository's copy of the vectors, parsed. */
export function readPhiloxVectors(file: string = PHILOX_VECTORS_FILE): PhiloxVector[] {
  return parsePhiloxVectors(readFileSync(file, 'utf8'));
}
