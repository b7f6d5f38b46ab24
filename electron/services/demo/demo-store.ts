import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelSchema, type Model } from '../../../common/model/model';
import { createContext, type ServiceContext, type ServicePaths } from '../context';
import { enrollCard } from '../identity/login-enroll';
import { createModelService } from '../models/model-service';
import { createSetupService } from '../setup/setup-service';
import { loadSiteConfig } from '../system/site-config';
import { importAnchors, importCrls } from '../trust/trust-admin';
import type { DemoCard } from './demo-paths';

/**
 * The demo's encrypted store, made the way an administrator and an analyst would make it, through
 * the services themselves: first-run setup (site, recovery secret), the demo CA and its CRL imported
 * as trust material, both demo cards enrolled by reading them through PKCS#11 and validating their
 * certificates, setup finished; then the analyst signs in with the card and PIN (the real login) and
 * keeps the example models in the library. Runs in the host's main thread, where SOFTHSM2_CONF is set.
 */
export const DEMO_SITE = { siteName: 'Enclave Demonstration', systemHigh: 'UNCLASSIFIED' } as const;

export interface DemoTrust {
  ca: Buffer;
  crl: Buffer;
}

const siteOf = (ctx: ServiceContext) =>
  loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config;

/** The example models shipped in resources/models, checked as any imported model is. */
export function exampleModels(resourcesDir: string): Model[] {
  const dir = join(resourcesDir, 'models');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ModelSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8'))));
}

/**
 * What the analyst finds on the first sign-in: the example models in the library. Returns the
 * models kept, in order. The saved run of issue 14 is seeded here too, with one call after the
 * models (runs.save on the first model's result) once the runs service keeps runs.
 */
function seedAnalystWork(ctx: ServiceContext): { id: number; name: string }[] {
  const models = createModelService(ctx);
  const kept = exampleModels(ctx.paths.resourcesDir).map(
    (model) => models.create({ model, comment: 'Example model of the demonstration workstation' }).model,
  );
  // Saved run: seedSavedRun(ctx, kept[0]) goes here (issue 14 part 3, runs.save).
  return kept.map(({ id, name }) => ({ id, name }));
}

/** Makes the demo's store; returns its recovery secret (kept in the demo's 0600 file, never shown). */
export async function createDemoStore(paths: ServicePaths, trust: DemoTrust, cards: DemoCard[]): Promise<string> {
  const ctx = createContext(paths);
  try {
    const setup = createSetupService(ctx);
    const { recoverySecret } = setup.begin({ ...DEMO_SITE });
    setup.confirm({ recoverySecret }); // creates the store, signed in with the recovery secret
    const admin = ctx.vault.workspace();
    importAnchors(admin, [{ name: 'demo-root-ca.cer', bytes: trust.ca }]);
    await importCrls(admin, [{ name: 'demo-root-ca.crl', bytes: trust.crl }]);
    for (const card of cards)
      await enrollCard(
        ctx.vault.workspace(),
        ctx.login.readers,
        { serialNumber: card.serialNumber, role: card.role },
        siteOf(ctx).identity,
      );
    setup.finish(); // locks: from here on only the cards sign in

    const analyst = cards.find((card) => card.role === 'analyst');
    if (!analyst) throw new Error('The demo has no analyst card.');
    await ctx.login.login(analyst.pin, analyst.serialNumber);
    seedAnalystWork(ctx);
    ctx.login.lock('manual', 'demonstration workstation ready');
    return recoverySecret;
  } finally {
    ctx.login.dispose();
  }
}

/** A fresh CRL into an existing demo store (a CRL counts for a week): imported as the administrator of setup would. */
export async function refreshDemoCrl(paths: ServicePaths, recoverySecret: string, crl: Buffer): Promise<void> {
  const ctx = createContext(paths);
  try {
    ctx.login.unlockWithRecoverySecret(recoverySecret);
    await importCrls(ctx.vault.workspace(), [{ name: 'demo-root-ca.crl', bytes: crl }]);
    ctx.login.lock('manual', 'demonstration CRL renewed');
  } finally {
    ctx.login.dispose();
  }
}
