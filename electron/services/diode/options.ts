import { MAX_GROUP_BLOCKS } from './reed-solomon';

/** A bad option value: the CLI prints the message and exits 2; nothing was sent or written. */
export class DiodeUsageError extends Error {}

const UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const BINARY: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** "400M", "1.5g", "800000" → bits per second (decimal units, as link speeds are quoted). */
export function parseRate(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:bit\/s|bps|b)?$/i.exec(text.trim());
  if (!match) throw new DiodeUsageError(`rate "${text}" is not a number of bits per second such as 400M or 1G`);
  const bits = Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
  if (!(bits >= 1e5 && bits <= 1e11)) throw new DiodeUsageError(`rate "${text}" is outside 100k to 100G bits/s`);
  return bits;
}

/** "20%", "0.2" → 0.2; 0 to 300%. */
export function parseRedundancy(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
  if (!match) throw new DiodeUsageError(`redundancy "${text}" is not a percentage such as 20%`);
  const value = Number(match[1]) / (match[2] ? 100 : 1);
  if (!(value >= 0 && value <= 3)) throw new DiodeUsageError(`redundancy "${text}" is outside 0% to 300%`);
  return value;
}

/** "4G", "512M", "1000000" → bytes (binary units: 1K = 1024). */
export function parseBytes(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!match) throw new DiodeUsageError(`${what} "${text}" is not a size such as 4G or 500M`);
  const bytes = Math.floor(Number(match[1]) * BINARY[match[2]!.toLowerCase()]!);
  if (!(bytes >= 1 && bytes <= Number.MAX_SAFE_INTEGER)) throw new DiodeUsageError(`${what} "${text}" is out of range`);
  return bytes;
}

export function parseInteger(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new DiodeUsageError(`${what} "${text}" is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new DiodeUsageError(`${what} ${value} is outside ${min} to ${max}`);
  return value;
}

/** Data blocks per group by default: large groups need less redundancy for the same loss (docs/diode.md). */
export const DEFAULT_DATA_BLOCKS = 128;

/** K data + M repair blocks per group for a redundancy M/K, within the code's 256 blocks. */
export function groupLayout(
  redundancy: number,
  dataBlocks = DEFAULT_DATA_BLOCKS,
): { dataBlocks: number; repairBlocks: number } {
  let k = Math.min(dataBlocks, Math.floor(MAX_GROUP_BLOCKS / (1 + redundancy)));
  while (k > 1 && k + Math.ceil(k * redundancy) > MAX_GROUP_BLOCKS) k--;
  return { dataBlocks: k, repairBlocks: Math.max(0, Math.ceil(k * redundancy - 1e-9)) };
}
