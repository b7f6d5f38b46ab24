import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { RECORD_DIR, RECORD_PATH, SIGNATURE_FILES, TAG_FILES } from '../../../common/bundle/bundle-format';
import { bundleInfoOf } from '../../../common/bundle/bundle-info';
import { BundleRecordSchema, RECORD_MAX_BYTES } from '../../../common/bundle/bundle-record';
import { parseMarking } from '../../../common/markings';
import { BagFileError, readBounded, tagFields } from './bag-files';
import { verifyDetached } from './cms-signature';
import { parseCertificateDer } from '../pki/x509';

export interface OfflineFinding {
  code: string;
  path?: string;
  message: string;
}

/**
 * What `enclave bundle verify` can check of an Enclave bundle without a store, after the bag profile
 * passed (docs/cli.md): the CMS signature over the tag manifest (with the key of the certificate it
 * carries: whether that certificate is trusted is for the import, or `enclave pki validate`), the
 * bag-info fields, and every record's name, schema and portion mark. Expiry is a warning here.
 */
export function offlineBundleChecks(
  dir: string,
  now = new Date(),
): { problems: OfflineFinding[]; warnings: OfflineFinding[]; signer: string | null } {
  const problems: OfflineFinding[] = [];
  const warnings: OfflineFinding[] = [];
  let signer: string | null = null;
  const tagManifest = readBounded(dir, TAG_FILES.tagManifest, 1024 * 1024);
  let signature: Buffer;
  try {
    signature = readBounded(dir, SIGNATURE_FILES.cms, 256 * 1024);
  } catch (error) {
    if (!(error instanceof BagFileError)) throw error;
    return {
      problems: [
        {
          code: 'SIGNATURE_MISSING',
          path: SIGNATURE_FILES.cms,
          message: `${error.message} A bundle is always signed.`,
        },
      ],
      warnings,
      signer,
    };
  }
  const cms = verifyDetached(signature, tagManifest);
  if (!cms.ok) problems.push({ code: cms.code, path: SIGNATURE_FILES.cms, message: cms.message });
  else {
    signer = parseCertificateDer(cms.signer, 'The signer certificate').node.subject.split('\n').reverse().join(', ');
    warnings.push({
      code: 'SIGNER_NOT_VALIDATED',
      path: SIGNATURE_FILES.cms,
      message: `Signed by ${signer}; the signer's certificate path is checked at import (or with enclave pki validate), not here.`,
    });
  }
  const fields = tagFields(readBounded(dir, TAG_FILES.bagInfo, 1024 * 1024).toString('utf8'));
  const info = fields
    ? bundleInfoOf(fields)
    : { problems: [{ label: TAG_FILES.bagInfo, message: 'bag-info.txt has a line that is not "Label: value".' }] };
  if ('problems' in info)
    for (const p of info.problems) problems.push({ code: 'BAD_BAG_INFO', path: TAG_FILES.bagInfo, message: p.message });
  else if (now.getTime() > Date.parse(info.info.expires))
    warnings.push({
      code: 'EXPIRED',
      path: TAG_FILES.bagInfo,
      message: `The bundle expired at ${info.info.expires}: an import refuses it.`,
    });
  let names: string[] = [];
  try {
    names = readdirSync(join(dir, RECORD_DIR));
  } catch {
    problems.push({ code: 'NO_RECORDS', path: RECORD_DIR, message: 'The bundle has no data/records folder.' });
  }
  for (const name of names) {
    const path = `${RECORD_DIR}/${name}`;
    const match = RECORD_PATH.exec(path);
    if (!match) {
      problems.push({
        code: 'BAD_PAYLOAD_PATH',
        path,
        message: `${path} is not a record path the bundle format allows.`,
      });
      continue;
    }
    const bytes = readBounded(dir, path, RECORD_MAX_BYTES);
    if (createHash('sha256').update(bytes).digest('hex') !== match[2]) {
      problems.push({
        code: 'RECORD_NAME_HASH',
        path,
        message: `${path} is not named by the SHA-256 of its contents.`,
      });
      continue;
    }
    let parsed;
    try {
      parsed = BundleRecordSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    } catch {
      problems.push({ code: 'RECORD_NOT_JSON', path, message: `${path} is not JSON.` });
      continue;
    }
    if (!parsed.success || parsed.data.kind !== match[1]) {
      problems.push({ code: 'RECORD_SCHEMA', path, message: `${path} is not a valid ${match[1]} record.` });
      continue;
    }
    if (!parseMarking(parsed.data.portionMark.replace(/^\((.*)\)$/, '$1')).ok)
      problems.push({
        code: 'BAD_MARKING',
        path,
        message: `${path}: the portion mark "${parsed.data.portionMark}" is not a valid marking.`,
      });
  }
  return { problems, warnings, signer };
}
