import { z } from 'zod';
import { NoArguments, Sha256Hex, When, type ChannelGroup } from '../channel';
import { FileHandleSchema } from '../files';

const Id = z.number().int().positive();
const Label = z.string().max(1000);
const Marking = z.string().max(500);
const Sha512Hex = z.string().regex(/^[0-9a-f]{128}$/);

/** What an analyst picks; a run brings its model version, a report its model version and runs. */
export const ExportPickSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model-version'), model: Id, version: Id }).strict(),
  z.object({ kind: z.literal('run'), run: Id }).strict(),
  z.object({ kind: z.literal('report'), report: Id, version: Id }).strict(),
]);
const Picks = z.array(ExportPickSchema).min(1).max(1000);
const RecordKind = z.enum(['model-version', 'run', 'report']);

export const DestinationSummarySchema = z
  .object({
    name: z.string().max(64),
    channel: z.string().max(64),
    highest: z.enum(['U', 'C', 'S', 'TS']),
    sci: z.array(z.string().max(40)).max(64),
    sap: z.array(z.string().max(40)).max(64),
    relTo: z.array(z.string().max(3)).max(64),
    noforn: z.boolean(),
    aea: z.boolean(),
  })
  .strict();

export const ExportPreviewSchema = z
  .object({
    destination: z.string().max(64),
    banner: Marking,
    ok: z.boolean(),
    records: z
      .array(
        z
          .object({
            kind: RecordKind,
            label: Label,
            banner: Marking,
            portionMark: Marking,
            picked: z.boolean(),
            sha256: Sha256Hex,
            refusals: z.array(z.string().max(1000)).max(16),
          })
          .strict(),
      )
      .max(10_000),
  })
  .strict();

export const ExportedBundleSchema = z
  .object({
    bundleId: z.string().uuid(),
    fileName: z.string().max(255),
    /** Where the bundle was written: the outbox in the data directory, for the analyst to carry. */
    path: z.string().max(4096),
    parts: z.number().int().positive(),
    bytes: z.number().int().nonnegative(),
    fileSha256: Sha256Hex,
    bundleHash: Sha512Hex,
    channel: z.string().max(64),
    sequence: z.number().int().positive(),
    banner: Marking,
    records: z.number().int().positive(),
  })
  .strict();

const QuarantineRecordSchema = z
  .object({
    kind: RecordKind,
    label: Label,
    portionMark: Marking,
    banner: Marking,
    sha256: Sha256Hex,
    appliedBefore: z.boolean(),
  })
  .strict();

/** A bundle in quarantine as its reviewer sees it: who signed it, what it holds, each marking. */
export const QuarantinedBundleSchema = z
  .object({
    id: Id,
    bundleId: z.string().max(64),
    state: z.enum(['verified', 'released', 'rejected']),
    banner: Marking,
    sourceSite: z.string().max(300),
    sourceNetwork: z.string().max(300),
    destination: z.string().max(64),
    channel: z.string().max(64),
    sequence: z.number().int().positive(),
    created: When,
    expires: When,
    signer: z
      .object({
        subject: z.string().max(2000),
        name: z.string().max(500),
        policies: z.array(z.string().max(100)).max(64),
        signedAt: When.nullable(),
      })
      .strict(),
    records: z.array(QuarantineRecordSchema).max(10_000),
    warnings: z.array(z.string().max(2000)).max(100),
    bundleHash: Sha512Hex,
    fileSha256: Sha256Hex,
    receivedBy: z.string().max(200),
    receivedAt: When,
    reviewedBy: z.string().max(200).nullable(),
    reviewedAt: When.nullable(),
    reviewNote: z.string().max(2000).nullable(),
  })
  .strict();

const Note = z.string().max(2000);

const SiteKeySchema = z.object({ publicKey: z.string().max(4000), fingerprint: Sha256Hex }).strict();

/** bundles.*: export to another network and import from one (docs/bundle-format.md). */
export const bundleChannels = {
  /** Admin: this site's ML-DSA-87 bundle key (its public half, for receiving sites), or null before one is made. */
  siteKey: {
    request: NoArguments,
    response: z.object({ key: SiteKeySchema.nullable() }).strict(),
    requiresConsent: true,
    access: 'bundles.manage',
  },
  /** Admin: makes the site's ML-DSA-87 key (once; audited). */
  createSiteKey: {
    request: NoArguments,
    response: z.object({ key: SiteKeySchema }).strict(),
    requiresConsent: true,
    access: 'bundles.manage',
  },
  /** This network's name and the destinations a bundle may go to (site config). */
  destinations: {
    request: NoArguments,
    response: z
      .object({ network: z.string().max(80), destinations: z.array(DestinationSummarySchema).max(32) })
      .strict(),
    requiresConsent: true,
    access: 'models.export',
  },
  /** Every record a pick brings, with its marking, the roll-up, and each reason it may not go. */
  preview: {
    request: z.object({ picks: Picks, destination: z.string().max(64) }).strict(),
    response: ExportPreviewSchema,
    requiresConsent: true,
    access: 'models.export',
  },
  /** Makes and signs the bundle with the signed-in card's 9C key (its PIN again), into the outbox. */
  export: {
    request: z
      .object({
        picks: Picks,
        destination: z.string().max(64),
        pin: z.string().min(1).max(64),
        /** Split into parts of this many MiB (removable media with a file-size limit); none: one tar. */
        partMiB: z
          .number()
          .int()
          .min(1)
          .max(64 * 1024)
          .optional(),
      })
      .strict(),
    response: ExportedBundleSchema,
    requiresConsent: true,
    access: 'models.export',
  },
  /** A bundle (its tar, or its parts in order) into quarantine, verified; refused with every reason otherwise. */
  receive: {
    request: z.object({ files: z.array(FileHandleSchema).min(1).max(999) }).strict(),
    response: QuarantinedBundleSchema,
    requiresConsent: true,
    access: 'bundles.manage',
  },
  /** The quarantine: bundles waiting for review first, then those reviewed (the last 1,000). */
  quarantine: {
    request: NoArguments,
    response: z.object({ bundles: z.array(QuarantinedBundleSchema).max(1000) }).strict(),
    requiresConsent: true,
    access: 'bundles.manage',
  },
  /** Verifies again and applies every record in one transaction. */
  release: {
    request: z.object({ id: Id, note: Note }).strict(),
    response: z
      .object({
        bundleId: z.string().max(64),
        applied: z.number().int().nonnegative(),
        already: z.number().int().nonnegative(),
      })
      .strict(),
    requiresConsent: true,
    access: 'bundles.manage',
  },
  reject: {
    request: z.object({ id: Id, note: Note }).strict(),
    response: z.object({ bundleId: z.string().max(64) }).strict(),
    requiresConsent: true,
    access: 'bundles.manage',
  },
} as const satisfies ChannelGroup;
