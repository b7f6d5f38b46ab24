import { createPublicKey, X509Certificate } from 'node:crypto';
import { RepositoryError } from '../updates/repository/errors';
import { readBounded } from '../updates/repository/files';

/** id-kp-codeSigning (RFC 5280 4.2.1.12): the one purpose a release signer's certificate must name. */
export const CODE_SIGNING_OID = '1.3.6.1.5.5.7.3.3';

const MAX_PEM_BYTES = 256 * 1024;
const MAX_CHAIN = 8;
const refused = (message: string) => new RepositoryError('refused', message);

/** The DER certificates of a PEM file (at most 8, 256 KiB); `what` names the file in errors. */
export function readPemCertificates(path: string, what: string): Buffer[] {
  const text = readBounded(path, MAX_PEM_BYTES, what).toString('latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new RepositoryError('usage', `${what} ${path} holds no PEM certificate.`);
  if (blocks.length > MAX_CHAIN)
    throw new RepositoryError('usage', `${what} ${path} holds ${blocks.length} certificates; at most ${MAX_CHAIN}.`);
  return blocks.map((block, index) => {
    const der = Buffer.from(block[1]!.replace(/\s+/g, ''), 'base64');
    try {
      new X509Certificate(der);
    } catch {
      throw new RepositoryError('usage', `Certificate ${index + 1} in ${what} ${path} cannot be parsed.`);
    }
    return der;
  });
}

/**
 * Checks, before anything is signed, that the certificate is the one a receiving site will accept for
 * this token key: the same public key, codeSigning among its extended key usages, valid now, and (when
 * a chain is given) issued by the first chain certificate, each chain certificate by the next.
 */
export function checkSignerCertificate(
  certificate: Buffer,
  chain: readonly Buffer[],
  tokenPublicKeyPem: string,
  now: Date,
): X509Certificate {
  const cert = new X509Certificate(certificate);
  const certificateSpki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const tokenSpki = createPublicKey(tokenPublicKeyPem).export({ type: 'spki', format: 'der' });
  if (!certificateSpki.equals(tokenSpki))
    throw refused(
      `The certificate (${cert.subject.replace(/\n/g, ', ')}) is not for the key on the token: its public key differs. Nothing was signed.`,
    );
  const usages = cert.keyUsage; // Node's name for the extended key usage OIDs
  if (!usages || !usages.includes(CODE_SIGNING_OID))
    throw refused(
      `The certificate (${cert.subject.replace(/\n/g, ', ')}) does not allow code signing (no codeSigning extended key usage); a receiving site would refuse the signature. Nothing was signed.`,
    );
  if (new Date(cert.validFrom) > now || new Date(cert.validTo) < now)
    throw refused(
      `The certificate is not valid now (valid from ${cert.validFrom} to ${cert.validTo}). Nothing was signed.`,
    );
  const path = [cert, ...chain.map((der) => new X509Certificate(der))];
  for (let i = 0; i + 1 < path.length; i++)
    if (!path[i]!.checkIssued(path[i + 1]!) || !path[i]!.verify(path[i + 1]!.publicKey))
      throw refused(
        `Chain certificate ${i + 1} (${path[i + 1]!.subject.replace(/\n/g, ', ')}) did not issue ${i === 0 ? 'the signer certificate' : `chain certificate ${i}`}. Nothing was signed.`,
      );
  return cert;
}
