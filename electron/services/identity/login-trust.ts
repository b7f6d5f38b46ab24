import { X509Certificate } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { trustAnchorDers, trustCrlDers } from '../../db/queries/trust';

/**
 * Trust anchors and CRLs for the login. The store's `trust_anchors` and `crls` tables are the
 * authority, but they are encrypted: before unlock the login reads a copy, `<db>.trust.json`, which
 * the service rewrites from the tables whenever the store is open. The copy holds only public
 * certificates and CRLs (nothing to hide) and is not trusted: it lets a bad card be refused with its
 * reason before its key-management key is used, and every login is validated again against the
 * tables once they are open (docs/login.md, "Trust before unlock").
 */
export interface TrustMaterial {
  /** CA certificates (DER): roots and intermediates alike, as the admin imported them. */
  certificates: Buffer[];
  crls: Buffer[];
}

const b64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/)
  .max(1_000_000);
const TrustFileSchema = z
  .object({ format: z.literal('enclave-trust/1'), certificates: z.array(b64).max(1000), crls: z.array(b64).max(1000) })
  .strict();

export const trustFilePath = (dbPath: string) => `${dbPath}.trust.json`;

/** The copy beside the database, or null when it is missing or unreadable (the check after unlock still runs). */
export function readTrustFile(dbPath: string): TrustMaterial | null {
  const path = trustFilePath(dbPath);
  if (!existsSync(path)) return null;
  try {
    const parsed = TrustFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    return {
      certificates: parsed.certificates.map((c) => Buffer.from(c, 'base64')),
      crls: parsed.crls.map((c) => Buffer.from(c, 'base64')),
    };
  } catch {
    return null;
  }
}

/** Written atomically (temp file, fsync, rename) so a crash leaves the old copy or the new one. */
export function writeTrustFile(dbPath: string, material: TrustMaterial): void {
  const path = trustFilePath(dbPath);
  const body = JSON.stringify({
    format: 'enclave-trust/1',
    certificates: material.certificates.map((c) => c.toString('base64')),
    crls: material.crls.map((c) => c.toString('base64')),
  });
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** The authoritative material, from the open store. */
export function storeTrustMaterial(db: Database): TrustMaterial {
  return { certificates: trustAnchorDers(db), crls: trustCrlDers(db) };
}

/**
 * Self-signed certificates are the anchors; the rest may only complete a path to one of them. Cards
 * carry no intermediates (OpenSC shows the four PIV certificates), so imported intermediates are
 * kept beside the roots and passed to validation as untrusted path material.
 */
export function splitAnchors(certificates: Buffer[]): { trustAnchors: Buffer[]; intermediates: Buffer[] } {
  const trustAnchors: Buffer[] = [];
  const intermediates: Buffer[] = [];
  for (const der of certificates) {
    let selfSigned: boolean;
    try {
      const cert = new X509Certificate(der);
      selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
    } catch {
      // Unreadable: validation reports it as malformed if it is ever needed; here it simply does not count.
      continue;
    }
    (selfSigned ? trustAnchors : intermediates).push(der);
  }
  return { trustAnchors, intermediates };
}
