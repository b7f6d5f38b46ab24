import { walkBag, type BagEntry } from './bag-files';
import { findCollisions, nfcKey, unsafePathReason } from './path-rules';
import { DEFAULT_MAX_PROBLEMS, ProblemList } from './problems';
import { validateBag, type BagReport } from './validate-bag';

/** Enclave's bounds on a bundle's bag (docs/bagit.md); each is a site setting. */
export interface EnclaveBagLimits {
  /** Payload files. */
  maxFiles: number;
  /** One payload file. */
  maxFileBytes: number;
  /** All payload files together. */
  maxTotalBytes: number;
  /** A bag-relative path, in UTF-8 bytes. */
  maxPathBytes: number;
  /** One tag file (bagit.txt, bag-info.txt, a manifest, a signature). */
  maxTagFileBytes: number;
  /** Lines of manifest-sha512.txt. */
  maxManifestLines: number;
}

const GiB = 1024 * 1024 * 1024;
export const DEFAULT_ENCLAVE_LIMITS: Readonly<EnclaveBagLimits> = {
  maxFiles: 10_000,
  maxFileBytes: GiB,
  maxTotalBytes: 4 * GiB,
  maxPathBytes: 240,
  maxTagFileBytes: 1024 * 1024,
  maxManifestLines: 10_000,
};

export interface EnclaveProfileOptions {
  limits?: Partial<EnclaveBagLimits>;
  /**
   * Further files allowed at the bag's root besides the four the profile requires, such as the
   * bundle format's `signature.cms` and `signature-mldsa87.bin`. They sign the tag manifest, so it
   * must not list them; each is optional here (the bundle format says which it requires).
   */
  extraTagFiles?: readonly string[];
}

/** The tag files every Enclave bag has, and the ones its tag manifest lists (exactly these). */
export const REQUIRED_TAG_FILES = ['bagit.txt', 'bag-info.txt', 'manifest-sha512.txt', 'tagmanifest-sha512.txt'];
export const TAG_MANIFEST_LISTS = ['bag-info.txt', 'bagit.txt', 'manifest-sha512.txt'];

/**
 * Enclave's bundle profile on top of RFC 8493: BagIt 1.0, UTF-8, sha512 only, no fetch.txt, a tag
 * manifest listing exactly bagit.txt, bag-info.txt and manifest-sha512.txt; only regular files and
 * directories, portable names without collisions, within the limits. The layout and limits are
 * checked before a byte is hashed; then the RFC validation runs, and every warning it gives is a
 * problem here. Returns the RFC validator's report with the profile's problems added.
 */
export async function checkEnclaveProfile(dir: string, options: EnclaveProfileOptions = {}): Promise<BagReport> {
  const limits = { ...DEFAULT_ENCLAVE_LIMITS, ...options.limits };
  const extra = new Set(options.extraTagFiles ?? []);
  for (const name of extra)
    if (name.includes('/') || REQUIRED_TAG_FILES.includes(name) || unsafePathReason(name))
      throw new Error(`extraTagFiles: "${name}" is not a plain file name of its own`);
  const list = new ProblemList(DEFAULT_MAX_PROBLEMS);
  // Payload files, their folders, and a few tag files: anything past that is refused unwalked.
  const maxEntries = 2 * limits.maxFiles + REQUIRED_TAG_FILES.length + extra.size + 1;
  let walk: Awaited<ReturnType<typeof walkBag>>;
  try {
    walk = await walkBag(dir, maxEntries);
  } catch (error) {
    list.problem('UNREADABLE', `The bag's folders cannot all be read (${(error as Error).message}).`);
    return emptyReport(list);
  }
  for (const name of walk.badNames) list.problem('PROFILE_PATH_NAME', 'A file name is not valid UTF-8.', name);
  if (walk.truncated) {
    list.problem(
      'LIMIT_FILE_COUNT',
      `The bag holds more than ${maxEntries} files and folders, over the limit of ${limits.maxFiles} payload files.`,
    );
    return emptyReport(list);
  }
  checkLayout(walk.entries, limits, extra, list);
  // Refused on shape alone: nothing is hashed (a 4 GiB bomb costs a directory walk, not a read).
  if (list.invalid) return emptyReport(list);

  const report = await validateBag(dir, {
    maxEntries,
    maxTagFileBytes: limits.maxTagFileBytes,
    maxManifestLines: limits.maxManifestLines + TAG_MANIFEST_LISTS.length,
  });
  for (const problem of report.problems) list.problem(problem.code, problem.message, problem.path);
  for (const warning of report.warnings) list.problem(warning.code, warning.message, warning.path);
  if (report.version !== null && report.version !== '1.0')
    list.problem('PROFILE_VERSION', `The bag is BagIt ${report.version}; Enclave bundles are BagIt 1.0.`, 'bagit.txt');
  if (report.encoding !== null && report.encoding.toUpperCase() !== 'UTF-8')
    list.problem('PROFILE_ENCODING', `The tag files are ${report.encoding}; Enclave bundles use UTF-8.`, 'bagit.txt');
  const tagManifest = report.manifests.find((m) => m.name === 'tagmanifest-sha512.txt');
  const payloadManifest = report.manifests.find((m) => m.name === 'manifest-sha512.txt');
  if (payloadManifest && payloadManifest.paths.length > limits.maxManifestLines)
    list.problem(
      'LIMIT_MANIFEST_LINES',
      `manifest-sha512.txt lists ${payloadManifest.paths.length} files, over the limit of ${limits.maxManifestLines}.`,
      'manifest-sha512.txt',
    );
  if (tagManifest) {
    const listed = new Set(tagManifest.paths);
    for (const name of TAG_MANIFEST_LISTS)
      if (!listed.has(name))
        list.problem(
          'PROFILE_TAG_MANIFEST',
          `tagmanifest-sha512.txt does not list ${name}, so the signature would not cover it.`,
          name,
        );
    for (const name of listed)
      if (!TAG_MANIFEST_LISTS.includes(name))
        list.problem(
          'PROFILE_TAG_MANIFEST',
          `tagmanifest-sha512.txt lists ${name}; it must list only ${TAG_MANIFEST_LISTS.join(', ')}.`,
          name,
        );
  }
  return { ...report, ...list.result() };
}

