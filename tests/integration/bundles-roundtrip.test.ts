import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import {
  bundleWorkstation,
  runRequest,
  sha256,
  testModel,
  type BundleWorkstation,
} from '../support/bundle-workstation';
import { handFile } from '../support/services';

// Export on one workstation, import on another, through the real service workers, stores and
// SoftHSM2 cards (docs/bundle-format.md): Ann (valid-ecc, P-384 signature key) exports from Field
// Site 7; Bob (valid-rsa) is the administrator who reviews and releases at Field Site 9.

let fixture: PivFixture;
let a: BundleWorkstation;
let b: BundleWorkstation;
let bridge = 0;
let road = 0;
let run = 0;

const destinations = [
  { name: 'site9', channel: 'fs7-to-fs9', highest: 'S', noforn: true },
  { name: 'coalition', channel: 'fs7-to-coalition', highest: 'S', relTo: ['GBR'] },
  { name: 'low-side', channel: 'fs7-to-low', highest: 'U' },
];

type Exported = {
  bundleId: string;
  path: string;
  sequence: number;
  records: number;
  fileSha256: string;
  banner: string;
};
type Quarantined = {
  id: number;
  bundleId: string;
  sequence: number;
  banner: string;
  signer: { name: string; subject: string; policies: string[] };
  records: { kind: string; label: string; portionMark: string; appliedBefore: boolean }[];
  warnings: string[];
  state: string;
};

const exportAs = async (picks: object[], destination = 'site9') => {
  await a.signIn('valid-ecc');
  try {
    return await a.value<Exported>('bundles.export', { picks, destination, pin: fixture.users['valid-ecc'].pin });
  } finally {
    await a.lock();
  }
};
const receive = async (path: string) =>
  b.call('bundles.receive', { files: [await handFile(b.t, 'bundle.tar', readFileSync(path))] });
const quarantineFolders = () => {
  const root = join(b.t.dataDir, 'quarantine');
  return existsSync(root) ? readdirSync(root) : [];
};

beforeAll(async () => {
  fixture = await provisionPivFixture();
  a = await bundleWorkstation(
    fixture,
    'Field Site 7',
    'SECRET',
    { network: 'SIPRNet-7', destinations },
    {
      'valid-ecc': 'analyst',
      'valid-rsa': 'admin',
    },
  );
  b = await bundleWorkstation(fixture, 'Field Site 9', 'SECRET', { network: 'SIPRNet-9' }, { 'valid-rsa': 'admin' });
  await a.signIn('valid-ecc');
  bridge = (
    await a.value<{ model: { id: number } }>('models.create', {
      model: testModel('Bridge cost', 'SECRET//NOFORN', 'S//NF'),
    })
  ).model.id;
  road = (await a.value<{ model: { id: number } }>('models.create', { model: testModel('Road cost', 'UNCLASSIFIED') }))
    .model.id;
  run = (await a.value<{ run: { id: number } }>('runs.save', runRequest({ id: bridge, version: 1 }, 'Baseline'))).run
    .id;
  await a.lock();
}, 240_000);

afterAll(async () => {
  await a?.t.close();
  await b?.t.close();
  fixture?.cleanup();
});

