import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { namesEqual } from '../distinguished-name';
import { OID } from '../oids';

/**
 * CRL entries: the entry for a certificate (tracking the certificateIssuer of an indirect CRL, RFC
 * 5280 5.3.3), its reason, and the critical-extension rules that make a whole CRL unusable (5.2, 5.3).
 */
const CRL_EXTENSIONS: readonly string[] = [
  OID.authorityKeyIdentifier,
  OID.crlNumber,
  OID.deltaCrlIndicator,
  OID.issuingDistributionPoint,
  OID.freshestCrl,
  OID.authorityInfoAccess,
];
const ENTRY_EXTENSIONS: readonly string[] = [
  OID.crlReason,
  OID.invalidityDate,
  OID.certificateIssuer,
  OID.holdInstructionCode,
];

/** The first critical extension this validator does not process, on the CRL or on any entry; null when none. */
export function unknownCriticalExtension(crl: pkijs.CertificateRevocationList): string | null {
  const own = crl.crlExtensions?.extensions.find((e) => e.critical && !CRL_EXTENSIONS.includes(e.extnID));
  if (own) return `the CRL has a critical extension (${own.extnID}) this workstation cannot process`;
  for (const entry of crl.revokedCertificates ?? []) {
    const unknown = entry.crlEntryExtensions?.extensions.find(
      (e) => e.critical && !ENTRY_EXTENSIONS.includes(e.extnID),
    );
    if (unknown)
      return `an entry of the CRL has a critical extension (${unknown.extnID}) this workstation cannot process`;
  }
  return null;
}

export const REASON_WORDS = [
  'unspecified',
  'key compromise',
  'CA compromise',
  'affiliation changed',
  'superseded',
  'cessation of operation',
  'certificate hold',
  '',
  'remove from CRL',
  'privilege withdrawn',
  'AA compromise',
];
export const CERTIFICATE_HOLD = 6;
export const REMOVE_FROM_CRL = 8;

export interface CrlEntry {
  revokedAt: Date;
  /** The CRLReason code; 0 (unspecified) when the entry gives none. */
  reason: number;
}

function reasonCode(extension: pkijs.Extension): number {
  const parsed =
    extension.parsedValue instanceof asn1js.Enumerated
      ? extension.parsedValue
      : asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result;
  return parsed instanceof asn1js.Enumerated ? parsed.valueBlock.valueDec : 0;
}

function entryIssuer(extension: pkijs.Extension): pkijs.RelativeDistinguishedNames | null {
  const names = (extension.parsedValue as pkijs.GeneralNames | undefined)?.names ?? [];
  const dn = names.find((n) => n.type === 4 && n.value instanceof pkijs.RelativeDistinguishedNames);
  return (dn?.value as pkijs.RelativeDistinguishedNames | undefined) ?? null;
}

/**
 * The entry for the certificate with this serial number and issuer. In an indirect CRL an entry's
 * certificateIssuer names the issuer of it and of the entries after it; the first ones are the CRL
 * issuer's own.
 */
export function findEntry(
  crl: pkijs.CertificateRevocationList,
  serial: asn1js.Integer,
  issuer: pkijs.RelativeDistinguishedNames,
  indirect: boolean,
): CrlEntry | null {
  let current: pkijs.RelativeDistinguishedNames | null = crl.issuer;
  for (const entry of crl.revokedCertificates ?? []) {
    const extensions = entry.crlEntryExtensions?.extensions ?? [];
    const named = extensions.find((e) => e.extnID === OID.certificateIssuer);
    if (named && indirect) current = entryIssuer(named);
    if (!entry.userCertificate.isEqual(serial) || !current || !namesEqual(current, issuer)) continue;
    const reason = extensions.find((e) => e.extnID === OID.crlReason);
    return { revokedAt: entry.revocationDate.value, reason: reason ? reasonCode(reason) : 0 };
  }
  return null;
}

export function reasonWords(code: number): string | null {
  return code === 0 ? null : (REASON_WORDS[code] ?? null);
}
