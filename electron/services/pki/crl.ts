import * as pkijs from 'pkijs';
import type { ParsedCrl } from './types';
import { MalformedInputError } from './x509';

/** Parses one CRL's DER, complete or delta, with or without an issuingDistributionPoint: scope is decided at validation. */
export function parseCrl(der: Uint8Array, what = 'The CRL'): ParsedCrl {
  const bytes = Buffer.from(der);
  try {
    const crl = pkijs.CertificateRevocationList.fromBER(bytes);
    return { der: bytes, pkijs: crl };
  } catch {
    throw new MalformedInputError(`${what} is not a valid DER-encoded X.509 CRL.`);
  }
}