describe('export', () => {
  it('previews every record a pick brings, with its marking and each reason it may not go', async () => {
    await a.signIn('valid-ecc');
    const preview = await a.value<{
      ok: boolean;
      banner: string;
      records: { label: string; picked: boolean; refusals: string[] }[];
    }>('bundles.preview', {
      picks: [
        { kind: 'run', run },
        { kind: 'model-version', model: road, version: 1 },
      ],
      destination: 'coalition',
    });
    await a.lock();
    expect(preview.ok).toBe(false);
    expect(preview.banner).toBe('SECRET//NOFORN');
    expect(preview.records.map((r) => [r.label, r.picked])).toEqual([
      ['model "Bridge cost" version 1', false],
      ['model "Road cost" version 1', true],
      ['run "Baseline" of model "Bridge cost" version 1', true],
    ]);
    expect(preview.records[0]!.refusals).toEqual(['NOFORN information may not go to destination coalition']);
    expect(preview.records[1]!.refusals).toEqual([]);
  });

  it('refuses the whole bundle when one record may not go, naming it and why; nothing is written', async () => {
    await a.signIn('valid-ecc');
    const refused = await a.call('bundles.export', {
      picks: [{ kind: 'model-version', model: bridge, version: 1 }],
      destination: 'low-side',
      pin: fixture.users['valid-ecc'].pin,
    });
    await a.lock();
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (refused.ok) return;
    expect(refused.error.issues).toEqual([
      {
        path: 'model "Bridge cost" version 1',
        message: "SECRET is above destination low-side's highest level, UNCLASSIFIED",
      },
      { path: 'model "Bridge cost" version 1', message: 'NOFORN information may not go to destination low-side' },
    ]);
    expect(existsSync(join(a.t.dataDir, 'outbox')) ? readdirSync(join(a.t.dataDir, 'outbox')) : []).toEqual([]);
  });

  it('a wrong PIN signs nothing and uses no sequence number', async () => {
    await a.signIn('valid-ecc');
    const wrong = await a.call('bundles.export', {
      picks: [{ kind: 'model-version', model: road, version: 1 }],
      destination: 'site9',
      pin: '00000000',
    });
    await a.lock();
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/PIN is incorrect/) },
    });
  });
});

