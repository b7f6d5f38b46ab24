import { z } from 'zod';
import { NoArguments, Sha256Hex, When, type ChannelGroup } from '../channel';
import { FileHandleSchema } from '../files';

/** The files of one import, as handles the host gave for them (common/ipc/files.ts). */
export const TrustFiles = z.array(FileHandleSchema).min(1).max(64);

/** Trust files are read into memory to parse: a DoD CRL runs to tens of megabytes, none to this. */
export const TRUST_FILE_MAX_BYTES = 256 * 1024 * 1024;

export const TrustAnchorSchema = z
  .object({
    id: z.number().int(),
    subject: z.string().max(1024),
    issuer: z.string().max(1024),
    sha256: Sha256Hex,
    notBefore: When,
    notAfter: When,
    /** A root (self-signed) rather than an intermediate CA. */
    root: z.boolean(),
    addedAt: When,
    addedBy: z.string().max(200),
  })
  .strict();

export const CrlSchema = z
  .object({
    id: z.number().int(),
    issuer: z.string().max(1024),
    thisUpdate: When,
    nextUpdate: When.nullable(),
    revokedCount: z.number().int().nonnegative(),
    importedAt: When,
    importedBy: z.string().max(200),
  })
  .strict();

export const TrustListSchema = z
  .object({ anchors: z.array(TrustAnchorSchema).max(1000), crls: z.array(CrlSchema).max(1000) })
  .strict();

/** What an import did: the rows it added, and what it left alone and why (duplicates, superseded CRLs). */
export const TrustImportSchema = z
  .object({
    added: z.array(z.string().max(1024)).max(1000),
    unchanged: z.array(z.object({ what: z.string().max(1024), reason: z.string().max(1024) }).strict()).max(1000),
  })
  .strict();

/** trust.*: the administrator's trust anchors and CRLs (docs/identity.md). */
export const trustChannels = {
  /** Admin: the trust anchors (roots and intermediates) and CRLs the sign-in validates against. */
  list: { request: NoArguments, response: TrustListSchema, requiresConsent: true, access: 'trust.manage' },
  /** Admin: CA certificates from PEM, DER or PKCS#7 files. All files are read before anything is kept. */
  importAnchors: {
    request: z.object({ files: TrustFiles }).strict(),
    response: TrustImportSchema,
    requiresConsent: true,
    access: 'trust.manage',
  },
  removeAnchor: {
    request: z.object({ id: z.number().int().positive() }).strict(),
    response: z.object({ removed: z.string().max(1024) }).strict(),
    requiresConsent: true,
    access: 'trust.manage',
  },
  /** Admin: CRLs (PEM or DER), each verified against an anchor's key; a newer CRL replaces its issuer's older one. */
  importCrls: {
    request: z.object({ files: TrustFiles }).strict(),
    response: TrustImportSchema,
    requiresConsent: true,
    access: 'trust.manage',
  },
  removeCrl: {
    request: z.object({ id: z.number().int().positive() }).strict(),
    response: z.object({ removed: z.string().max(1024) }).strict(),
    requiresConsent: true,
    access: 'trust.manage',
  },
} as const satisfies ChannelGroup;
