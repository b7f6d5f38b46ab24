import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { digestFile, walkBag, type BagEntry } from './bag-files';
import { readBagInfo, readDeclaration, type BagInfoEntry } from './declaration';
import { MANIFEST_NAME, readFetch, readManifest, type LineBudget, type Manifest } from './manifests';
import { findCollisions, foldKey, isSpecialSystemFile, nfcKey } from './path-rules';
import { DEFAULT_MAX_PROBLEMS, ProblemList, type BagValidation } from './problems';

export interface ValidateBagOptions {
  /** Problems (and, separately, warnings) listed before the rest are counted in one TOO_MANY_PROBLEMS. */
  maxProblems?: number;
  /** Files and directories walked before the bag is refused (LIMIT_FILE_COUNT) without hashing anything. */
  maxEntries?: number;
  /** Largest tag file (bagit.txt, bag-info.txt, a manifest, fetch.txt) read into memory. */
  maxTagFileBytes?: number;
  /** Lines across all manifests and fetch.txt. */
  maxManifestLines?: number;
}

export const DEFAULT_VALIDATE_LIMITS: Required<ValidateBagOptions> = {
  maxProblems: DEFAULT_MAX_PROBLEMS,
  maxEntries: 200_000,
  maxTagFileBytes: 64 * 1024 * 1024,
  maxManifestLines: 1_000_000,
};

export interface BagReport extends BagValidation {
  /** BagIt-Version as declared (null when bagit.txt is missing or has none). */
  version: string | null;
  /** Tag-File-Character-Encoding as declared. */
  encoding: string | null;
  bagInfo: BagInfoEntry[];
  /** Algorithms of the payload manifests that were checked. */
  payloadAlgorithms: string[];
  /** Payload files on disk, with their sizes. */
  payload: { path: string; bytes: number }[];
  /** The manifests that were read, with the (decoded, canonical) paths each lists. */
  manifests: { name: string; kind: 'payload' | 'tag'; algorithm: string; paths: string[] }[];
}

/** One disk file and every checksum the manifests claim for it. */
interface Expectation {
  algorithm: string;
  hash: string;
  manifest: Manifest;
  listedAs: string;
}

/**
 * RFC 8493 validation of the bag in `dir` (a directory on disk): completeness (every listed file
 * present, every payload file listed) and validity (every checksum), bagit.txt, bag-info.txt,
 * fetch.txt. Every problem found is reported, within the bounds in options. Never follows a link.
 */
