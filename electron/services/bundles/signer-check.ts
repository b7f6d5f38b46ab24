import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { SiteConfig } from '../../../common/site/site-config';
import { splitAnchors, storeTrustMaterial } from '../identity/login-trust';
import { parseCrl } from '../pki/crl';
import type { ParsedCrl, PathFailureCode } from '../pki/types';
import { validateCertificatePath } from '../pki/validate-path';
import { commonName, keyUsage, MalformedInputError, parseCertificateDer, type ParsedCertificate } from '../pki/x509';

export type SignerVerdict =
  | { ok: true; subject: string; name: string; path: Buffer[]; policies: string[]; warnings: string[] }
  | { ok: false; reason: PathFailureCode | 'KEY_USAGE' | 'POLICY'; message: string };

/**
 * Whether a bundle signer's certificate is trusted here: the RFC 5280 validator (electron/services/pki)
 * from the certificate, through the CA certificates the signature carries and those imported, to one
 * of this store's trust anchors, with every certificate's revocation checked against the imported
 * CRLs, at `at`, under the site's signer policies (initial-explicit-policy set: the path must be
 * valid for one of them). The certificate must allow digital signatures.
 */
export async function checkSigner(
  db: Database,
  site: SiteConfig,
  signer: Buffer,
  carried: readonly Buffer[],
  at: Date,
): Promise<SignerVerdict> {
  const material = storeTrustMaterial(db);
  const { trustAnchors, intermediates } = splitAnchors(material.certificates);
  let target: ParsedCertificate;
  let chain: ParsedCertificate[];
  let anchors: ParsedCertificate[];
  try {
    target = parseCertificateDer(signer, 'The signer certificate');
    chain = [...carried, ...intermediates].map((der) => parseCertificateDer(der, 'A CA certificate'));
    anchors = trustAnchors.map((der) => parseCertificateDer(der, 'A stored trust anchor'));
  } catch (error) {
    return {
      ok: false,
      reason: 'MALFORMED',
      message: error instanceof MalformedInputError ? error.message : 'A certificate cannot be read.',
    };
  }
  const crls = material.crls.flatMap((der): ParsedCrl[] => {
    try {
      return [parseCrl(der)];
    } catch {
      return [];
    }
  });
  const result = await validateCertificatePath({
    target,
    intermediates: chain,
    anchors,
    crls,
    at,
    initialPolicySet: site.bundles.signerPolicies,
    initialExplicitPolicy: true,
    revocation: site.identity.revocationUnavailable === 'refuse' ? 'require' : 'warn',
    maxCrlAgeDays: site.identity.maxCrlAgeDays,
  });
  const name = commonName(target.pkijs) || target.node.subject;
  if (!result.ok)
    return {
      ok: false,
      reason: result.code,
      message:
        result.code === 'POLICY'
          ? `The signer certificate of ${name} is not valid for any of this site's bundle signer policies (${site.bundles.signerPolicies.join(', ')}).`
          : `The signer certificate of ${name} is not trusted here: ${result.message}`,
    };
  const usage = keyUsage(target.pkijs);
  if (usage && !usage.has('digitalSignature') && !usage.has('nonRepudiation'))
    return {
      ok: false,
      reason: 'KEY_USAGE',
      message: `The certificate of ${name} does not allow digital signatures (key usage).`,
    };
  return {
    ok: true,
    subject: target.node.subject.split('\n').reverse().join(', '),
    name,
    path: result.path.slice(1).map((c) => c.der),
    policies: result.userConstrainedPolicies,
    warnings: result.warnings.map((w) => w.message),
  };
}
