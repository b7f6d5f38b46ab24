import { createHash, randomBytes } from 'node:crypto';
import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { BUNDLE_FORMAT } from '../../../common/bundle/bundle-format';
import { getSetting, putSetting } from '../../db/queries/settings';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';

/**
 * The site's ML-DSA-87 key (FIPS 204; the CNSA 2.0 option of docs/bundle-format.md): a second,
 * site-level signature over a bundle's tag manifest beside the analyst's card signature. The key is
 * kept as its 32-byte seed in the encrypted store's settings (never on disk in the clear) and
 * derived when needed; its public key goes to the receiving sites' configuration.
 */
const SEED_SETTING = 'bundles.mldsa87.seed';
/** The signature's context string (FIPS 204 ctx): a signature made for a bundle means nothing elsewhere. */
const CONTEXT = new TextEncoder().encode(BUNDLE_FORMAT);

export const fingerprintOf = (publicKey: Uint8Array) => createHash('sha256').update(publicKey).digest('hex');

export function siteKeyPair(ws: Workspace): { publicKey: Uint8Array; secretKey: Uint8Array } | null {
  const seed = getSetting(ws.db, SEED_SETTING);
  return seed ? ml_dsa87.keygen(Buffer.from(seed, 'hex')) : null;
}

/** The site's public key and its fingerprint, or null before one is made. */
export function sitePublicKey(ws: Workspace): { publicKey: string; fingerprint: string } | null {
  const pair = siteKeyPair(ws);
  return pair
    ? { publicKey: Buffer.from(pair.publicKey).toString('base64'), fingerprint: fingerprintOf(pair.publicKey) }
    : null;
}

/** Makes the site's key; refused when there is one (a new key would orphan every receiver's copy). */
export function createSiteKey(ws: Workspace): { publicKey: string; fingerprint: string } {
  if (getSetting(ws.db, SEED_SETTING))
    throw new ServiceError('FAILED_PRECONDITION', 'This site already has an ML-DSA-87 bundle key.');
  const seed = randomBytes(32);
  ws.db.transaction(() => {
    putSetting(ws.db, SEED_SETTING, seed.toString('hex'));
    const made = sitePublicKey(ws)!;
    ws.audit.append({
      actor: ws.user.actor,
      event: 'bundle.sitekey.create',
      outcome: 'success',
      detail: { fingerprint: made.fingerprint },
    });
  })();
  seed.fill(0);
  return sitePublicKey(ws)!;
}

export function signMlDsa(tagManifest: Buffer, secretKey: Uint8Array): Buffer {
  return Buffer.from(ml_dsa87.sign(tagManifest, secretKey, { context: CONTEXT }));
}

export function verifyMlDsa(signature: Buffer, tagManifest: Buffer, publicKey: Uint8Array): boolean {
  try {
    return ml_dsa87.verify(signature, tagManifest, publicKey, { context: CONTEXT });
  } catch {
    return false; // a signature or key of the wrong length
  }
}
