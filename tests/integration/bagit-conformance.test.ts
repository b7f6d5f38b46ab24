import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBag } from '../../electron/services/bundles/bagit';
import type { BagProblemCode } from '../../electron/services/bundles/bagit';
import { repoRoot } from '../support/services';

/**
 * The Library of Congress BagIt conformance suite (tests/data/bagit-conformance), one test per bag:
 * valid bags pass with no problem, invalid, linux-only and windows-only bags fail with the problem
 * named here (other problems may come with it), warning bags pass with the warning named here.
 */
const SUITE = join(repoRoot, 'tests', 'data', 'bagit-conformance');

const REFUSED_WITH: Record<string, BagProblemCode> = {
  'v1.0/invalid/bagit-with-invalid-whitespace': 'BAD_TAG_LINE',
  'v1.0/invalid/notAllManifestsListAllFiles': 'FILE_NOT_IN_MANIFEST',
  'v1.0/invalid/same-filename-listed-twice-with-different-hashes': 'DUPLICATE_ENTRY',
  'v1.0/invalid/same-filename-listed-twice-with-the-same-hash': 'DUPLICATE_ENTRY',
  'v0.97/invalid/baginfo-missing-encoding': 'MISSING_ENCODING',
  'v0.97/invalid/bom-in-bagit.txt': 'BOM_IN_BAGIT_TXT',
  'v0.97/invalid/corrupt-data-file': 'PAYLOAD_HASH_MISMATCH',
  'v0.97/invalid/corrupt-tag-file': 'TAG_HASH_MISMATCH',
  'v0.97/invalid/extra-file-in-bag': 'FILE_NOT_IN_MANIFEST',
  'v0.97/invalid/invalid-version-number': 'BAD_VERSION',
  'v0.97/invalid/missing-baginfo': 'FILE_MISSING',
  'v0.97/invalid/missing-bagit.txt': 'MISSING_BAGIT_TXT',
  'v0.97/invalid/out-of-scope-file-paths-using-dot-notation': 'PATH_OUT_OF_SCOPE',
  'v0.97/invalid/out-of-scope-file-paths-using-dot-notation-for-fetch': 'PATH_OUT_OF_SCOPE',
  'v0.97/invalid/same-filename-listed-twice-with-different-hashes': 'DUPLICATE_ENTRY',
  'v0.97/linux-only/out-of-scope-file-paths-using-absolute-path': 'PATH_OUT_OF_SCOPE',
  'v0.97/linux-only/out-of-scope-file-paths-using-absolute-path-for-fetch': 'PATH_OUT_OF_SCOPE',
  'v0.97/linux-only/out-of-scope-file-paths-using-shortcut': 'PATH_OUT_OF_SCOPE',
  'v0.97/linux-only/out-of-scope-file-paths-using-shortcut-for-fetch': 'PATH_OUT_OF_SCOPE',
  'v0.97/linux-only/out-of-scope-file-paths-using-shortcut-username': 'PATH_OUT_OF_SCOPE',
  'v0.97/linux-only/out-of-scope-file-paths-using-shortcut-username-for-fetch': 'PATH_OUT_OF_SCOPE',
  // Refused on every system (docs/bagit.md): a backslash or drive letter is a path outside the bag on Windows.
  'v0.97/windows-only/out-of-scope-file-paths-using-absolute-path': 'PATH_OUT_OF_SCOPE',
  'v0.97/windows-only/out-of-scope-file-paths-using-absolute-path-for-fetch': 'PATH_OUT_OF_SCOPE',
  'v0.97/windows-only/out-of-scope-file-paths-using-shortcut': 'PATH_OUT_OF_SCOPE',
  'v0.97/windows-only/out-of-scope-file-paths-using-shortcut-for-fetch': 'PATH_OUT_OF_SCOPE',
  'v0.97/windows-only/out-of-scope-file-paths-using-unc': 'PATH_OUT_OF_SCOPE',
  'v0.97/windows-only/out-of-scope-file-paths-using-unc-for-fetch': 'PATH_OUT_OF_SCOPE',
};

const WARNED_WITH: Record<string, BagProblemCode> = {
  'v0.97/warning/duplicate-file-with-different-case': 'CASE_COLLISION',
  'v0.97/warning/made-with-md5sum-tools': 'MD5SUM_BINARY_MARKER',
  'v0.97/warning/relative-path': 'LEADING_DOT_SLASH',
  'v0.97/warning/same-filename-listed-twice-with-different-normalization': 'NORMALIZATION_COLLISION',
  'v0.97/warning/same-filename-listed-twice-with-the-same-hash': 'DUPLICATE_ENTRY',
  'v0.97/warning/special-system-files': 'SPECIAL_SYSTEM_FILE',
};

const bags = ['v1.0', 'v0.97'].flatMap((version) =>
  readdirSync(join(SUITE, version)).flatMap((kind) =>
    readdirSync(join(SUITE, version, kind)).map((bag) => ({ id: `${version}/${kind}/${bag}`, kind })),
  ),
);

describe('BagIt conformance suite (Library of Congress)', () => {
  it('has every bag of the suite, and a table entry for every bag that is not valid', () => {
    expect(bags).toHaveLength(46);
    for (const { id, kind } of bags) {
      if (kind === 'valid') continue;
      expect(REFUSED_WITH[id] ?? WARNED_WITH[id], id).toBeDefined();
    }
  });

  for (const { id, kind } of bags)
    it(`${id}`, async () => {
      const result = await validateBag(join(SUITE, id));
      if (kind === 'valid') {
        expect(result.problems).toEqual([]);
        expect(result.valid).toBe(true);
      } else if (kind === 'warning') {
        expect(result.problems).toEqual([]);
        expect(result.valid).toBe(true);
        expect(result.warnings.map((w) => w.code)).toContain(WARNED_WITH[id]);
      } else {
        expect(result.valid).toBe(false);
        expect(result.problems.map((p) => p.code)).toContain(REFUSED_WITH[id]);
        for (const problem of result.problems) expect(problem.message).toMatch(/\.$/);
      }
    });
});
