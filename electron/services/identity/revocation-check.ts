import type * as pkijs from 'pkijs';
import type { IdentitySettings } from '../../../common/site/site-config';
import { messages, who, type ValidationFailure, type ValidationWarning } from './results';
import { crlFreshness, crlNumber, newestCrl, revocationEntry } from '../pki/crl-rules';
import { commonName, cryptoEngine, formatName, keyUsage, summarize, type ParsedCertificate } from '../pki/x509';

interface SignedCrl {
  crl: pkijs.CertificateRevocationList;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: bigint | null;
}

/** The CRLs that name this certificate's issuer and verify with the issuer's key (which must allow cRLSign). */
async function crlsFor(
  certificate: ParsedCertificate,
  issuer: ParsedCertificate,
  crls: pkijs.CertificateRevocationList[],
): Promise<SignedCrl[]> {
  const usage = keyUsage(issuer.pkijs);
  if (usage && !usage.has('cRLSign')) return [];
  const out: SignedCrl[] = [];
  for (const crl of crls) {
    if (!crl.issuer.isEqual(certificate.pkijs.issuer)) continue;
    let verified: boolean;
    try {
      verified = await crl.verify({ issuerCertificate: issuer.pkijs }, cryptoEngine);
    } catch {
      verified = false; // a CRL we cannot verify is no evidence either way
    }
    if (verified)
      out.push({
        crl,
        thisUpdate: crl.thisUpdate.value,
        nextUpdate: crl.nextUpdate?.value ?? null,
        crlNumber: crlNumber(crl),
      });
  }
  return out;
}

export interface RevocationOutcome {
  failure: ValidationFailure | null;
  warnings: ValidationWarning[];
}

/**
 * Every certificate below the anchor is checked against its issuer's CRLs. Revocation is looked for
 * first across the whole path (a revoked card is REVOKED even when another CRL is missing); then each
 * certificate needs a current CRL, else CRL_MISSING / CRL_TOO_OLD: refused, or warned when the site allows.
 */
export async function checkRevocation(
  path: ParsedCertificate[],
  crls: pkijs.CertificateRevocationList[],
  at: Date,
  settings: IdentitySettings,
): Promise<RevocationOutcome> {
  const links = await Promise.all(
    path.slice(0, -1).map(async (certificate, i) => ({
      certificate,
      index: i,
      signed: await crlsFor(certificate, path[i + 1]!, crls),
    })),
  );

  for (const { certificate, index, signed } of links) {
    const newest = newestCrl(signed);
    for (const candidate of signed) {
      const entry = revocationEntry(candidate.crl, certificate.pkijs.serialNumber);
      // A hold can be lifted, so only the newest CRL's word on a held certificate counts.
      if (entry && (candidate === newest || !entry.hold)) {
        const subject = who(index === 0, commonName(certificate.pkijs));
        return {
          failure: {
            ok: false,
            code: 'REVOKED',
            certificate: summarize(certificate),
            revokedAt: entry.revokedAt,
            reason: entry.reason,
            message: messages.revoked(subject, entry.revokedAt, entry.reason),
          },
          warnings: [],
        };
      }
    }
  }

  const warnings: ValidationWarning[] = [];
  for (const { certificate, signed } of links) {
    const issuer = formatName(certificate.pkijs.issuer);
    const newest = newestCrl(signed);
    let gap: ValidationWarning | null = null;
    if (!newest)
      gap = { code: 'CRL_MISSING', certificate: summarize(certificate), message: messages.crlMissing(issuer) };
    else {
      const freshness = crlFreshness(newest, at, settings.maxCrlAgeDays);
      if (!freshness.fresh)
        gap = {
          code: 'CRL_TOO_OLD',
          certificate: summarize(certificate),
          message: messages.crlTooOld(issuer, newest.thisUpdate, freshness.detail),
        };
    }
    if (!gap) continue;
    if (settings.revocationUnavailable === 'refuse') return { failure: { ok: false, ...gap }, warnings: [] };
    warnings.push({
      ...gap,
      message: `${gap.message} Allowed by this site's configuration (revocationUnavailable: warn).`,
    });
  }
  return { failure: null, warnings };
}
