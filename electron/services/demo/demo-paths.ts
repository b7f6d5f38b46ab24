import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { ServicePaths } from '../context';

/**
 * Where the demonstration workstation lives: its own data directory, `demo/` inside the real one
 * (so it is as closed to other users as the real one, 0700), with its own site configuration, store,
 * SoftHSM2 tokens and demo CA. The real data directory's store and site configuration are never
 * touched by it.
 */
export const DEMO_FOLDER = 'demo';
/** Written last (0600): the demo's cards and PINs, its recovery secret and its CA. Its presence makes a data directory the demo's. */
export const DEMO_FILE = 'demo-workstation.json';

export const DemoCardSchema = z
  .object({
    role: z.enum(['admin', 'analyst']),
    /** The holder's name as the certificate has it (LAST.FIRST.MI.EDIPI). */
    holder: z.string().max(64),
    /** The token's label, which the sign-in screen shows. */
    label: z.string().max(32),
    serialNumber: z.string().max(32),
    pin: z.string().regex(/^[0-9]{6,8}$/),
  })
  .strict();
export type DemoCard = z.infer<typeof DemoCardSchema>;

const DemoFileSchema = z
  .object({
    kind: z.literal('enclave-demo-workstation/1'),
    createdAt: z.string().max(64),
    modulePath: z.string().max(4096),
    recoverySecret: z.string().max(128),
    cards: z.array(DemoCardSchema).length(2),
    /** The demo CA (PEM) and its key (PKCS#8, base64): kept to issue a fresh CRL at each start. */
    ca: z.object({ certificate: z.string().max(8192), key: z.string().max(8192) }).strict(),
  })
  .strict();
export type DemoFile = z.infer<typeof DemoFileSchema>;

/** The demo's paths, from the real ones: its site configuration is its own, whatever ENCLAVE_SITE_CONFIG says. */
export function demoPathsFor(real: ServicePaths): ServicePaths {
  const dataDir = join(real.dataDir, DEMO_FOLDER);
  return { dataDir, resourcesDir: real.resourcesDir, siteConfigPath: join(dataDir, 'site-config.json') };
}

export const softhsmConfOf = (demoDataDir: string) => join(demoDataDir, 'softhsm2.conf');

/** Whether these services run the demonstration workstation (the strip, the PINs). */
export function isDemoWorkstation(paths: ServicePaths): boolean {
  return basename(paths.dataDir) === DEMO_FOLDER && existsSync(join(paths.dataDir, DEMO_FILE));
}

/** The demo's file, or null when there is none or it is not one this version wrote (then the demo is made again). */
export function readDemoFile(demoDataDir: string): DemoFile | null {
  try {
    const parsed = DemoFileSchema.safeParse(JSON.parse(readFileSync(join(demoDataDir, DEMO_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written by temp file and rename, owner-only: it holds the demo PINs. */
export function writeDemoFile(demoDataDir: string, file: DemoFile): void {
  const path = join(demoDataDir, DEMO_FILE);
  const temp = `${path}.tmp`;
  rmSync(temp, { force: true });
  writeFileSync(temp, `${JSON.stringify(DemoFileSchema.parse(file), null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}
