import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { BAGIT_TXT, RECORD_PATH, SIGNATURE_FILES, TAG_FILES } from '../../../common/bundle/bundle-format';
import { bundleInfoOf, type BundleInfo } from '../../../common/bundle/bundle-info';
import { RECORD_MAX_BYTES } from '../../../common/bundle/bundle-record';
import { siteMarkings, type SiteConfig } from '../../../common/site/site-config';
import { BagFileError, listTree, manifestLines, readBounded, sha512File, tagFields } from './bag-files';
import { verifyDetached } from './cms-signature';
import { checkRecords, type CheckedRecord } from './record-check';
import { checkSequence, type SequenceFinding } from './sequence-check';
import { checkMlDsa } from './mldsa-check';
import { checkSigner } from './signer-check';

/** The checks of an import, in the order they run (docs/bundle-format.md, "Verification"). */
export const VERIFY_STEPS = ['structure', 'signature', 'payload', 'unlisted', 'records', 'sequence'] as const;
export type VerifyStep = (typeof VERIFY_STEPS)[number];

export interface BundleProblem {
  step: VerifyStep;
  code: string;
  path?: string;
  message: string;
}

export interface VerifiedBundle {
  info: BundleInfo;
  bundleHash: string;
  signer: { subject: string; name: string; policies: string[]; path: string[]; signedAt: string | null };
  records: CheckedRecord[];
  sequence: SequenceFinding;
  warnings: string[];
}

export type VerifyResult =
  { ok: true; bundle: VerifiedBundle } | { ok: false; step: VerifyStep; problems: BundleProblem[] };

const TAG_MAX_BYTES = 1024 * 1024;
const SIGNATURE_MAX_BYTES = 256 * 1024;
const ROOT_FILES = new Set<string>([...Object.values(TAG_FILES), SIGNATURE_FILES.cms, SIGNATURE_FILES.mlDsa, 'data']);

/**
 * Verifies an unpacked bundle in `dir` against this workstation's store and site, in order, stopping
 * at the first step that finds problems (all of that step's problems are reported): the structure
 * (only the files the format names, tag files bounded), the signature over the tag manifest and
 * its signer's certificate path, then the tag manifest and every payload hash, then that no file is
 * unlisted, then every record's schema and marking, then the channel's sequence. Reads only.
 */
