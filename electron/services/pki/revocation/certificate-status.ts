import { crlFreshness, crlNumber, newerFirst } from '../crl-rules';
import { namesEqual } from '../distinguished-name';
import { OID } from '../oids';
import { verifyCrlSignature } from '../signature';
import type { ParsedCrl } from '../types';
import { formatName, type ParsedCertificate } from '../x509';
import { CERTIFICATE_HOLD, findEntry, reasonWords, REMOVE_FROM_CRL, unknownCriticalExtension } from './crl-entries';
import {
  crlScope,
  distributionPoints,
  issuingDistributionPoint,
  MalformedScopeError,
  type DistributionPoint,
  type IssuingDistributionPoint,
} from './crl-scope';
import { crlSignerKey } from './crl-signer';
import { ALL_REASONS } from './reason-flags';

/**
 * Revocation of one certificate of a path per RFC 5280 6.3.3: for each of its distribution points,
 * the newest complete CRL in scope whose signer is valid, with the newest usable delta CRL on top,
 * until every reason is covered. A revocation listed even on a stale CRL stands (revocation is
 * permanent; a hold is not). docs/identity.md, "Revocation".
 */
export interface RevocationContext {
  at: Date;
  crls: ParsedCrl[];
  maxCrlAgeDays: number | null;
  /** The path under validation: target first, anchor last. Keys in it are trusted once the whole path validates. */
  path: ParsedCertificate[];
  /** The working public key (SPKI DER, inherited DSA parameters filled in) of path[j]. */
  pathKey(j: number): Buffer;
  /** Every other certificate known: where separate CRL signers and a CA's other key are found. */
  pool: ParsedCertificate[];
  /** Validates a CRL-signer candidate that is not in `path` to the same anchor, with revocation. */
  validateSigner(
    candidate: ParsedCertificate,
  ): Promise<{ ok: true; workingKey: Buffer } | { ok: false; message: string }>;
}

export type CertificateStatus =
  | { status: 'good' }
  | { status: 'revoked'; revokedAt: Date; reason: string | null }
  | { status: 'undetermined'; code: 'CRL_MISSING' | 'CRL_INVALID' | 'CRL_TOO_OLD'; message: string };

const day = (d: Date) => d.toISOString().slice(0, 10);

const isDelta = (crl: ParsedCrl) =>
  crl.pkijs.crlExtensions?.extensions.some((e) => e.extnID === OID.deltaCrlIndicator) === true;

function extensionHex(crl: ParsedCrl, oid: string): string | null {
  const ext = crl.pkijs.crlExtensions?.extensions.find((e) => e.extnID === oid);
  return ext ? Buffer.from(ext.extnValue.valueBlock.valueHexView).toString('hex') : null;
}

/** BaseCRLNumber of a delta CRL. */
function baseNumber(crl: ParsedCrl): bigint | null {
  const hex = extensionHex(crl, OID.deltaCrlIndicator);
  if (!hex || !hex.startsWith('02')) return null;
  const length = parseInt(hex.slice(2, 4), 16);
  return length < 0x80 ? BigInt(`0x${hex.slice(4, 4 + 2 * length) || '0'}`) : null;
}

const dated = (crl: ParsedCrl) => ({ thisUpdate: crl.pkijs.thisUpdate.value, crlNumber: crlNumber(crl.pkijs) });
const newestFirst = (a: ParsedCrl, b: ParsedCrl) => newerFirst(dated(a), dated(b));

function fresh(crl: ParsedCrl, context: RevocationContext) {
  return crlFreshness(
    { thisUpdate: crl.pkijs.thisUpdate.value, nextUpdate: crl.pkijs.nextUpdate?.value ?? null },
    context.at,
    context.maxCrlAgeDays ?? Number.POSITIVE_INFINITY,
  );
}

/** 6.3.3 (c), (g): the newest current delta CRL for this complete CRL: same issuer, scope and key, based on it or older. */
function deltaFor(complete: ParsedCrl, signerKey: Buffer, context: RevocationContext): ParsedCrl | null {
  const number = crlNumber(complete.pkijs);
  if (number === null) return null;
  const scope = extensionHex(complete, OID.issuingDistributionPoint);
  const authorityKey = extensionHex(complete, OID.authorityKeyIdentifier);
  const deltas = context.crls.filter((delta) => {
    if (!isDelta(delta) || !namesEqual(delta.pkijs.issuer, complete.pkijs.issuer)) return false;
    if (extensionHex(delta, OID.issuingDistributionPoint) !== scope) return false;
    const deltaKey = extensionHex(delta, OID.authorityKeyIdentifier);
    if (authorityKey && deltaKey && authorityKey !== deltaKey) return false;
    const base = baseNumber(delta);
    const own = crlNumber(delta.pkijs);
    return base !== null && base <= number && (own === null || own > number);
  });
  for (const delta of deltas.sort(newestFirst)) {
    if (unknownCriticalExtension(delta.pkijs) || !fresh(delta, context).fresh) continue;
    if (verifyCrlSignature(delta.pkijs, signerKey) === 'valid') return delta;
  }
  return null;
}

