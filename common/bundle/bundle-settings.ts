import { z } from 'zod';
import { DestinationProfileSchema } from './destination';

const Oid = z.string().regex(/^[0-2](\.(0|[1-9][0-9]*))+$/, 'expected an OID in dotted decimal');

/**
 * Certificate policies a bundle signer's certificate (the PIV Digital Signature certificate, slot
 * 9C) may assert: id-fpki-common-hardware (FPKI Common Policy, hardware tokens: what PIV signature
 * and key-management certificates carry) and the DoD medium-hardware policies CAC signature
 * certificates carry.
 */
export const DEFAULT_SIGNER_POLICIES = [
  '2.16.840.1.101.3.2.1.3.7', // id-fpki-common-hardware
  '2.16.840.1.101.2.1.11.9', // id-US-dod-mediumHardware
  '2.16.840.1.101.2.1.11.18', // id-US-dod-mediumHardware-2048
  '2.16.840.1.101.2.1.11.42', // id-US-dod-mediumHardware-112
  '2.16.840.1.101.2.1.11.43', // id-US-dod-mediumHardware-128
  '2.16.840.1.101.2.1.11.44', // id-US-dod-mediumHardware-192
] as const;

const MiB = 1024 * 1024;

/** Export and import of bundles (docs/bundle-format.md, docs/admin-guide.md "Bundles"). */
export const BundleSettingsSchema = z
  .object({
    /** This workstation's network, as written into every bundle it exports. */
    network: z.string().trim().min(1).max(80).default('unnamed network'),
    /** Where this workstation may send bundles. */
    destinations: z
      .array(DestinationProfileSchema)
      .max(32)
      .default([])
      .refine((list) => new Set(list.map((d) => d.name)).size === list.length, 'destination names must differ')
      .refine(
        (list) => new Set(list.map((d) => d.channel)).size === list.length,
        'each destination needs its own channel',
      ),
    /** A bundle's signer certificate must assert one of these (through a valid policy path). */
    signerPolicies: z
      .array(Oid)
      .min(1)
      .max(64)
      .default([...DEFAULT_SIGNER_POLICIES]),
    /** A bundle is valid for this many days after it is made. */
    expiryDays: z.number().int().min(1).max(365).default(30),
    /** A bundle whose sequence number skips one or more: imported and reported (`report`), or refused. */
    sequenceGap: z.enum(['report', 'refuse']).default('report'),
    /** Import limits: a bigger bundle is refused before it is unpacked. */
    maxBundleBytes: z
      .number()
      .int()
      .min(MiB)
      .max(64 * 1024 * MiB)
      .default(4 * 1024 * MiB),
    maxRecords: z.number().int().min(1).max(10_000).default(10_000),
    /** The CNSA 2.0 option: a site-level ML-DSA-87 signature beside the card's (docs/bundle-format.md, "ML-DSA-87"). */
    mlDsa87: z
      .object({
        /** Sign every bundle exported here with this site's key as well. */
        sign: z.boolean().default(false),
        /** Refuse an import without a valid ML-DSA-87 signature of its source site. */
        require: z.boolean().default(false),
        /** The source sites' public keys (base64, 2,592 bytes), by site name as bundles name it. */
        trustedKeys: z
          .record(
            z.string().min(1).max(120),
            z.string().regex(/^[A-Za-z0-9+/]{3456}$/, 'expected an ML-DSA-87 public key in base64 (2,592 bytes)'),
          )
          .default({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type BundleSettings = z.infer<typeof BundleSettingsSchema>;
