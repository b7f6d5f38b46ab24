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

/** Orders CRLs of one issuer and scope newest first: highest CRL number, then latest thisUpdate. */
export function newerFirst(
  a: { thisUpdate: Date; crlNumber: bigint | null },
  b: { thisUpdate: Date; crlNumber: bigint | null },
): number {
  if (a.crlNumber !== null && b.crlNumber !== null && a.crlNumber !== b.crlNumber)
    return a.crlNumber > b.crlNumber ? -1 : 1;
  return b.thisUpdate.getTime() - a.thisUpdate.getTime();
}

/** The newest of several CRLs from one issuer (`newerFirst`), or null. */
export function newestCrl<T extends { thisUpdate: Date; crlNumber: bigint | null }>(crls: T[]): T | null {
  return [...crls].sort(newerFirst)[0] ?? null;
}

export function crlNumber(crl: pkijs.CertificateRevocationList): bigint | null {
  const ext = crl.crlExtensions?.extensions.find((e) => e.extnID === OID.crlNumber);
  const value = ext?.parsedValue as asn1js.Integer | undefined;
  return value ? BigInt(`0x${Buffer.from(value.valueBlock.valueHexView).toString('hex') || '0'}`) : null;
}
