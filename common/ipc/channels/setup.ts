import { z } from 'zod';
import { FileHandleSchema } from '../files';
import { NoArguments, When, type ChannelGroup } from '../channel';
import { SessionUserSchema } from './identity';

export const SetupProgressSchema = z
  .object({
    siteName: z.string().max(120),
    systemHigh: z.string().max(500),
    trustAnchors: z.number().int().nonnegative(),
    /** Administrators who can sign in with a card (an enrolled card slot). */
    adminCards: z.number().int().nonnegative(),
    completedAt: When.nullable(),
  })
  .strict();
/** A demonstration card: who it stands for and its PIN (demo PINs are shown on screen by design). */
export const DemoCardSchema = z
  .object({
    role: z.enum(['admin', 'analyst']),
    holder: z.string().max(64),
    label: z.string().max(32),
    pin: z.string().regex(/^[0-9]{6,8}$/),
  })
  .strict();

/** setup.*: first-run setup (docs/admin-guide.md, "First run"). */
export const setupChannels = {
  /**
   * First run, before any store exists: checks the site name and system high and returns a new
   * recovery secret, shown once. Nothing is written until `confirm`.
   */
  begin: {
    request: z.object({ siteName: z.string().trim().min(1).max(120), systemHigh: z.string().min(1).max(300) }).strict(),
    response: z.object({ recoverySecret: z.string().max(128), systemHigh: z.string().max(500) }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  /** The recovery secret typed back: creates the store and signs in as administrator with it. */
  confirm: {
    request: z.object({ recoverySecret: z.string().min(1).max(128) }).strict(),
    response: z.object({ user: SessionUserSchema }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  /**
   * First run from a backup instead of a new store (only while no store exists): the backup (its
   * `.keys` file beside it) is checked and becomes the store; sign in to it afterwards.
   */
  restore: {
    request: z.object({ backup: FileHandleSchema, recoverySecret: z.string().min(1).max(128) }).strict(),
    response: z.object({ path: z.string().max(4096) }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  /**
   * Whether this workstation may become the demonstration workstation (docs/demo.md): never where a
   * site configuration is installed or a store exists; `reason` says why not in plain words (what
   * to install when SoftHSM2 is missing).
   */
  demoStatus: {
    request: NoArguments,
    response: z.object({ available: z.boolean(), reason: z.string().max(500).nullable() }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  /**
   * Makes (or opens again) the demonstration workstation in its own data directory and restarts the
   * services on it. The services check it (refused as demoStatus says); the host then makes the demo
   * and answers with the demo cards and their PINs, to be shown on screen.
   */
  startDemo: {
    request: NoArguments,
    response: z
      .object({ dataDir: z.string().max(4096), made: z.boolean(), cards: z.array(DemoCardSchema).max(2) })
      .strict(),
    requiresConsent: true,
    access: 'public',
  },
  /** On the demonstration workstation only: its cards and PINs, for the sign-in screen. */
  demoCards: {
    request: NoArguments,
    response: z.object({ cards: z.array(DemoCardSchema).max(2) }).strict(),
    requiresConsent: true,
    access: 'public',
  },
  progress: { request: NoArguments, response: SetupProgressSchema, requiresConsent: true, access: 'site.configure' },
  /** Needs a trust anchor and an administrator's card; then locks, for that card to sign in. */
  finish: { request: NoArguments, response: SetupProgressSchema, requiresConsent: true, access: 'site.configure' },
} as const satisfies ChannelGroup;
