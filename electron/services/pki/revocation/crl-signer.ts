import { namesEqual } from '../distinguished-name';
import { spkiParametersMissing, verifyCrlSignature, workingKey } from '../signature';
import type { ParsedCrl } from '../types';
import { formatName, keyUsage, type ParsedCertificate } from '../x509';
import type { RevocationContext } from './certificate-status';

/**
 * 6.3.3 (f): the key that signed a CRL, and a valid certificate for it. First the certificates above
 * the one being checked in the path itself (its issuer, or the CA's other key after a rollover:
 * trusted once the path validates), then any other certificate of the CRL issuer's name (a separate
 * CRL-signing certificate), whose own path to the same anchor is validated with revocation. The
 * signer must be allowed cRLSign when its certificate has a key usage.
 * The certificate being checked counts only when it is the target (index 0): a CRL issuer
 * that its CA named as the cRLIssuer of its own certificate vouches for itself, as RFC 5280
 * allows and PKITS 4.14.30 expects; its CA's name, not its own, still has to match the path.
 */
export type SignerKey = { ok: true; key: Buffer } | { ok: false; message: string };

const maySignCrls = (certificate: ParsedCertificate) => keyUsage(certificate.pkijs)?.has('cRLSign') ?? true;

export async function crlSignerKey(crl: ParsedCrl, index: number, context: RevocationContext): Promise<SignerKey> {
  const issuer = formatName(crl.pkijs.issuer);
  let refusal: string | null = null;
  // The target itself may be the CRL issuer its CA named for it (an indirect CRL's signer is covered by its own CRL, PKITS 4.14.30).
  for (let j = index === 0 ? 0 : index + 1; j < context.path.length; j++) {
    const candidate = context.path[j]!;
    if (!namesEqual(candidate.pkijs.subject, crl.pkijs.issuer)) continue;
    // Vouching for itself needs its CA's delegation (a cRLIssuer naming it): never for a self-issued certificate.
    if (j === index && namesEqual(candidate.pkijs.subject, candidate.pkijs.issuer)) continue;
    if (verifyCrlSignature(crl.pkijs, context.pathKey(j)) !== 'valid') continue;
    if (maySignCrls(candidate)) return { ok: true, key: context.pathKey(j) };
    refusal ??= `it is signed by "${issuer}", whose key usage does not allow signing CRLs (cRLSign)`;
  }
  for (const candidate of context.pool) {
    if (!namesEqual(candidate.pkijs.subject, crl.pkijs.issuer)) continue;
    // A key that inherits its DSA parameters can only be tried once its own path gives them.
    if (!spkiParametersMissing(candidate.pkijs.subjectPublicKeyInfo)) {
      const own = workingKey(candidate.pkijs.subjectPublicKeyInfo, null);
      if (verifyCrlSignature(crl.pkijs, own) !== 'valid') continue;
    }
    if (!maySignCrls(candidate)) {
      refusal ??= `it is signed by a certificate of "${issuer}" whose key usage does not allow signing CRLs (cRLSign)`;
      continue;
    }
    const validated = await context.validateSigner(candidate);
    if (!validated.ok) {
      refusal ??= validated.message;
      continue;
    }
    if (verifyCrlSignature(crl.pkijs, validated.workingKey) === 'valid') return { ok: true, key: validated.workingKey };
  }
  return { ok: false, message: refusal ?? `its signature does not verify with any key of "${issuer}" known here` };
}
