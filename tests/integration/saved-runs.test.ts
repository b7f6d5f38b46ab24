import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSamples } from '../../common/engine/analysis/run-samples';
import { convergenceTraces } from '../../common/engine/cpu/convergence-trace';
import { sensitivity } from '../../common/engine/sensitivity';
import { summarize } from '../../common/engine/statistics';
import {
  encodeSamplePages,
  fromBase64Pieces,
  layoutOf,
  sampleAssembler,
  toBase64Pieces,
} from '../../renderer/engine/sample-codec';
import { resultsForSave } from '../../common/engine/saved-run-results';
import { provisionPivFixture, type PivFixture, type PivVariant } from '../support/fixtures/piv';
import { acknowledgeConsent, handFile, startTestServices, type TestServices } from '../support/services';

// Saved runs through the real service worker and the real SQLCipher store, with SoftHSM2 cards:
// Ann (valid-ecc) is an analyst and owns the model; Bob (valid-rsa) is the administrator (who may
// run, as an analyst may) and another user to Ann. Whoever may read a model reads its runs; a run's
// marking is its model version's, set by the service (docs/runs.md).

let fixture: PivFixture;
let t: TestServices;
let recoverySecret = '';
let annId = 0;
let modelId = 0;
let keptRun = 0;

const call = (channel: string, request: object = {}) => t.dispatch(`enclave:${channel}`, request);
const value = <T>(result: Awaited<ReturnType<typeof call>>): T => {
  if (!result.ok)
    throw new Error(`${result.error.code}: ${result.error.message} ${JSON.stringify(result.error.issues)}`);
  return result.value as T;
};
const signIn = async (variant: PivVariant) => {
  const user = fixture.users[variant];
  await call('identity.lock');
  const outcome = value<{ outcome: string }>(
    await call('identity.login', { pin: user.pin, serialNumber: user.serialNumber }),
  );
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ outcome: 'unlocked' });
};
const lock = async () => value(await call('identity.lock'));

const v1 = {
  format: 'enclave-model/1',
  name: 'Bridge cost',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 } },
    { name: 'materials', dist: { type: 'uniform', min: 50, max: 90 } },
  ],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
};
const v2 = { ...v1, marking: 'SECRET' };

type SavedRun = {
  id: number;
  name: string;
  banner: string;
  model: { id: number; version: number };
  samples: { iterations: number; pages: number; bytes: number } | null;
  owner: { name: string };
  appVersion: string;
  mayDelete: boolean;
};

/** A run's samples and results as the run screen saves them: values drawn here, statistics from the engine's code. */
function fakeRun(n: number) {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const labour = Float64Array.from({ length: n }, () => 100 + 10 * (next() + next() + next() - 1.5));
  const materials = Float64Array.from({ length: n }, () => 50 + 40 * next());
  const total = labour.map((v, i) => v + materials[i]!);
  const samples: RunSamples = { iterations: n, inputs: { labour, materials }, outputs: { total } };
  const summary = {
    outputs: { total: summarize(total) },
    sensitivity: { total: sensitivity({ labour, materials }, total) },
  };
  return { samples, results: resultsForSave(summary, convergenceTraces({ total: [total] })) };
}

const saveRequest = (version: number, extra: object = {}) => ({
  model: { id: modelId, version },
  name: 'Base case',
  comment: 'for the board',
  seed: 42,
  sampling: 'mc',
  engine: 'cpu',
  engineDescription: 'CPU workers (2)',
  iterations: 1_000_000,
  settings: { autoStop: null, engineChoice: 'auto' },
  results: fakeRun(1000).results,
  startedAt: '2026-12-02T10:00:00.000Z',
  finishedAt: '2026-12-02T10:00:05.000Z',
  samples: false,
  ...extra,
});

async function pagesOf(samples: RunSamples): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of encodeSamplePages(samples)) pages.push(toBase64Pieces(page));
  return pages;
}

const listed = async () => value<{ runs: SavedRun[] }>(await call('runs.list', { model: modelId })).runs;

