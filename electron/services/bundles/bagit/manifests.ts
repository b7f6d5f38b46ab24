import type { BagDeclaration } from './declaration';
import { readTagBytes } from './declaration';
import { canonicalPath, decodeManifestPath, outOfScopeReason } from './path-rules';
import type { ProblemList } from './problems';
import { DIGEST_HEX_LENGTH, decodeTagFile, parseFetchLine, parseManifestLine, splitLines } from './tag-files';

export interface Manifest {
  name: string;
  kind: 'payload' | 'tag';
  algorithm: string;
  /** Path (decoded, canonical, in scope) → lower-case hex digest. */
  entries: Map<string, string>;
}

export const MANIFEST_NAME = /^(tag)?manifest-([A-Za-z0-9]+)\.txt$/;

/** Lines read across every manifest and fetch.txt, against the caller's bound. */
export interface LineBudget {
  left: number;
  exceeded: boolean;
}

/**
 * A path as a manifest or fetch.txt writes it → the bag-relative path it names, or null when it
 * points outside the bag (reported). `./` and empty segments are tolerated with a warning.
 */
export function manifestPath(raw: string, file: string, line: number, v1: boolean, list: ProblemList): string | null {
  const { path: decoded, strayPercent } = decodeManifestPath(raw, v1);
  if (strayPercent)
    list.warning('UNENCODED_PERCENT', `Line ${line} of ${file} has a % that is not %25, %0D or %0A.`, decoded);
  const scope = outOfScopeReason(decoded);
  if (scope) {
    list.problem('PATH_OUT_OF_SCOPE', `Line ${line} of ${file} names a file outside the bag: ${scope}.`, decoded);
    return null;
  }
  const canonical = canonicalPath(decoded);
  if (canonical.leadingDotSlash)
    list.warning('LEADING_DOT_SLASH', `Line ${line} of ${file} starts its path with "./".`, canonical.path);
  if (canonical.nonCanonical)
    list.warning(
      'NON_CANONICAL_PATH',
      `Line ${line} of ${file} has empty or "." segments in its path.`,
      canonical.path,
    );
  if (canonical.path === '') {
    list.problem('BAD_MANIFEST_LINE', `Line ${line} of ${file} names no file.`, file);
    return null;
  }
  return canonical.path;
}

/** Decodes a tag file in the bag's encoding into lines, or reports it and returns null. */
async function tagLines(root: string, file: string, declaration: BagDeclaration, maxBytes: number, list: ProblemList) {
  const bytes = await readTagBytes(root, file, maxBytes, list);
  if (!bytes) return null;
  try {
    return splitLines(decodeTagFile(bytes, declaration.encoding, declaration.declaredEncoding ?? ''));
  } catch (error) {
    list.problem(
      'BAD_ENCODING',
      `${file} is not readable in the bag's tag-file encoding: ${(error as Error).message}.`,
      file,
    );
    return null;
  }
}

function spend(budget: LineBudget, lines: number, file: string, list: ProblemList): boolean {
  budget.left -= lines;
  if (budget.left >= 0) return true;
  if (!budget.exceeded)
    list.problem(
      'LIMIT_MANIFEST_LINES',
      `${file} takes the manifests past the limit on lines, so the rest were not read.`,
      file,
    );
  budget.exceeded = true;
  return false;
}

/** One manifest: every line parsed, every path checked; duplicates per RFC 8493 (v1.0: always invalid). */
export async function readManifest(
  root: string,
  name: string,
  declaration: BagDeclaration,
  maxBytes: number,
  budget: LineBudget,
  list: ProblemList,
): Promise<Manifest | null> {
  const [, tag, algorithm = ''] = MANIFEST_NAME.exec(name) ?? [];
  const kind = tag ? 'tag' : 'payload';
  const hexLength = DIGEST_HEX_LENGTH[algorithm.toLowerCase()];
  if (hexLength === undefined || algorithm !== algorithm.toLowerCase()) {
    list.warning(
      'UNSUPPORTED_ALGORITHM',
      `${name} uses "${algorithm}", an algorithm this validator does not compute, so it was not checked.`,
      name,
    );
    return null;
  }
  const lines = await tagLines(root, name, declaration, maxBytes, list);
  if (!lines || !spend(budget, lines.length, name, list)) return null;
  const manifest: Manifest = { name, kind, algorithm, entries: new Map() };
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const line = parseManifestLine(raw, index + 1);
    if (!line) return list.problem('BAD_MANIFEST_LINE', `Line ${index + 1} of ${name} is not "checksum path".`, name);
    if (line.binaryMarker)
      list.warning(
        'MD5SUM_BINARY_MARKER',
        `Line ${line.line} of ${name} marks its path with md5sum's "*" (binary mode).`,
        name,
      );
    const path = manifestPath(line.rawPath, name, line.line, declaration.v1, list);
    if (path === null) return;
    if (line.hash.length !== hexLength || !/^[0-9a-fA-F]+$/.test(line.hash))
      return list.problem(
        'BAD_HASH',
        `Line ${line.line} of ${name} has "${line.hash}", not a ${algorithm} digest.`,
        path,
      );
    if (kind === 'payload' && !path.startsWith('data/'))
      return list.problem('PATH_OUT_OF_SCOPE', `${name} lists a file outside data/, where the payload is.`, path);
    if (kind === 'tag' && path.startsWith('data/'))
      return list.problem(
        'PATH_OUT_OF_SCOPE',
        `${name} lists a payload file; tag manifests list tag files only.`,
        path,
      );
    const hash = line.hash.toLowerCase();
    const earlier = manifest.entries.get(path);
    if (earlier === undefined) manifest.entries.set(path, hash);
    else if (earlier !== hash)
      list.problem('DUPLICATE_ENTRY', `${name} lists this file twice with different checksums.`, path);
    else if (declaration.v1)
      list.problem('DUPLICATE_ENTRY', `${name} lists this file twice; BagIt 1.0 allows each file once.`, path);
    else list.warning('DUPLICATE_ENTRY', `${name} lists this file twice with the same checksum.`, path);
  });
  return manifest;
}

/** fetch.txt's paths (RFC 8493 2.2.3): each must lie under data/ and in every payload manifest. */
export async function readFetch(
  root: string,
  declaration: BagDeclaration,
  maxBytes: number,
  budget: LineBudget,
  list: ProblemList,
): Promise<Set<string>> {
  const paths = new Set<string>();
  const lines = await tagLines(root, 'fetch.txt', declaration, maxBytes, list);
  if (!lines || !spend(budget, lines.length, 'fetch.txt', list)) return paths;
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const line = parseFetchLine(raw, index + 1);
    if (!line)
      return list.problem('BAD_FETCH_LINE', `Line ${index + 1} of fetch.txt is not "URL length path".`, 'fetch.txt');
    const path = manifestPath(line.rawPath, 'fetch.txt', line.line, declaration.v1, list);
    if (path === null) return;
    if (!path.startsWith('data/'))
      return list.problem(
        'PATH_OUT_OF_SCOPE',
        'fetch.txt lists a file outside data/; it may fetch payload files only.',
        path,
      );
    paths.add(path);
  });
  return paths;
}