export async function validateBag(dir: string, options: ValidateBagOptions = {}): Promise<BagReport> {
  const limits = { ...DEFAULT_VALIDATE_LIMITS, ...options };
  const list = new ProblemList(limits.maxProblems);
  const report = (extra: Partial<BagReport> = {}): BagReport => ({
    ...list.result(),
    version: null,
    encoding: null,
    bagInfo: [],
    payloadAlgorithms: [],
    payload: [],
    manifests: [],
    ...extra,
  });
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    list.problem('UNREADABLE', `The bag's directory cannot be read (${(error as Error).message}).`);
    return report();
  }
  let walk: Awaited<ReturnType<typeof walkBag>>;
  try {
    walk = await walkBag(dir, limits.maxEntries);
  } catch (error) {
    list.problem('UNREADABLE', `The bag's folders cannot all be read (${(error as Error).message}).`);
    return report();
  }
  for (const name of walk.badNames)
    list.problem('BAD_ENCODING', 'A file name is not valid UTF-8, so no manifest can name it.', name);
  if (walk.truncated) {
    list.problem(
      'LIMIT_FILE_COUNT',
      `The bag holds more than ${limits.maxEntries} files and folders, so it was not checked further.`,
    );
    return report();
  }
  const files = new Map<string, BagEntry>();
  for (const entry of walk.entries) {
    if (entry.kind === 'file') files.set(entry.path, entry);
    else if (entry.kind !== 'dir')
      list.problem(
        'UNSAFE_FILE_TYPE',
        `The bag holds a ${entry.kind === 'symlink' ? 'symbolic link' : 'device, socket or pipe'}, not a regular file.`,
        entry.path,
      );
  }

  const declaration = await readDeclaration(dir, files.has('bagit.txt'), limits.maxTagFileBytes, list);
  const bagInfo = files.has('bag-info.txt') ? await readBagInfo(dir, declaration, limits.maxTagFileBytes, list) : [];
  if (!walk.entries.some((e) => e.path === 'data' && e.kind === 'dir'))
    list.problem('MISSING_DATA_DIR', 'The bag has no data/ directory for its payload.', 'data');

  const budget: LineBudget = { left: limits.maxManifestLines, exceeded: false };
  const manifests: Manifest[] = [];
  for (const name of [...files.keys()].filter((p) => MANIFEST_NAME.test(p))) {
    const manifest = await readManifest(dir, name, declaration, limits.maxTagFileBytes, budget, list);
    if (manifest) manifests.push(manifest);
  }
  const payloadManifests = manifests.filter((m) => m.kind === 'payload');
  if (![...files.keys()].some((p) => /^manifest-[A-Za-z0-9]+\.txt$/.test(p)))
    list.problem('MISSING_PAYLOAD_MANIFEST', 'The bag has no payload manifest (manifest-ALGORITHM.txt).');
  else if (
    payloadManifests.length > 0 &&
    payloadManifests.every((m) => m.algorithm === 'md5' || m.algorithm === 'sha1')
  )
    list.warning(
      'WEAK_ALGORITHM',
      `The payload is checked only with ${[...new Set(payloadManifests.map((m) => m.algorithm))].join(' and ')}, which no longer resists deliberate forgery.`,
    );
  const fetched = files.has('fetch.txt')
    ? await readFetch(dir, declaration, limits.maxTagFileBytes, budget, list)
    : new Set<string>();
  if (budget.exceeded) return report({ version: declaration.version, encoding: declaration.declaredEncoding, bagInfo });

  const payload = [...files.values()].filter((f) => f.path.startsWith('data/'));
  const byNfc = new Map(payload.map((f) => [nfcKey(f.path), f.path]));
  const byFold = new Map(payload.map((f) => [foldKey(f.path), f.path]));
  const expectations = new Map<string, Expectation[]>();
  const listedIn = new Map<string, Set<string>>();
  let absentFetched = 0;
  let absentSpecial = 0;

  for (const manifest of manifests) {
    for (const [path, hash] of manifest.entries) {
      let disk: string | undefined = files.has(path) ? path : undefined;
      if (!disk && manifest.kind === 'payload') {
        // A case-insensitive or normalising file system would have found it: tolerated, with a warning.
        disk = byNfc.get(nfcKey(path)) ?? byFold.get(foldKey(path));
        if (disk)
          list.warning(
            nfcKey(disk) === nfcKey(path) ? 'NORMALIZATION_COLLISION' : 'CASE_COLLISION',
            `${manifest.name} lists "${path}", which is on disk only as "${disk}" (another ${nfcKey(disk) === nfcKey(path) ? 'Unicode normalisation' : 'case'}).`,
            path,
          );
      }
      if (!disk) {
        if (manifest.kind === 'payload' && fetched.has(path)) absentFetched++;
        else if (isSpecialSystemFile(path) && ++absentSpecial)
          list.warning(
            'SPECIAL_SYSTEM_FILE',
            `${manifest.name} lists an operating system's own file that is not in the bag.`,
            path,
          );
        else list.problem('FILE_MISSING', `${manifest.name} lists this file, but it is not in the bag.`, path);
        continue;
      }
      const wanted = expectations.get(disk) ?? [];
      wanted.push({ algorithm: manifest.algorithm, hash, manifest, listedAs: path });
      expectations.set(disk, wanted);
      if (manifest.kind === 'payload') listedIn.set(disk, (listedIn.get(disk) ?? new Set()).add(manifest.name));
    }
  }

  for (const path of fetched)
    for (const manifest of payloadManifests)
      if (!manifest.entries.has(path))
        list.problem('FETCH_NOT_IN_MANIFEST', `fetch.txt lists this file, but ${manifest.name} does not.`, path);
  if (absentFetched > 0)
    list.warning(
      'FETCH_FILE_ABSENT',
      `${absentFetched} payload files are to be fetched (fetch.txt) and are not in the bag yet; their checksums were not checked.`,
    );

  for (const file of payload) {
    const listed = listedIn.get(file.path) ?? new Set<string>();
    if (isSpecialSystemFile(file.path))
      list.warning(
        'SPECIAL_SYSTEM_FILE',
        "The payload holds an operating system's own file (Finder, Explorer), likely copied by accident.",
        file.path,
      );
    if (listed.size === 0 && payloadManifests.length > 0)
      list.problem('FILE_NOT_IN_MANIFEST', 'This payload file is in no manifest.', file.path);
    else
      for (const manifest of payloadManifests)
        if (!listed.has(manifest.name)) {
          if (declaration.v1)
            list.problem(
              'FILE_NOT_IN_MANIFEST',
              `This payload file is not in ${manifest.name}; BagIt 1.0 needs it in every manifest.`,
              file.path,
            );
          else list.warning('FILE_NOT_IN_EVERY_MANIFEST', `This payload file is not in ${manifest.name}.`, file.path);
        }
  }
  for (const collision of findCollisions(payload.map((f) => f.path)))
    list.warning(
      collision.kind === 'case' ? 'CASE_COLLISION' : 'NORMALIZATION_COLLISION',
      `"${collision.first}" and "${collision.second}" would be one file on a ${collision.kind === 'case' ? 'case-insensitive' : 'normalising'} file system.`,
      collision.second,
    );
  for (const manifest of payloadManifests)
    for (const collision of findCollisions(manifest.entries.keys()))
      list.warning(
        collision.kind === 'case' ? 'CASE_COLLISION' : 'NORMALIZATION_COLLISION',
        `${manifest.name} lists "${collision.first}" and "${collision.second}", one file on a ${collision.kind === 'case' ? 'case-insensitive' : 'normalising'} file system.`,
        collision.second,
      );

  for (const [path, wanted] of expectations) {
    let digests: Map<string, string>;
    try {
      digests = await digestFile(join(dir, path), [...new Set(wanted.map((w) => w.algorithm))]);
    } catch (error) {
      list.problem(
        'UNREADABLE',
        `The file could not be read to check its checksum (${(error as Error).message}).`,
        path,
      );
      continue;
    }
    for (const w of wanted)
      if (digests.get(w.algorithm) !== w.hash)
        list.problem(
          w.manifest.kind === 'payload' ? 'PAYLOAD_HASH_MISMATCH' : 'TAG_HASH_MISMATCH',
          `The file's ${w.algorithm} checksum does not match ${w.manifest.name}.`,
          w.listedAs,
        );
  }

  // A bag with files still to fetch, or with an OS file stripped in copying, cannot match its Oxum.
  checkOxum(bagInfo, payload, absentFetched + absentSpecial > 0, list);
  return report({
    version: declaration.version,
    encoding: declaration.declaredEncoding,
    bagInfo,
    payloadAlgorithms: payloadManifests.map((m) => m.algorithm),
    payload: payload.map((f) => ({ path: f.path, bytes: f.bytes })),
    manifests: manifests.map((m) => ({
      name: m.name,
      kind: m.kind,
      algorithm: m.algorithm,
      paths: [...m.entries.keys()],
    })),
  });
}

/** Payload-Oxum (RFC 8493 2.2.2): `OCTETS.COUNT` of the payload; checked only when the bag is complete. */
function checkOxum(bagInfo: BagInfoEntry[], payload: BagEntry[], holey: boolean, list: ProblemList): void {
  const oxums = bagInfo.filter((e) => e.label.toLowerCase() === 'payload-oxum');
  const oxum = oxums[0];
  if (!oxum) return;
  if (oxums.length > 1) list.problem('BAD_OXUM', 'bag-info.txt gives Payload-Oxum more than once.', 'bag-info.txt');
  const match = /^(\d+)\.(\d+)$/.exec(oxum.value);
  if (!match) return list.problem('BAD_OXUM', `Payload-Oxum "${oxum.value}" is not OCTETS.COUNT.`, 'bag-info.txt');
  if (holey) return;
  const octets = payload.reduce((sum, f) => sum + f.bytes, 0);
  if (Number(match[1]) !== octets || Number(match[2]) !== payload.length)
    list.problem(
      'OXUM_MISMATCH',
      `Payload-Oxum says ${match[1]} bytes in ${match[2]} files; the payload has ${octets} bytes in ${payload.length} files.`,
      'bag-info.txt',
    );
}