beforeAll(async () => {
  fixture = await provisionPivFixture();
  t = await startTestServices({ pkcs11Modules: [fixture.modulePath] });
  await acknowledgeConsent(t);
  recoverySecret = value<{ recoverySecret: string }>(
    await call('setup.begin', { siteName: 'Field Site 7', systemHigh: 'SECRET' }),
  ).recoverySecret;
  value(await call('setup.confirm', { recoverySecret }));
  const anchors = [await handFile(t, 'root.cer', fixture.rootCa), await handFile(t, 'int.cer', fixture.intermediateCa)];
  value(await call('trust.importAnchors', { files: anchors }));
  const crls = [await handFile(t, 'root.crl', fixture.rootCrl), await handFile(t, 'int.crl', fixture.crl)];
  value(await call('trust.importCrls', { files: crls }));
  value(await call('identity.enroll', { serialNumber: fixture.users['valid-rsa'].serialNumber, role: 'admin' }));
  annId = value<{ userId: number }>(
    await call('identity.enroll', { serialNumber: fixture.users['valid-ecc'].serialNumber, role: 'analyst' }),
  ).userId;
  value(await call('setup.finish'));
  await signIn('valid-ecc');
  modelId = value<{ model: { id: number } }>(await call('models.create', { model: v1 })).model.id;
  value(await call('models.save', { id: modelId, model: v2 }));
  await lock();
}, 120_000);
afterAll(async () => {
  await t?.close();
  fixture?.cleanup();
});