export async function verifyBundle(
  db: Database,
  site: SiteConfig,
  dir: string,
  now: Date,
  releasing = false,
): Promise<VerifyResult> {
  const fail = (step: VerifyStep, problems: Omit<BundleProblem, 'step'>[]): VerifyResult => ({
    ok: false,
    step,
    problems: problems.map((p) => ({ step, ...p })),
  });
  const limits = site.bundles;

  // 1. Structure.
  const tree = listTree(dir, limits.maxRecords + 16);
  const structure: Omit<BundleProblem, 'step'>[] = [];
  if (tree.length > limits.maxRecords + 8)
    structure.push({ code: 'TOO_MANY_FILES', message: `The bundle holds more than ${limits.maxRecords} records.` });
  for (const entry of tree) {
    if (entry.kind === 'other')
      structure.push({
        code: 'NOT_A_FILE',
        path: entry.path,
        message: `${entry.path} is neither a file nor a folder.`,
      });
    else if (!entry.path.includes('/') && !ROOT_FILES.has(entry.path))
      structure.push({
        code: entry.path === 'fetch.txt' ? 'FETCH_NOT_ALLOWED' : 'UNEXPECTED_TAG_FILE',
        path: entry.path,
        message:
          entry.path === 'fetch.txt'
            ? 'fetch.txt is never allowed in a bundle: everything must be inside it.'
            : `${entry.path} is not a file the bundle format allows at the top of a bundle.`,
      });
  }
  const read = (path: string, max: number): Buffer | null => {
    try {
      return readBounded(dir, path, max);
    } catch (error) {
      if (!(error instanceof BagFileError)) throw error;
      structure.push({ code: error.code, path, message: error.message });
      return null;
    }
  };
  const bagit = read(TAG_FILES.bagit, TAG_MAX_BYTES);
  const bagInfo = read(TAG_FILES.bagInfo, TAG_MAX_BYTES);
  const manifest = read(TAG_FILES.manifest, limits.maxRecords * 256 + 1024);
  const tagManifest = read(TAG_FILES.tagManifest, TAG_MAX_BYTES);
  const signature = read(SIGNATURE_FILES.cms, SIGNATURE_MAX_BYTES);
  if (bagit && bagit.toString('utf8') !== BAGIT_TXT)
    structure.push({
      code: 'BAD_BAGIT_TXT',
      path: TAG_FILES.bagit,
      message: 'bagit.txt must declare BagIt 1.0 and UTF-8, exactly.',
    });
  if (structure.length || !bagInfo || !manifest || !tagManifest || !signature) return fail('structure', structure);

  // 2. Signature over the tag manifest, and the signer's certificate path.
  const cms = verifyDetached(signature, tagManifest);
  if (!cms.ok) return fail('signature', [{ code: cms.code, path: SIGNATURE_FILES.cms, message: cms.message }]);
  const signer = await checkSigner(db, site, cms.signer, cms.certificates, now);
  if (!signer.ok)
    return fail('signature', [{ code: `SIGNER_${signer.reason}`, path: SIGNATURE_FILES.cms, message: signer.message }]);

  // 3. The tag manifest's hashes, then every payload hash.
  const payload: Omit<BundleProblem, 'step'>[] = [];
  const tagLines = manifestLines(tagManifest.toString('utf8'));
  const expectedTags = [TAG_FILES.bagInfo, TAG_FILES.bagit, TAG_FILES.manifest];
  const tagBytes: Record<string, Buffer> = {
    [TAG_FILES.bagit]: bagit!,
    [TAG_FILES.bagInfo]: bagInfo,
    [TAG_FILES.manifest]: manifest,
  };
  if (
    tagLines.some((l) => l === null) ||
    tagLines
      .map((l) => l!.path)
      .sort()
      .join('\n') !== expectedTags.join('\n')
  )
    payload.push({
      code: 'BAD_TAG_MANIFEST',
      path: TAG_FILES.tagManifest,
      message: 'tagmanifest-sha512.txt must list bagit.txt, bag-info.txt and manifest-sha512.txt, once each.',
    });
  else
    for (const line of tagLines)
      if (createHash('sha512').update(tagBytes[line!.path]!).digest('hex') !== line!.hash)
        payload.push({
          code: 'TAG_HASH_MISMATCH',
          path: line!.path,
          message: `${line!.path} does not match its hash in the signed tag manifest: it was changed after signing.`,
        });
  if (payload.length) return fail('payload', payload);
  const fields = tagFields(bagInfo.toString('utf8'));
  const parsedInfo = fields
    ? bundleInfoOf(fields)
    : { problems: [{ label: 'bag-info.txt', message: 'bag-info.txt has a line that is not "Label: value".' }] };
  if ('problems' in parsedInfo)
    return fail(
      'payload',
      parsedInfo.problems.map((p) => ({ code: 'BAD_BAG_INFO', path: TAG_FILES.bagInfo, message: p.message })),
    );
  const info = parsedInfo.info;
  // The site's ML-DSA-87 signature, now that the source site named in bag-info is authenticated.
  const mlDsa = checkMlDsa(dir, site, info, tagManifest);
  if (mlDsa.problem) return fail('signature', [mlDsa.problem]);
  const lines = manifestLines(manifest.toString('utf8'));
  const listed = new Map<string, string>();
  for (const [i, line] of lines.entries()) {
    if (!line) {
      payload.push({
        code: 'BAD_MANIFEST_LINE',
        path: TAG_FILES.manifest,
        message: `Line ${i + 1} of manifest-sha512.txt is not "<sha512>  <path>".`,
      });
      continue;
    }
    if (!RECORD_PATH.test(line.path)) {
      payload.push({
        code: 'BAD_PAYLOAD_PATH',
        path: line.path,
        message: `${line.path} is not a record path the bundle format allows.`,
      });
      continue;
    }
    if (listed.has(line.path)) {
      payload.push({
        code: 'DUPLICATE_ENTRY',
        path: line.path,
        message: `${line.path} is listed twice in the manifest.`,
      });
      continue;
    }
    listed.set(line.path, line.hash);
  }
  if (listed.size !== info.recordCount)
    payload.push({
      code: 'RECORD_COUNT',
      path: TAG_FILES.bagInfo,
      message: `bag-info.txt says ${info.recordCount} records; the manifest lists ${listed.size}.`,
    });
  const files = new Set(tree.filter((e) => e.kind === 'file').map((e) => e.path));
  for (const [path, hash] of listed) {
    if (!files.has(path))
      payload.push({ code: 'FILE_MISSING', path, message: `${path} is listed in the manifest but not in the bundle.` });
    else if (sha512File(dir, path) !== hash)
      payload.push({
        code: 'PAYLOAD_HASH_MISMATCH',
        path,
        message: `${path} does not match its hash in the manifest: it was changed or damaged.`,
      });
  }
  if (payload.length) return fail('payload', payload);

  // 4. Nothing unlisted.
  const unlisted = tree
    .filter((e) => e.kind === 'file' && e.path.startsWith('data/') && !listed.has(e.path))
    .map((e) => ({
      code: 'FILE_NOT_IN_MANIFEST',
      path: e.path,
      message: `${e.path} is in the bundle but not in its manifest.`,
    }));
  if (unlisted.length) return fail('unlisted', unlisted);

  // 5. Records: schema and marking.
  const { policy, systemHigh } = siteMarkings(site);
  const records = checkRecords(db, { site, policy, systemHigh, info }, [...listed.keys()], (path) =>
    readBounded(dir, path, RECORD_MAX_BYTES),
  );
  if (!records.ok) return fail('records', records.problems);

  // 6. The channel: expiry, replay, chain and gaps.
  const sequence = checkSequence(db, site, info, now, releasing);
  if (!sequence.ok) return fail('sequence', sequence.problems);

  return {
    ok: true,
    bundle: {
      info,
      bundleHash: createHash('sha512').update(tagManifest).digest('hex'),
      signer: {
        subject: signer.subject,
        name: signer.name,
        policies: signer.policies,
        path: signer.path.map((der) => der.toString('base64')),
        signedAt: cms.signingTime?.toISOString() ?? null,
      },
      records: records.records,
      sequence: sequence.finding,
      warnings: [...signer.warnings, ...mlDsa.warnings, ...(sequence.finding.gap ? [sequence.finding.gap] : [])],
    },
  };
}
