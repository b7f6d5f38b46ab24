import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleRecord } from '../../common/bundle/bundle-record';
import { quarantineRoot, receiveBundle, releaseBundle } from '../../electron/services/bundles/bundle-import';
import { packBundle } from '../../electron/services/bundles/pack';
import {
  createBundleLab,
  labInfo,
  labModel,
  modelRecord,
  runRecord,
  signerOf,
  writeLabBag,
  type BundleLab,
} from '../support/bundle-lab';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';

// Release on the receiving store (docs/bundle-format.md, "Release"): one transaction, records applied
// once, a bundle changed in quarantine refused, and a release that cannot apply leaves the store as it was.

let fixture: PivFixture;
let lab: BundleLab;
let dataDir: string;
let hash = 'none';

beforeAll(async () => {
  fixture = await provisionPivFixture();
  lab = await createBundleLab(fixture);
  dataDir = lab.folder();
}, 120_000);
afterAll(() => {
  lab?.cleanup();
  fixture?.cleanup();
});

const counts = () =>
  lab.ws.db
    .prepare(
      `SELECT (SELECT count(*) FROM models) AS models, (SELECT count(*) FROM model_versions) AS versions,
        (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM bundle_records) AS applied,
        (SELECT last_sequence FROM bundle_channels_in) AS sequence`,
    )
    .get();

/** The next bundle on the channel, packed, received into quarantine. */
async function received(sequence: number, records: BundleRecord[]) {
  const dir = lab.folder();
  hash = writeLabBag(
    dir,
    labInfo({ sequence, previousHash: hash, recordCount: records.length }),
    records,
    signerOf(fixture, 'valid-ecc'),
  );
  const out = lab.folder();
  mkdirSync(out);
  const tar = join(out, 'bundle.tar');
  await packBundle(dir, tar);
  return receiveBundle({ ws: lab.ws, site: lab.site, sources: [tar], dataDir, now: new Date() });
}
const release = (id: number) => releaseBundle({ ws: lab.ws, site: lab.site, id, note: 'ok', dataDir, now: new Date() });

describe('release', () => {
  it('applies every record with the channel, the ledger and the audit', async () => {
    const { id } = await received(1, [modelRecord(1, 1, '(U)'), runRecord(9, { id: 1, version: 1 }, '(U)')]);
    expect(await release(id)).toMatchObject({ applied: 2, already: 0 });
    expect(counts()).toEqual({ models: 1, versions: 1, runs: 1, applied: 2, sequence: 1 });
    expect(readdirSync(quarantineRoot(dataDir))).toEqual([]);
  });

  it('a bundle changed on disk while in quarantine is refused at release; nothing applied', async () => {
    const { id, bundle } = await received(2, [modelRecord(2, 1, '(U)')]);
    const folder = readdirSync(quarantineRoot(dataDir))[0]!;
    writeFileSync(join(quarantineRoot(dataDir), folder, bundle.records[0]!.path), '{"changed":true}\n');
    await expect(release(id)).rejects.toMatchObject({
      issues: [{ message: expect.stringMatching(/does not match its hash/) }],
    });
    expect(counts()).toEqual({ models: 1, versions: 1, runs: 1, applied: 2, sequence: 1 });
  });

  it('a version imported before with other content refuses the whole release; the store is as it was', async () => {
    hash = (lab.ws.db.prepare('SELECT last_hash AS h FROM bundle_channels_in').get() as { h: string }).h;
    const changed = modelRecord(1, 1, '(U)', {
      ...labModel('Model 1', 'UNCLASSIFIED'),
      formulas: [{ name: 'total', expr: 'labour * 3' }],
    });
    const { id } = await received(3, [modelRecord(3, 1, '(U)'), changed]);
    await expect(release(id)).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Nothing was imported: model:1@1 from Field Site 7 was imported before with different content/,
      ),
    });
    expect(counts()).toEqual({ models: 1, versions: 1, runs: 1, applied: 2, sequence: 1 });
    const audit = lab.ws.db
      .prepare("SELECT outcome FROM audit_log WHERE event = 'bundle.release' ORDER BY seq DESC LIMIT 1")
      .get();
    expect(audit).toEqual({ outcome: 'failure' });
  });

  it('the same records again change nothing (applied once, by hash)', async () => {
    hash = (lab.ws.db.prepare('SELECT last_hash AS h FROM bundle_channels_in').get() as { h: string }).h;
    const { id } = await received(4, [modelRecord(1, 1, '(U)'), runRecord(9, { id: 1, version: 1 }, '(U)')]);
    expect(await release(id)).toMatchObject({ applied: 0, already: 2 });
    expect(counts()).toEqual({ models: 1, versions: 1, runs: 1, applied: 2, sequence: 4 });
  });
});