describe('an analyst saves runs of a library model version', () => {
  it('a run of a library model is authorized and recorded under the kept version’s marking, not the page’s', async () => {
    await signIn('valid-ecc');
    const run = { model: 'Bridge cost', marking: 'UNCLASSIFIED', iterations: 1000, seed: 42, sampling: 'mc' };
    expect(value(await call('runs.authorize', { ...run, library: { id: modelId, version: 2 } }))).toMatchObject({
      banner: 'SECRET//NOFORN',
    });
    expect(value(await call('runs.authorize', { ...run, library: { id: modelId, version: 1 } }))).toMatchObject({
      banner: 'UNCLASSIFIED',
    });
    type Page = { entries: { event: string; object: string; detail: string }[] };
    await lock();
    value(await call('identity.recover', { recoverySecret }));
    const starts = value<Page>(await call('audit.list', { limit: 20 })).entries.filter((e) => e.event === 'run.start');
    expect(starts.map((e) => [e.object, JSON.parse(e.detail).marking, JSON.parse(e.detail).version])).toEqual([
      [`model:${modelId}`, 'UNCLASSIFIED', 1],
      [`model:${modelId}`, 'SECRET//NOFORN', 2],
    ]);
    await lock();
  });

  it('saves a run without samples: the service marks it as its version, with the app’s version, and lists it', async () => {
    await signIn('valid-ecc');
    const saved = value<{ run: SavedRun; pages: number }>(await call('runs.save', saveRequest(2)));
    expect(saved.pages).toBe(0);
    expect(saved.run).toMatchObject({
      name: 'Base case',
      banner: 'SECRET//NOFORN',
      model: { id: modelId, version: 2 },
      samples: null,
      mayDelete: true,
    });
    expect(saved.run.appVersion).toMatch(/^\d+\.\d+/);
    const opened = value<{ run: SavedRun; results: { outputs: { total: { mean: number } } } }>(
      await call('runs.open', { id: saved.run.id }),
    );
    expect(opened.results.outputs.total.mean).toBe(saveRequest(2).results.outputs.total!.mean);
    const v1Run = value<{ run: SavedRun }>(await call('runs.save', saveRequest(1, { name: 'Unclassified base' }))).run;
    expect(v1Run.banner).toBe('UNCLASSIFIED');
    expect((await listed()).map((r) => [r.name, r.banner])).toEqual([
      ['Unclassified base', 'UNCLASSIFIED'],
      ['Base case', 'SECRET//NOFORN'],
    ]);
    await lock();
  });

  it('saves a run with samples in pages: invisible until complete, then read back bit for bit', async () => {
    await signIn('valid-ecc');
    const { samples, results } = fakeRun(200_000);
    const pages = await pagesOf(samples);
    const started = value<{ run: SavedRun; pages: number }>(
      await call('runs.save', saveRequest(2, { name: 'With samples', results, samples: layoutOf(samples) })),
    );
    expect(started.pages).toBe(pages.length);
    expect(pages.length).toBe(2); // 200,000 × 3 columns × 8 bytes over 4 MiB pages
    const id = started.run.id;
    value(await call('runs.putSamples', { id, page: 0, data: pages[0] }));
    // Half-saved: not listed, not opened.
    expect((await listed()).map((r) => r.name)).not.toContain('With samples');
    expect(await call('runs.open', { id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    value(await call('runs.putSamples', { id, page: 1, data: pages[1] }));
    const done = value<{ run: SavedRun }>(await call('runs.completeSamples', { id })).run;
    expect(done.samples).toMatchObject({ iterations: 200_000, pages: 2 });
    expect(done.samples!.bytes).toBeLessThan(200_000 * 3 * 8);
    keptRun = id;

    const back = sampleAssembler(layoutOf(samples));
    for (let page = 0; page < 2; page++) {
      const got = value<{ page: number; pages: number; data: string[] }>(await call('runs.samples', { id, page }));
      expect(got).toMatchObject({ page, pages: 2 });
      await back.put(page, fromBase64Pieces(got.data));
    }
    const same = (a: Float64Array, b: Float64Array) => Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer));
    expect(same(back.samples.outputs.total!, samples.outputs.total!)).toBe(0);
    expect(same(back.samples.inputs.labour!, samples.inputs.labour!)).toBe(0);
    await lock();
  });

  it('refuses garbage, oversize, out-of-order and missing pages, and keeps nothing of such a save', async () => {
    await signIn('valid-ecc');
    const { samples, results } = fakeRun(200_000);
    const pages = await pagesOf(samples);
    const begin = async () =>
      value<{ run: SavedRun }>(
        await call('runs.save', saveRequest(2, { name: 'Broken', results, samples: layoutOf(samples) })),
      ).run.id;
    const before = (await listed()).length;

    const garbage = await begin();
    expect(
      await call('runs.putSamples', {
        id: garbage,
        page: 0,
        data: [Buffer.from('not deflate at all').toString('base64')],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not compressed samples/) },
    });
    // The whole save is gone: the next page and the completion find no save.
    expect(await call('runs.putSamples', { id: garbage, page: 1, data: pages[1] })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/not being saved by you/) },
    });

    const bomb = await begin(); // 64 MiB of zeros deflate to 64 KiB: inflating stops at the page's 4 MiB
    const zeros = toBase64Pieces(deflateSync(Buffer.alloc(64 * 1024 * 1024)));
    expect(await call('runs.putSamples', { id: bomb, page: 0, data: zeros })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/declared size/) },
    });

    const tooLarge = await begin();
    expect(await call('runs.putSamples', { id: tooLarge, page: 0, data: 'A'.repeat(6 * 1024 * 1024) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });

    const outOfOrder = await begin();
    expect(await call('runs.putSamples', { id: outOfOrder, page: 1, data: pages[1] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/out of order: page 0 of 2 was next/) },
    });

    const missing = await begin();
    value(await call('runs.putSamples', { id: missing, page: 0, data: pages[0] }));
    expect(await call('runs.completeSamples', { id: missing })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/Only 1 of the 2 pages/) },
    });

    // A layout beyond the cap, or not the version's outputs, is refused before any page.
    expect(
      await call('runs.save', saveRequest(2, { samples: { iterations: 1_000_001, inputs: [], outputs: ['total'] } })),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(
      await call('runs.save', saveRequest(2, { samples: { iterations: 10, inputs: ['labour'], outputs: ['cost'] } })),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not the model version's/) },
    });
    expect((await listed()).length).toBe(before);
    for (const id of [garbage, bomb, tooLarge, outOfOrder, missing])
      expect(await call('runs.open', { id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Unfinished saves are bounded per user: the refused one above is still pending, so two more, then no more.
    const pending = [tooLarge, await begin(), await begin()];
    expect(
      await call('runs.save', saveRequest(2, { name: 'One too many', results, samples: layoutOf(samples) })),
    ).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/3 runs with samples being saved/) },
    });
    for (const id of pending) expect(value(await call('runs.delete', { id }))).toEqual({ deleted: id });
    value(await call('runs.save', saveRequest(2, { name: 'Room again', results, samples: layoutOf(samples) })));
    await lock();
  });
});

