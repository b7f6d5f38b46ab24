import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceContext } from '../../electron/services/context';
import { createModelService } from '../../electron/services/models/model-service';
import { StoreFile } from '../../electron/services/vault/store-file';
import { workspaceOf } from '../../electron/services/vault/vault-service';
import { insertUser } from '../../electron/db/queries/users';
import { createDispatcher } from '../../electron/worker/dispatch';
import { ServiceHost } from '../../electron/worker/service-host';

// Model library benchmark (issue 14 targets): the list of 1,000 models with 10 versions each
// (target under 200 ms) and one save (under 50 ms), through the models service on the real
// encrypted store, each save committed with its audit entry.
const dir = mkdtempSync(join(tmpdir(), 'enclave-bench-models-'));
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

const model = (name: string, v: number) => ({
  format: 'enclave-model/1' as const,
  name,
  marking: 'UNCLASSIFIED',
  description: `version ${v}`,
  inputs: Array.from({ length: 20 }, (_, i) => ({
    name: `x${i}`,
    dist: { type: 'pert' as const, min: 1, mode: 2 + v / 100, max: 5 },
  })),
  correlations: [{ a: 'x0', b: 'x1', rank: 0.3 }],
  formulas: [{ name: 'total', expr: Array.from({ length: 20 }, (_, i) => `x${i}`).join(' + ') }],
  outputs: ['total'],
});

try {
  const { store, recoverySecret } = StoreFile.create(join(dir, 'enclave.db'), { actor: 'bench' });
  const id = insertUser(
    store.db,
    { edipi: '1234567890', upn: null, uuid: null, displayName: 'Bench Analyst' },
    'analyst',
    new Date().toISOString(),
  );
  const user = { id, displayName: 'Bench Analyst', role: 'analyst' as const, actor: `user:${id}` };
  const ctx = {
    paths: { dataDir: dir, resourcesDir: join(process.cwd(), 'resources'), siteConfigPath: join(dir, 'site.json') },
    vault: { workspace: () => workspaceOf(store, user), current: () => workspaceOf(store, user) },
  } as unknown as ServiceContext;
  const models = createModelService(ctx);

  let start = process.hrtime.bigint();
  // Seeded through the service, in one outer transaction so seeding takes seconds, not minutes.
  store.db.transaction(() => {
    for (let m = 0; m < 1000; m++) {
      const created = models.create({ model: model(`Model ${m}`, 1) }).model;
      for (let v = 2; v <= 10; v++) models.save({ id: created.id, model: model(`Model ${m}`, v) });
    }
  })();
  console.log(`seeded 1,000 models × 10 versions through the service: ${fmt(ms(start) / 1000)} s`);

  const lists: number[] = [];
  for (let i = 0; i < 11; i++) {
    start = process.hrtime.bigint();
    const listed = models.list({}).models;
    lists.push(ms(start));
    if (listed.length !== 1000 || listed[0]!.versions !== 10) throw new Error('the list is not what was seeded');
  }
  const searches: number[] = [];
  for (let i = 0; i < 11; i++) {
    start = process.hrtime.bigint();
    models.list({ search: 'Model 99' });
    searches.push(ms(start));
  }
  const saves: number[] = [];
  for (let i = 0; i < 51; i++) {
    start = process.hrtime.bigint();
    models.save({ id: 1 + (i % 1000), model: model(`Model ${i % 1000}`, 11 + i), comment: 'bench' });
    saves.push(ms(start));
  }
  start = process.hrtime.bigint();
  models.open({ id: 500 });
  const open = ms(start);
  console.log(
    `list of 1,000 models × 10 versions: median ${fmt(median(lists))} ms, max ${fmt(Math.max(...lists))} ms (target < 200 ms; ratio ${(median(lists) / 200).toFixed(3)})`,
  );
  console.log(`search by name over them: median ${fmt(median(searches))} ms`);
  console.log(
    `save (a new version, committed with its audit entry): median ${fmt(median(saves))} ms, max ${fmt(Math.max(...saves))} ms (target < 50 ms; ratio ${(median(saves) / 50).toFixed(3)})`,
  );
  console.log(`open the latest version: ${fmt(open)} ms`);
  store.close();

  // The same list through the real service worker and the dispatcher (schema checks both ways), as
  // the recovery administrator, who lists every model.
  const logs: string[] = [];
  const host = new ServiceHost({
    workerPath: join(process.cwd(), 'dist', 'node', 'service-worker.cjs'),
    paths: ctx.paths,
    log: (line) => logs.push(line),
  });
  await host.start();
  try {
    const dispatch = createDispatcher(host, (line) => logs.push(line));
    const info = await dispatch('enclave:system.info', {});
    const consentId = info.ok ? (info.value as { consent: { id: string } }).consent.id : '';
    await dispatch('enclave:system.acknowledgeConsent', { consentId });
    const signedIn = await dispatch('enclave:identity.recover', { recoverySecret });
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    const viaWorker: number[] = [];
    for (let i = 0; i < 11; i++) {
      start = process.hrtime.bigint();
      const listed = await dispatch('enclave:models.list', {});
      viaWorker.push(ms(start));
      if (!listed.ok || (listed.value as { models: unknown[] }).models.length !== 1000)
        throw new Error(`the list through the worker failed: ${JSON.stringify(listed).slice(0, 200)}`);
    }
    console.log(
      `the same list through the service worker and dispatcher: median ${fmt(median(viaWorker))} ms (target < 200 ms; ratio ${(median(viaWorker) / 200).toFixed(3)})`,
    );
  } finally {
    await host.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
