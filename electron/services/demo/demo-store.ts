import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelSchema, type Model } from '../../../common/model/model';
import { createContext, type ServiceContext, type ServicePaths } from '../context';
import { enrollCard } from '../identity/login-enroll';
import { compileModel } from '../../../common/engine/compile-model';
import { convergenceTraces } from '../../../common/engine/cpu/convergence-trace';
import { resultsForSave } from '../../../common/engine/saved-run-results';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarizeSimulation } from '../../../common/engine/summary';
import { createModelService } from '../models/model-service';
import { createRunService } from '../runs/run-service';
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

/** Iterations of the demo's saved run: enough for steady figures, made in well under a second. */
const DEMO_RUN_ITERATIONS = 100_000;

/**
 * A saved run of a library model, as the run screen keeps one: run on this process's CPU engine
 * (the same engine code as the app's), authorized and saved through the runs service as the
 * signed-in analyst, results only (a run with samples is the analyst's to make: "Keep samples").
 */
function seedSavedRun(ctx: ServiceContext, model: { id: number }): void {
  const opened = createModelService(ctx).open({ id: model.id });
  const compiled = compileModel(opened.model);
  if (!compiled.ok) throw new Error(`The example model ${opened.model.name} does not compile: ${compiled.errors[0]}`);
  const library = { id: model.id, version: opened.version.version };
  const runs = createRunService(ctx);
  const seed = 1;
  runs.authorize({
    model: opened.model.name,
    marking: opened.model.marking,
    iterations: DEMO_RUN_ITERATIONS,
    seed,
    sampling: 'mc',
    library,
  });
  const startedAt = new Date().toISOString();
  const values = simulateCpu(compiled.compiled, {
    iterations: DEMO_RUN_ITERATIONS,
    seed,
    sampling: 'mc',
    keepInputs: DEMO_RUN_ITERATIONS,
  });
  const summary = summarizeSimulation({ outputs: values.outputs, inputs: values.inputs ?? {} });
  const traces = convergenceTraces(Object.fromEntries(Object.entries(values.outputs).map(([k, v]) => [k, [v]])));
  runs.save({
    model: library,
    name: 'Demonstration baseline',
    comment: 'Saved when the demonstration workstation was made',
    seed,
    sampling: 'mc',
    engine: 'cpu',
    engineDescription: 'CPU engine (one thread, while the demonstration workstation was made)',
    iterations: DEMO_RUN_ITERATIONS,
    settings: { autoStop: null, engineChoice: 'cpu' },
    results: resultsForSave(summary, traces),
    startedAt,
    finishedAt: new Date().toISOString(),
    samples: false,
  });
}

/**
 * What the analyst finds on the first sign-in: the example models in the library, and a saved run
 * of the first. Returns the models kept, in order.
 */
function seedAnalystWork(ctx: ServiceContext): { id: number; name: string }[] {
  const models = createModelService(ctx);
  const kept = exampleModels(ctx.paths.resourcesDir).map(
    (model) => models.create({ model, comment: 'Example model of the demonstration workstation' }).model,
  );
  if (kept[0]) seedSavedRun(ctx, kept[0]);
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
