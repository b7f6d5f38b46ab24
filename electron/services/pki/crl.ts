import * as pkijs from 'pkijs';
import { OID } from './oids';
import type { ParsedCrl } from './types';
import { ParseCache } from './parse-cache';
import { MalformedInputError } from './x509';

/** Parses one CRL's DER, complete or delta, with or without an issuingDistributionPoint: scope is decided at validation. */
export function parseCrl(der: Uint8Array, what = 'The CRL'): ParsedCrl {
  return parsedCrls.get(der, () => {
    const bytes = Buffer.from(der);
    try {
      const crl = pkijs.CertificateRevocationList.fromBER(bytes);
      return { der: bytes, pkijs: crl };
    } catch {
      throw new MalformedInputError(`${what} is not a valid DER-encoded X.509 CRL.`);
    }
  });
}

const parsedCrls = new ParseCache<ParsedCrl>(64);

/**
 * What a CRL covers, as a key: complete or delta, and its issuingDistributionPoint (DER), so that a
 * partitioned CRL or a delta never stands in for, or replaces, another scope's CRL from the same issuer.
 */
export function crlScopeKey(crl: pkijs.CertificateRevocationList): string {
  const extensions = crl.crlExtensions?.extensions ?? [];
  const delta = extensions.some((e) => e.extnID === OID.deltaCrlIndicator);
  const idp = extensions.find((e) => e.extnID === OID.issuingDistributionPoint);
  const idpHex = idp ? Buffer.from(idp.extnValue.valueBlock.valueHexView).toString('hex') : '';
  return `${delta ? 'delta' : 'complete'}:${idpHex}`;
}

/** The scope in words, for the admin page and the audit log. */
export function crlScopeWords(crl: pkijs.CertificateRevocationList): string {
  const [kind, idp] = crlScopeKey(crl).split(':');
  return `${kind === 'delta' ? 'delta CRL' : 'complete CRL'}${idp ? ', one distribution point' : ''}`;
}
