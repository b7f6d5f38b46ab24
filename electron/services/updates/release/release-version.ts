/**
 * App release versions: `MAJOR.MINOR.PATCH` with an optional `-pre` part, compared as semver 2.0
 * orders them. A version also names a folder under versions/, so the form is strict: no build
 * metadata, no leading zeros, nothing that could be a path.
 */
const VERSION =
  /^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})(?:-((?:0|[1-9][0-9]{0,8}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]{0,8}|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?$/;
const MAX_VERSION_CHARS = 64;

export interface ReleaseVersion {
  text: string;
  core: [number, number, number];
  /** Pre-release identifiers; empty for a release. */
  pre: string[];
}

/** The version, or null when the text is not `MAJOR.MINOR.PATCH[-pre]`. */
export function parseReleaseVersion(text: string): ReleaseVersion | null {
  if (text.length > MAX_VERSION_CHARS) return null;
  const match = VERSION.exec(text);
  if (!match) return null;
  return {
    text,
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    pre: match[4] === undefined ? [] : match[4].split('.'),
  };
}

export const isReleaseVersion = (text: string): boolean => parseReleaseVersion(text) !== null;

const isNumeric = (id: string) => /^[0-9]+$/.test(id);

function comparePre(a: string[], b: string[]): number {
  // A release sorts after every pre-release of the same core (1.0.0-rc.1 < 1.0.0).
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (isNumeric(x) && isNumeric(y)) return Number(x) - Number(y);
    if (isNumeric(x) !== isNumeric(y)) return isNumeric(x) ? -1 : 1; // numbers sort before words
    return x < y ? -1 : 1; // ASCII order, as semver says
  }
  return a.length - b.length;
}

/** Negative when a is older than b, zero when equal, positive when newer. Throws on a malformed version. */
export function compareReleaseVersions(a: string, b: string): number {
  const x = parseReleaseVersion(a);
  const y = parseReleaseVersion(b);
  if (!x || !y) throw new RangeError(`not a release version: ${!x ? a : b}`);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! - y.core[i]!;
  return Math.sign(comparePre(x.pre, y.pre));
}
