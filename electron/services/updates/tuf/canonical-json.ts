import { TufError } from './errors';

/**
 * OLPC canonical JSON as securesystemslib encodes it, the bytes TUF signatures cover: object keys sorted
 * by code point, no whitespace, strings escaping only `\` and `"`, integers only (a float has no
 * canonical form, so it is refused), UTF-8.
 */
export function canonicalJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalText(value, 0));
}

const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function canonicalText(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TufError('bad-metadata', `canonical JSON: nested deeper than ${MAX_DEPTH}`);
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return canonicalString(value);
  if (typeof value === 'number') {
    // JSON.parse turns integers past 2^53 into rounded floats: refuse them rather than sign a different number.
    if (!Number.isSafeInteger(value))
      throw new TufError('bad-metadata', `canonical JSON holds only integers; ${value} is not one`);
    return String(value === 0 ? 0 : value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalText(item, depth + 1)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([key, item]) => `${canonicalString(key)}:${canonicalText(item, depth + 1)}`).join(',')}}`;
  }
  throw new TufError('bad-metadata', `canonical JSON cannot hold a ${typeof value}`);
}

function canonicalString(text: string): string {
  // A lone surrogate has no UTF-8 form; TextEncoder would silently replace it.
  if (LONE_SURROGATE.test(text)) throw new TufError('bad-metadata', 'canonical JSON: a string is not valid Unicode');
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Python sorts str by code point; JavaScript's default sort compares UTF-16 units, which differs past U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}
