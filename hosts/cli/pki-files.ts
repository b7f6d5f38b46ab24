import { certificatesFromPkcs7, derKind, pemBlocks } from '../../electron/services/identity/trust-material';
import { parseCrl } from '../../electron/services/pki/crl';
import type { ParsedCrl } from '../../electron/services/pki/types';
import { MalformedInputError, parseCertificateDer, type ParsedCertificate } from '../../electron/services/pki/x509';
import { readRegularFile } from '../../electron/services/regular-file';

/**
 * The certificate and CRL files `enclave pki validate` is given: DER or PEM (a PEM file may hold
 * several blocks; a certs-only PKCS#7 bundle is read too). Anything else is a usage error with one
 * line that names the option, the file and what is wrong with it.
 */

/** Bounded input: real certificate and CRL files are kilobytes; the largest DoD CRLs are a few MiB. */
export const PKI_FILE_MAX_BYTES = 10 * 1024 ** 2;

/** A bad argument: exit 2, its message printed as one line. */
export class PkiUsageError extends Error {
  override readonly name = 'PkiUsageError';
}

type Kind = 'certificate' | 'crl';

function readBytes(option: string, path: string): Buffer {
  const read = readRegularFile(path, PKI_FILE_MAX_BYTES);
  if (read.ok) return read.bytes;
  const advice = read.problem === 'too-large' ? ', the most a certificate or CRL file may be' : '';
  throw new PkiUsageError(`${option} ${path}: ${read.message}${advice}`);
}

/** The DER blobs in a file, each tagged with what it is by its structure (PEM label, or the DER's outer shape). */
function blobs(bytes: Buffer): { kind: Kind | 'other'; what: string; ders: Buffer[] }[] {
  const blocks = pemBlocks(bytes);
  if (blocks)
    return blocks.map((block) => {
      if (block.label === 'CERTIFICATE') return { kind: 'certificate', what: 'a certificate', ders: [block.der] };
      if (block.label === 'PKCS7')
        return { kind: 'certificate', what: 'a PKCS#7 bundle', ders: certificatesFromPkcs7(block.der) };
      if (block.label === 'X509 CRL') return { kind: 'crl', what: 'a CRL', ders: [block.der] };
      if (block.label.includes('PRIVATE KEY')) return { kind: 'other', what: 'a private key', ders: [] };
      return { kind: 'other', what: `a PEM "${block.label}" block`, ders: [] };
    });
  switch (derKind(bytes)) {
    case 'certificate':
      return [{ kind: 'certificate', what: 'a certificate', ders: [bytes] }];
    case 'pkcs7':
      return [{ kind: 'certificate', what: 'a PKCS#7 bundle', ders: certificatesFromPkcs7(bytes) }];
    case 'crl':
      return [{ kind: 'crl', what: 'a CRL', ders: [bytes] }];
    default:
      return [{ kind: 'other', what: 'neither a certificate nor a CRL (PEM or DER)', ders: [] }];
  }
}

const WHERE: Record<Kind, string> = {
  certificate: 'give certificates with --cert, --intermediate or --anchor',
  crl: 'give CRLs with --crl',
};

/** The DER of every object of `kind` in the file; any other content is refused with what it is. */
function readObjects(option: string, path: string, kind: Kind): Buffer[] {
  const bytes = readBytes(option, path);
  let found;
  try {
    found = blobs(bytes);
  } catch (error) {
    if (!(error instanceof MalformedInputError)) throw error;
    throw new PkiUsageError(`${option} ${path}: ${error.message}`);
  }
  const ders: Buffer[] = [];
  for (const blob of found) {
    if (blob.kind === kind) ders.push(...blob.ders);
    else if (blob.kind === 'other') throw new PkiUsageError(`${option} ${path}: the file holds ${blob.what}`);
    else
      throw new PkiUsageError(
        `${option} ${path}: the file holds ${blob.what}, not ${kind === 'crl' ? 'a CRL' : 'a certificate'} (${WHERE[blob.kind]})`,
      );
  }
  return ders;
}

/** Every certificate in the file (at least one), parsed. */
export function readCertificates(option: string, path: string): ParsedCertificate[] {
  const ders = readObjects(option, path, 'certificate');
  return ders.map((der, i) => {
    try {
      return parseCertificateDer(der, ders.length > 1 ? `Certificate ${i + 1} in the file` : 'The file');
    } catch (error) {
      if (!(error instanceof MalformedInputError)) throw error;
      throw new PkiUsageError(`${option} ${path}: ${error.message}`);
    }
  });
}

/** The one certificate in the file: the target is a single certificate. */
export function readOneCertificate(option: string, path: string): ParsedCertificate {
  const certificates = readCertificates(option, path);
  if (certificates.length !== 1)
    throw new PkiUsageError(
      `${option} ${path}: the file holds ${certificates.length} certificates; ${option} takes exactly one (give the others with --intermediate or --anchor)`,
    );
  return certificates[0]!;
}

/** Every CRL in the file, parsed. */
export function readCrls(option: string, path: string): ParsedCrl[] {
  const ders = readObjects(option, path, 'crl');
  return ders.map((der, i) => {
    try {
      return parseCrl(der, ders.length > 1 ? `CRL ${i + 1} in the file` : 'The file');
    } catch (error) {
      if (!(error instanceof MalformedInputError)) throw error;
      throw new PkiUsageError(`${option} ${path}: ${error.message}`);
    }
  });
}
