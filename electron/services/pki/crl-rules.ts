import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from './oids';

const DAY_MS = 86_400_000;

/**
 * CRL rules: a CRL counts only while its nextUpdate has not passed and it is at most maxAgeDays past
 * its thisUpdate (issuers publish nextUpdate far ahead; the site decides how stale is too stale).
 * Pure functions of dates, unit-tested.
 */
export type CrlFreshness = { fresh: true } | { fresh: false; detail: string };

/** A CRL dated more than this ahead of the clock is not trusted to be current (a wrong clock either side). */
export const CLOCK_SKEW_MS = 5 * 60_000;

export function crlFreshness(
  crl: { thisUpdate: Date; nextUpdate: Date | null },
  at: Date,
  maxAgeDays: number,
): CrlFreshness {
  const now = at.getTime();
  if (crl.thisUpdate.getTime() > now + CLOCK_SKEW_MS)
    return { fresh: false, detail: 'is dated in the future; check this workstation’s clock' };
  if (crl.nextUpdate && crl.nextUpdate.getTime() < now)
    return { fresh: false, detail: `expired at its next update on ${crl.nextUpdate.toISOString().slice(0, 10)}` };
  const ageDays = (now - crl.thisUpdate.getTime()) / DAY_MS;
  if (ageDays > maxAgeDays)
    return {
      fresh: false,
      detail: `is ${Math.floor(ageDays)} days old, more than the ${maxAgeDays} days this site allows`,
    };
  return { fresh: true };
}

/** The newest of several CRLs from one issuer: highest CRL number, then latest thisUpdate. */
export function newestCrl<T extends { thisUpdate: Date; crlNumber: bigint | null }>(crls: T[]): T | null {
  let best: T | null = null;
  for (const crl of crls) {
    if (!best) best = crl;
    else if (crl.crlNumber !== null && best.crlNumber !== null && crl.crlNumber !== best.crlNumber)
      best = crl.crlNumber > best.crlNumber ? crl : best;
    else if (crl.thisUpdate > best.thisUpdate) best = crl;
  }
  return best;
}

const REASONS = [
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

export interface RevocationEntry {
  revokedAt: Date;
  /** The CRL reason in words, or null when the entry gives none. */
  reason: string | null;
  hold: boolean;
}

/** CRLReason ::= ENUMERATED; pkijs may or may not have parsed it, so read the raw value when not. */
function reasonCode(extension: pkijs.Extension): number | null {
  const parsed =
    extension.parsedValue instanceof asn1js.Enumerated
      ? extension.parsedValue
      : asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result;
  return parsed instanceof asn1js.Enumerated ? parsed.valueBlock.valueDec : null;
}

/** The entry for this serial number in a CRL, or null. */
export function revocationEntry(crl: pkijs.CertificateRevocationList, serial: asn1js.Integer): RevocationEntry | null {
  const entry = crl.revokedCertificates?.find((e) => e.userCertificate.isEqual(serial));
  if (!entry) return null;
  const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === OID.crlReason);
  const code = reasonExt ? reasonCode(reasonExt) : null;
  const reason = code === null || code === 0 ? null : (REASONS[code] ?? null);
  return { revokedAt: entry.revocationDate.value, reason, hold: code === 6 || code === 8 };
}

export function crlNumber(crl: pkijs.CertificateRevocationList): bigint | null {
  const ext = crl.crlExtensions?.extensions.find((e) => e.extnID === OID.crlNumber);
  const value = ext?.parsedValue as asn1js.Integer | undefined;
  return value ? BigInt(`0x${Buffer.from(value.valueBlock.valueHexView).toString('hex') || '0'}`) : null;
}
