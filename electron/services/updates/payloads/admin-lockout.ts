import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { IdentitySettings } from '../../../../common/site/site-config';
import { enabledAdminCertificates, type AdminCertificate } from '../../../db/queries/user-certificates';
import { splitAnchors, type TrustMaterial } from '../../identity/login-trust';
import { validateAuthenticationCertificate } from '../../identity/validate';

/** Which enabled administrators' cards (as last seen) a trust material lets sign in. */
export interface AdminReach {
  /** Administrators with a card certificate on record. */
  known: number;
  /** Those whose card would sign in under this material. */
  admitted: string[];
}

async function admits(certificate: AdminCertificate, material: TrustMaterial, settings: IdentitySettings, at: Date) {
  const { trustAnchors, intermediates } = splitAnchors(material.certificates);
  const result = await validateAuthenticationCertificate({
    certificate: certificate.der,
    trustAnchors,
    intermediates,
    crls: material.crls,
    settings,
    at,
  });
  return result.ok;
}

/** The administrators whose certificates are on record, read once (the checks after it are asynchronous). */
export function adminCertificates(db: Database): AdminCertificate[] {
  return enabledAdminCertificates(db);
}

/** For each administrator, whether any of their recorded cards signs in under `material`. */
export async function adminReach(
  certificates: AdminCertificate[],
  material: TrustMaterial,
  settings: IdentitySettings,
  at: Date,
): Promise<AdminReach> {
  const byUser = new Map<number, AdminCertificate[]>();
  for (const c of certificates) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c]);
  const admitted: string[] = [];
  for (const certs of byUser.values()) {
    for (const c of certs)
      if (await admits(c, material, settings, at)) {
        admitted.push(c.displayName);
        break;
      }
  }
  return { known: byUser.size, admitted };
}

/**
 * Why a trust change needs the administrator's explicit confirmation, or null: it would leave no
 * enrolled administrator whose card signs in, where some could before (then only the recovery
 * secret gets an administrator back).
 */
export function lockoutProblem(before: AdminReach, after: AdminReach): string | null {
  if (before.admitted.length === 0 || after.admitted.length > 0) return null;
  return `After this update no enrolled administrator's card would sign in (${before.admitted.join(', ')} can now). Only the recovery secret would give administration back.`;
}