describe('exports of samples', () => {
  it('an export is on the record under the kept marking, not the page’s, before the file leaves the app', async () => {
    await signIn('valid-ecc');
    const request = { model: 'Bridge cost', marking: 'UNCLASSIFIED', rows: 1000, columns: 3, fileName: 'bridge.csv' };
    expect(value(await call('runs.recordExport', { ...request, run: keptRun }))).toMatchObject({
      banner: 'SECRET//NOFORN',
    });
    expect(value(await call('runs.recordExport', { ...request, library: { id: modelId, version: 2 } }))).toMatchObject({
      banner: 'SECRET//NOFORN',
    });
    // A model file's own marking is checked against the system high (SECRET).
    expect(await call('runs.recordExport', { ...request, marking: 'TOP SECRET' })).toMatchObject({
      ok: false,
      error: { code: 'ABOVE_SYSTEM_HIGH' },
    });
    await lock();
    value(await call('identity.recover', { recoverySecret }));
    type Page = { entries: { event: string; object: string; detail: string }[] };
    const exports = value<Page>(await call('audit.list', { limit: 50 })).entries.filter(
      (e) => e.event === 'run.export',
    );
    expect(exports.map((e) => [e.object, JSON.parse(e.detail).marking, JSON.parse(e.detail).file])).toEqual([
      [`model:${modelId}`, 'SECRET//NOFORN', 'bridge.csv'],
      [`run:${keptRun}`, 'SECRET//NOFORN', 'bridge.csv'],
    ]);
    for (const e of exports) expect(JSON.parse(e.detail).by).toMatch(/\S/);
    await lock();
  });
});

describe('who may read, save and delete runs', () => {
  it('another user cannot list or open runs of a model not shared with them', async () => {
    await signIn('valid-rsa');
    expect(await call('runs.list', { model: modelId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('runs.open', { id: keptRun })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: `There is no saved run ${keptRun} that you may see.` },
    });
    expect(await call('runs.samples', { id: keptRun, page: 0 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await call('runs.save', saveRequest(2))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await lock();
  });

  it('shared to read, they open the runs, save their own, and cannot delete the owner’s', async () => {
    await signIn('valid-ecc');
    value(await call('models.share', { id: modelId, grants: [{ grantee: { role: 'admin' }, access: 'read' }] }));
    await lock();
    await signIn('valid-rsa');
    expect((await listed()).find((r) => r.id === keptRun)).toMatchObject({ mayDelete: false });
    value(await call('runs.open', { id: keptRun }));
    expect(await call('runs.delete', { id: keptRun })).toMatchObject({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: expect.stringMatching(/Only the one who saved run "With samples" or the model's owner/),
      },
    });
    const bobs = value<{ run: SavedRun }>(await call('runs.save', saveRequest(2, { name: 'Bob check' }))).run;
    expect(bobs).toMatchObject({ banner: 'SECRET//NOFORN', mayDelete: true });
    await lock();
    // The model's owner may delete a run of her model that someone else saved.
    await signIn('valid-ecc');
    expect(value(await call('runs.delete', { id: bobs.id }))).toEqual({ deleted: bobs.id });
    await lock();
  });

  it('a viewer reads the runs shared with them and can neither run, save nor delete', async () => {
    await lock();
    value(await call('identity.recover', { recoverySecret }));
    value(await call('identity.setRole', { userId: annId, role: 'viewer' }));
    await lock();
    await signIn('valid-ecc');
    expect((await listed()).map((r) => r.id)).toContain(keptRun);
    value(await call('runs.samples', { id: keptRun, page: 0 }));
    for (const [channel, request] of [
      ['runs.save', saveRequest(2)],
      ['runs.delete', { id: keptRun }],
      [
        'runs.recordExport',
        { model: 'x', marking: 'UNCLASSIFIED', run: keptRun, rows: 1, columns: 1, fileName: 'x.csv' },
      ],
      ['runs.authorize', { model: 'x', marking: 'UNCLASSIFIED', iterations: 1, seed: 1, sampling: 'mc' }],
    ] as const)
      expect(await call(channel, request), channel).toMatchObject({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `Only an analyst may do this (${channel}); you are signed in as a viewer.`,
        },
      });
    await lock();
  });

  it('every save and delete is on the audit record with the user’s name', async () => {
    await lock();
    value(await call('identity.recover', { recoverySecret }));
    type Page = { entries: { event: string; object: string; detail: string }[] };
    const entries = value<Page>(await call('audit.list', { limit: 200 })).entries.filter((e) =>
      ['run.save', 'run.delete'].includes(e.event),
    );
    expect(entries.map((e) => [e.event, JSON.parse(e.detail).name])).toEqual([
      ['run.delete', 'Bob check'],
      ['run.save', 'Bob check'],
      ['run.save', 'With samples'],
      ['run.save', 'Unclassified base'],
      ['run.save', 'Base case'],
    ]);
    for (const e of entries) expect(JSON.parse(e.detail).by).toMatch(/\S/);
    expect(JSON.parse(entries[2]!.detail)).toMatchObject({ marking: 'SECRET//NOFORN', samples: true, version: 2 });
    await lock();
  });
});
