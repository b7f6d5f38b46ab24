/**
 * Path rules shared by the BagIt validator, the Enclave profile and the safe tar reader. Paths are
 * bag-relative with `/` separators; nothing here touches the disk.
 */

/** Why a manifest or fetch path points outside the bag, or null when it stays inside. */
export function outOfScopeReason(path: string): string | null {
  if (path.includes('\0')) return 'it contains a NUL character';
  // A backslash is a separator on Windows, so `..\x` or `C:\x` would escape there: refused everywhere.
  if (path.includes('\\')) return 'it contains a backslash, a path separator on Windows';
  if (path.startsWith('/')) return 'it is an absolute path';
  if (path.startsWith('~')) return 'it starts with ~, a home-directory shortcut';
  if (/^[A-Za-z]:/.test(path)) return 'it starts with a drive letter';
  if (path.split('/').includes('..')) return 'it climbs out of the bag with ..';
  return null;
}

/**
 * RFC 8493 section 2.1.3: in v1.0 manifests and fetch.txt, CR, LF and % in a file name are written
 * %0D, %0A and %25. Earlier versions wrote names as they are, so nothing is decoded there.
 */
export function decodeManifestPath(raw: string, percentEncoded: boolean): { path: string; strayPercent: boolean } {
  if (!percentEncoded) return { path: raw, strayPercent: false };
  let strayPercent = false;
  const path = raw.replace(/%(0[dDaA]|25)?/g, (match, code: string | undefined) => {
    if (code === undefined) {
      strayPercent = true;
      return match;
    }
    return String.fromCharCode(parseInt(code, 16));
  });
  return { path, strayPercent };
}

/** `./data/x` → `data/x`, `data//x` and `data/./x` → `data/x`: what changed is reported by the caller. */
export function canonicalPath(path: string): { path: string; leadingDotSlash: boolean; nonCanonical: boolean } {
  let rest = path;
  let leadingDotSlash = false;
  while (rest.startsWith('./')) {
    rest = rest.slice(2);
    leadingDotSlash = true;
  }
  const segments = rest.split('/');
  const kept = segments.filter((s) => s !== '' && s !== '.');
  return { path: kept.join('/'), leadingDotSlash, nonCanonical: kept.length !== segments.length };
}

/** The key two names share when a case-insensitive, normalising file system would make them one file. */
export const foldKey = (path: string): string => path.normalize('NFC').toUpperCase().toLowerCase();
export const nfcKey = (path: string): string => path.normalize('NFC');

const SPECIAL_SYSTEM_FILES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', '.directory']);
const SPECIAL_SYSTEM_DIRS = new Set(['.spotlight-v100', '.trashes', '.fseventsd', '.temporaryitems', '__macosx']);

/** Files an operating system drops into folders on its own (Finder, Explorer): a sign of an accidental copy. */
export function isSpecialSystemFile(path: string): boolean {
  const segments = path.split('/').map((s) => s.toLowerCase());
  const name = segments[segments.length - 1] ?? '';
  return SPECIAL_SYSTEM_FILES.has(name) || name.startsWith('._') || segments.some((s) => SPECIAL_SYSTEM_DIRS.has(s));
}

// CON, PRN, AUX, NUL, COM1-9, LPT1-9 (and the superscript digits Windows also reserves), with any extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const WINDOWS_INVALID = /[<>:"|?*]/;

/** Why one path segment is not portable to every file system Enclave runs on, or null when it is. */
export function portableSegmentProblem(segment: string): string | null {
  if (segment === '') return 'it has an empty path segment';
  if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  if (CONTROL.test(segment)) return 'it contains a control character';
  if (segment.includes('\\')) return 'it contains a backslash';
  if (WINDOWS_INVALID.test(segment)) return 'it contains a character Windows forbids in names (< > : " | ? *)';
  if (WINDOWS_RESERVED.test(segment)) return `"${segment}" is a reserved device name on Windows`;
  if (/[. ]$/.test(segment)) return 'a name ends with a dot or a space, which Windows strips';
  return null;
}

/** Why a relative path is unsafe to create under a directory on any system, or null when it is safe. */
export function unsafePathReason(path: string): string | null {
  const scope = outOfScopeReason(path);
  if (scope) return scope;
  for (const segment of path.split('/')) {
    const problem = portableSegmentProblem(segment);
    if (problem) return problem;
  }
  return null;
}

/**
 * Pairs of paths that one file system would treat as the same name: same letters in another case,
 * or the same text in another Unicode normalisation. Linear in the number of paths.
 */
export function findCollisions(
  paths: Iterable<string>,
): { kind: 'case' | 'normalization'; first: string; second: string }[] {
  const byNfc = new Map<string, string>();
  const byFold = new Map<string, string>();
  const found: { kind: 'case' | 'normalization'; first: string; second: string }[] = [];
  for (const path of paths) {
    const nfc = nfcKey(path);
    const fold = foldKey(path);
    const sameNfc = byNfc.get(nfc);
    if (sameNfc !== undefined && sameNfc !== path) found.push({ kind: 'normalization', first: sameNfc, second: path });
    else if (byFold.has(fold) && byFold.get(fold) !== path)
      found.push({ kind: 'case', first: byFold.get(fold) as string, second: path });
    if (sameNfc === undefined) byNfc.set(nfc, path);
    if (!byFold.has(fold)) byFold.set(fold, path);
  }
  return found;
}
