import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNATURE_FILES } from '../../../common/bundle/bundle-format';
import type { BundleInfo } from '../../../common/bundle/bundle-info';
import type { SiteConfig } from '../../../common/site/site-config';
import { readBounded } from './bag-files';
import { fingerprintOf, verifyMlDsa } from './site-key';

/** An ML-DSA-87 signature is 4,627 bytes (FIPS 204). */
const SIGNATURE_BYTES = 4627;

/**
 * The companion ML-DSA-87 signature (docs/bundle-format.md, "ML-DSA-87"): when present it must verify
 * with the source site's configured key; when the site requires it, a bundle without one, or from a
 * site whose key is not configured, is refused. Present but not checkable (no key configured, not
 * required) is a warning for the reviewer.
 */
export function checkMlDsa(
  dir: string,
  site: SiteConfig,
  info: BundleInfo,
  tagManifest: Buffer,
): { problem: { code: string; path: string; message: string } | null; warnings: string[] } {
  const settings = site.bundles.mlDsa87;
  const path = SIGNATURE_FILES.mlDsa;
  const refuse = (code: string, message: string) => ({ problem: { code, path, message }, warnings: [] });
  const present = existsSync(join(dir, path));
  if (!present)
    return settings.require
      ? refuse('MLDSA_MISSING', 'This site requires an ML-DSA-87 site signature on every bundle; this one has none.')
      : { problem: null, warnings: [] };
  const key = settings.trustedKeys[info.sourceSite];
  if (!key) {
    const message = `The bundle carries an ML-DSA-87 signature, but no key of ${info.sourceSite} is configured here (bundles.mlDsa87.trustedKeys).`;
    return settings.require
      ? refuse('MLDSA_UNKNOWN_SITE', message)
      : { problem: null, warnings: [`${message} It was not checked.`] };
  }
  const publicKey = Buffer.from(key, 'base64');
  let signature: Buffer;
  try {
    signature = readBounded(dir, path, SIGNATURE_BYTES);
  } catch {
    return refuse('MLDSA_INVALID', `${path} is not an ML-DSA-87 signature.`);
  }
  if (!verifyMlDsa(signature, tagManifest, publicKey))
    return refuse(
      'MLDSA_INVALID',
      `The ML-DSA-87 signature does not verify with ${info.sourceSite}'s key (fingerprint ${fingerprintOf(publicKey).slice(0, 16)}).`,
    );
  return { problem: null, warnings: [] };
}