interface Candidate {
  crl: ParsedCrl;
  idp: IssuingDistributionPoint | null;
  reasons: number;
}

/** The complete CRLs in scope for one distribution point, newest first. */
function candidatesFor(
  certificate: ParsedCertificate,
  point: DistributionPoint,
  context: RevocationContext,
): { candidates: Candidate[]; unreadable: string | null } {
  let unreadable: string | null = null;
  const candidates: Candidate[] = [];
  for (const crl of context.crls) {
    if (isDelta(crl)) continue;
    let idp: IssuingDistributionPoint | null;
    try {
      idp = issuingDistributionPoint(crl.pkijs);
    } catch (error) {
      if (!(error instanceof MalformedScopeError)) throw error;
      if (namesEqual(crl.pkijs.issuer, certificate.pkijs.issuer)) unreadable ??= `the CRL's ${error.message}`;
      continue;
    }
    const reasons = crlScope(certificate.pkijs, point, crl.pkijs, idp);
    if (reasons === null) continue;
    candidates.push({ crl, idp, reasons });
  }
  return { candidates: candidates.sort((a, b) => newestFirst(a.crl, b.crl)), unreadable };
}

export async function certificateStatus(index: number, context: RevocationContext): Promise<CertificateStatus> {
  const certificate = context.path[index]!;
  const issuer = formatName(certificate.pkijs.issuer);
  let points: DistributionPoint[];
  try {
    points = distributionPoints(certificate.pkijs);
  } catch (error) {
    if (!(error instanceof MalformedScopeError)) throw error;
    return { status: 'undetermined', code: 'CRL_INVALID', message: `Revocation cannot be checked: ${error.message}.` };
  }

  let covered = 0;
  let invalid: string | null = null;
  let stale: string | null = null;
  for (const point of points) {
    const { candidates, unreadable } = candidatesFor(certificate, point, context);
    invalid ??= unreadable;
    for (const { crl, idp, reasons } of candidates) {
      // The newest CRLs decide, until this point's reasons are covered (onlySomeReasons CRLs each
      // cover a part); older ones are still read, because a revocation on any of them is permanent.
      const deciding = (reasons & ~covered & point.reasons) !== 0;
      const unknown = unknownCriticalExtension(crl.pkijs);
      if (unknown) {
        if (deciding) invalid ??= unknown;
        continue;
      }
      const signer = await crlSignerKey(crl, index, context);
      if (!signer.ok) {
        if (deciding) invalid ??= signer.message;
        continue;
      }
      const freshness = fresh(crl, context);
      const indirect = idp?.indirect ?? false;
      const delta = deciding && freshness.fresh ? deltaFor(crl, signer.key, context) : null;
      // (h)-(j): the delta's word first; removeFromCRL there lifts a hold on the complete CRL.
      const inDelta = delta
        ? findEntry(delta.pkijs, certificate.pkijs.serialNumber, certificate.pkijs.issuer, indirect)
        : null;
      const entry = inDelta ?? findEntry(crl.pkijs, certificate.pkijs.serialNumber, certificate.pkijs.issuer, indirect);
      const revoked = entry !== null && entry.reason !== REMOVE_FROM_CRL;
      // Any CRL of the issuer, stale or superseded, proves a revocation; a hold counts only where it decides.
      if (revoked && entry.reason !== CERTIFICATE_HOLD)
        return { status: 'revoked', revokedAt: entry.revokedAt, reason: reasonWords(entry.reason) };
      if (!deciding) continue;
      if (!freshness.fresh) {
        stale ??= `The newest CRL from "${formatName(crl.pkijs.issuer)}" (issued ${day(crl.pkijs.thisUpdate.value)}) ${freshness.detail}.`;
        continue;
      }
      if (revoked) return { status: 'revoked', revokedAt: entry.revokedAt, reason: reasonWords(entry.reason) };
      covered |= reasons;
    }
  }
  if (covered === ALL_REASONS) return { status: 'good' };
  if (invalid)
    return {
      status: 'undetermined',
      code: 'CRL_INVALID',
      message: `The revocation status of a certificate issued by "${issuer}" cannot be determined: a CRL that covers it cannot be used (${invalid}).`,
    };
  if (stale) return { status: 'undetermined', code: 'CRL_TOO_OLD', message: stale };
  return {
    status: 'undetermined',
    code: 'CRL_MISSING',
    message:
      covered === 0
        ? `No CRL covering a certificate issued by "${issuer}" is available, so its revocation status cannot be determined.`
        : `The CRLs available from "${issuer}" cover only some revocation reasons, so the certificate's revocation status cannot be determined.`,
  };
}