describe('export, carry, import, review, release', () => {
  let first: Exported;

  it('exports a run with its model version, signed with the card, as sequence 1 of the channel', async () => {
    first = await exportAs([{ kind: 'run', run }]);
    expect(first).toMatchObject({ sequence: 1, records: 2, banner: 'SECRET//NOFORN' });
    expect(statSync(first.path).size).toBeGreaterThan(0);
    expect(sha256(readFileSync(first.path))).toBe(first.fileSha256);
  });

  it('lands in quarantine verified: who signed it, what it holds, each marking', async () => {
    await b.signIn('valid-rsa');
    const landed = await receive(first.path);
    expect(landed.ok, JSON.stringify(landed)).toBe(true);
    const q = (landed as { value: Quarantined }).value;
    expect(q).toMatchObject({
      bundleId: first.bundleId,
      sequence: 1,
      banner: 'SECRET//NOFORN',
      state: 'verified',
      warnings: [],
    });
    expect(q.signer.name).toBe(fixture.users['valid-ecc'].commonName);
    expect(q.signer.policies).toEqual(['2.16.840.1.101.3.2.1.3.7']);
    expect(q.records.map((r) => [r.kind, r.portionMark, r.appliedBefore])).toEqual([
      ['model-version', '(S//NF)', false],
      ['run', '(S//NF)', false],
    ]);
    expect(quarantineFolders()).toHaveLength(1);
  });

  it('release applies every record in one transaction; the models and runs are there, marked', async () => {
    const [waiting] = (await b.value<{ bundles: Quarantined[] }>('bundles.quarantine')).bundles;
    const released = await b.value<{ applied: number; already: number }>('bundles.release', {
      id: waiting!.id,
      note: 'reviewed',
    });
    expect(released).toEqual({ bundleId: first.bundleId, applied: 2, already: 0 });
    const models = (await b.value<{ models: { id: number; name: string; banner: string }[] }>('models.list', {}))
      .models;
    expect(models.map((m) => [m.name, m.banner])).toEqual([['Bridge cost', 'SECRET//NOFORN']]);
    const runs = (
      await b.value<{ runs: { name: string; banner: string; comment: string }[] }>('runs.list', {
        model: models[0]!.id,
      })
    ).runs;
    expect(runs).toMatchObject([
      { name: 'Baseline', banner: 'SECRET//NOFORN', comment: expect.stringMatching(/^Imported from Field Site 7/) },
    ]);
    expect(quarantineFolders()).toEqual([]);
    const again = await b.call('bundles.release', { id: waiting!.id, note: 'twice' });
    expect(again).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
  });

  it('the same bundle again is refused as a replay, and audited', async () => {
    const replay = await receive(first.path);
    expect(replay).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/imported here before/) },
    });
    expect(quarantineFolders()).toEqual([]);
    const audit = await b.value<{ entries: { event: string; outcome: string; detail: string }[] }>('audit.list', {
      limit: 20,
    });
    expect(audit.entries.find((e) => e.event === 'bundle.import')).toMatchObject({
      outcome: 'denied',
      detail: expect.stringMatching(/REPLAYED/),
    });
    expect(audit.entries.find((e) => e.event === 'bundle.release')).toMatchObject({ outcome: 'success' });
    await b.lock();
  });

  it('a record applied before is not applied twice; a gap in the sequence is reported to the reviewer', async () => {
    await exportAs([{ kind: 'model-version', model: road, version: 1 }]); // sequence 2: never carried
    const third = await exportAs([
      { kind: 'model-version', model: bridge, version: 1 },
      { kind: 'model-version', model: road, version: 1 },
    ]);
    expect(third.sequence).toBe(3);
    await b.signIn('valid-rsa');
    const landed = await receive(third.path);
    expect(landed.ok, JSON.stringify(landed)).toBe(true);
    const q = (landed as { value: Quarantined }).value;
    expect(q.warnings).toEqual(['Bundle 2 on channel fs7-to-fs9 from Field Site 7 never arrived (this is bundle 3).']);
    expect(q.records.map((r) => [r.label, r.appliedBefore])).toEqual([
      ['model "Bridge cost" version 1', true],
      ['model "Road cost" version 1', false],
    ]);
    expect(await b.value('bundles.release', { id: q.id, note: '' })).toMatchObject({ applied: 1, already: 1 });
    const names = (await b.value<{ models: { name: string }[] }>('models.list', {})).models.map((m) => m.name).sort();
    expect(names).toEqual(['Bridge cost', 'Road cost']);
    await b.lock();
  });

  it('a changed byte in a record is refused at the payload check; nothing lands', async () => {
    const fourth = await exportAs([{ kind: 'model-version', model: road, version: 1 }]);
    const tar = readFileSync(fourth.path);
    const at = tar.indexOf(Buffer.from('"Road cost"')) + 2;
    tar[at] = 'T'.charCodeAt(0);
    await b.signIn('valid-rsa');
    const refused = await b.call('bundles.receive', { files: [await handFile(b.t, 'bundle.tar', tar)] });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        issues: [
          {
            path: expect.stringMatching(/^payload: data\/records\/model-version-/),
            message: expect.stringMatching(/does not match its hash/),
          },
        ],
      },
    });
    expect(quarantineFolders()).toEqual([]);
    await b.lock();
  });

  it('with the CNSA 2.0 option: the site signs with ML-DSA-87 too, and the receiver requires it', async () => {
    await a.signIn('valid-rsa');
    const { key } = await a.value<{ key: { publicKey: string; fingerprint: string } }>('bundles.createSiteKey');
    expect(await a.call('bundles.createSiteKey')).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    await a.lock();
    const configure = (dataDir: string, mlDsa87: object) => {
      const path = join(dataDir, 'site-config.json');
      const config = JSON.parse(readFileSync(path, 'utf8')) as { bundles: object };
      writeFileSync(path, JSON.stringify({ ...config, bundles: { ...config.bundles, mlDsa87 } }));
    };
    configure(a.t.dataDir, { sign: true });
    configure(b.t.dataDir, { require: true, trustedKeys: { 'Field Site 7': key.publicKey } });
    const signed = await exportAs([{ kind: 'model-version', model: road, version: 1 }]);
    expect(readFileSync(signed.path).includes(Buffer.from('signature-mldsa87.bin'))).toBe(true);
    await b.signIn('valid-rsa');
    const landed = await receive(signed.path);
    expect(landed.ok, JSON.stringify(landed)).toBe(true);
    configure(b.t.dataDir, { require: true, trustedKeys: {} });
    const unknown = await receive(signed.path);
    expect(unknown).toMatchObject({ ok: false, error: { issues: [{ path: 'signature: signature-mldsa87.bin' }] } });
    await b.lock();
  });
});