function emptyReport(list: ProblemList): BagReport {
  return {
    ...list.result(),
    version: null,
    encoding: null,
    bagInfo: [],
    payloadAlgorithms: [],
    payload: [],
    manifests: [],
  };
}

/** Everything the profile can refuse from the directory listing alone. */
function checkLayout(entries: BagEntry[], limits: EnclaveBagLimits, extra: Set<string>, list: ProblemList): void {
  const present = new Set(entries.map((e) => e.path));
  for (const name of REQUIRED_TAG_FILES)
    if (!present.has(name)) list.problem('PROFILE_MISSING_FILE', `An Enclave bag must have ${name}.`, name);
  if (!entries.some((e) => e.path === 'data' && e.kind === 'dir'))
    list.problem('PROFILE_MISSING_FILE', 'An Enclave bag must have a data/ directory.', 'data');
  let payloadFiles = 0;
  let payloadBytes = 0;
  for (const entry of entries) {
    const { path } = entry;
    if (entry.kind === 'symlink' || entry.kind === 'other') {
      list.problem(
        'UNSAFE_FILE_TYPE',
        `The bag holds a ${entry.kind === 'symlink' ? 'symbolic link' : 'device, socket or pipe'}; Enclave bags hold regular files and directories only.`,
        path,
      );
      continue;
    }
    if (entry.kind === 'file' && entry.links > 1)
      list.problem(
        'PROFILE_HARD_LINK',
        `The file has ${entry.links} hard links; Enclave bags hold each file once.`,
        path,
      );
    const unsafe = unsafePathReason(path) ?? (nfcKey(path) !== path ? 'it is not in Unicode NFC form' : null);
    if (unsafe) list.problem('PROFILE_PATH_NAME', `The name is not allowed in an Enclave bag: ${unsafe}.`, path);
    if (Buffer.byteLength(path) > limits.maxPathBytes)
      list.problem(
        'LIMIT_PATH_LENGTH',
        `The path is ${Buffer.byteLength(path)} bytes long, over the limit of ${limits.maxPathBytes}.`,
        path,
      );
    if (path === 'data' || path.startsWith('data/')) {
      if (entry.kind !== 'file') continue;
      payloadFiles++;
      payloadBytes += entry.bytes;
      if (entry.bytes > limits.maxFileBytes)
        list.problem(
          'LIMIT_FILE_SIZE',
          `The file is ${entry.bytes} bytes, over the limit of ${limits.maxFileBytes}.`,
          path,
        );
      continue;
    }
    if (entry.kind === 'file' && (REQUIRED_TAG_FILES.includes(path) || extra.has(path))) {
      if (entry.bytes > limits.maxTagFileBytes)
        list.problem(
          'LIMIT_TAG_FILE_SIZE',
          `The tag file is ${entry.bytes} bytes, over the limit of ${limits.maxTagFileBytes}.`,
          path,
        );
    } else if (path === 'fetch.txt')
      list.problem('PROFILE_FETCH', 'Enclave bags never have fetch.txt: a bundle carries every file.', path);
    else if (/^(tag)?manifest-.*\.txt$/.test(path))
      list.problem('PROFILE_MANIFEST_ALGORITHM', 'Enclave bags have sha512 manifests only.', path);
    else
      list.problem(
        'PROFILE_UNEXPECTED_FILE',
        'This file or folder has no place in an Enclave bag, outside data/.',
        path,
      );
  }
  if (payloadFiles > limits.maxFiles)
    list.problem('LIMIT_FILE_COUNT', `The payload has ${payloadFiles} files, over the limit of ${limits.maxFiles}.`);
  if (payloadBytes > limits.maxTotalBytes)
    list.problem(
      'LIMIT_TOTAL_SIZE',
      `The payload is ${payloadBytes} bytes, over the limit of ${limits.maxTotalBytes}.`,
    );
  for (const collision of findCollisions(entries.map((e) => e.path)))
    list.problem(
      'PROFILE_COLLISION',
      `"${collision.first}" and "${collision.second}" would be one file on a ${collision.kind === 'case' ? 'case-insensitive' : 'normalising'} file system.`,
      collision.second,
    );
}
