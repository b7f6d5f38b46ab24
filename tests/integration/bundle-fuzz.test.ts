import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as q from '../../electron/db/queries/bundles';
import { quarantineRoot, receiveBundle, rejectBundle } from '../../electron/services/bundles/bundle-import';
import { packBundle } from '../../electron/services/bundles/pack';
import { ServiceError } from '../../electron/services/service-error';
import { importCrls } from '../../electron/services/trust/trust-admin';
import { workspaceOf } from '../../electron/services/vault/vault-service';
import {
  createBundleLab,
  labInfo,
  modelRecord,
  runRecord,
  signerOf,
  writeLabBag,
  type BundleLab,
} from '../support/bundle-lab';
import { entriesFromBag, mutateBundleTar, type TarEntrySpec } from '../support/bag-mutations';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import { RECOVERY_ADMIN } from '../support/trust-import';

// 10,000 mutated bundles through the whole receive path (size, tar, structure, signature and signer,
// hashes, unlisted files, records, sequence): each is refused with a code and a message, or, when the
// mutation changed nothing that matters (a flipped bit in tar padding), accepted as exactly the bundle
// it was. 0 crashes, 0 partial imports, nothing left in quarantine. The seed and counts are printed.

const SEED = Number(process.env.ENCLAVE_FUZZ_SEED ?? 20261203);
const COUNT = Number(process.env.ENCLAVE_FUZZ_COUNT ?? 10_000);

let fixture: PivFixture;
let lab: BundleLab;
const variants: { name: string; tar: Buffer; valid: boolean }[] = [];

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The valid bundle's bag, whose entries the tar-level mutations (tests/support/bag-mutations.ts) start from. */
let validEntries: TarEntrySpec[] = [];

async function packed(name: string, write: (dir: string) => void, valid = false) {
  const dir = lab.folder();
  write(dir);
  const out = join(lab.folder(), 'bundle.tar');
  mkdirSync(join(out, '..'), { recursive: true });
  await packBundle(dir, out);
  variants.push({ name, tar: readFileSync(out), valid });
  if (valid) validEntries = entriesFromBag(dir);
}

beforeAll(async () => {
  fixture = await provisionPivFixture();
  // Few records allowed, so the many-entries mutation is refused without writing thousands of files.
  lab = await createBundleLab(fixture, { maxRecords: 50 });
  const ann = signerOf(fixture, 'valid-ecc');
  const records = () => [modelRecord(1, 1, '(U)'), runRecord(9, { id: 1, version: 1 }, '(U)')];
  const info = (over = {}) => labInfo({ recordCount: 2, sequence: 4, previousHash: 'c'.repeat(128), ...over });
  // The channel has seen bundle 3: sequence 4 is next, 2 is a replay.
  q.setInChannel.run(lab.ws.db, 'Field Site 7', 'fs7-to-fs9', 3, 'c'.repeat(128), 'now');
  const serial = Buffer.from(new X509Certificate(fixture.cards.revoked.keys.signature.certificate).serialNumber, 'hex');
  const crl = await fixture.issueIntermediateCrl({
    revokedSerials: [serial],
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 86_400_000),
    number: 9,
  });
  await importCrls(workspaceOf(lab.temp.store, RECOVERY_ADMIN), [{ name: 'new.crl', bytes: crl }]);

  await packed('valid', (d) => writeLabBag(d, info(), records(), ann), true);
  await packed('wrong signer', (d) =>
    writeLabBag(d, info(), records(), { ...signerOf(fixture, 'untrusted'), chain: [] }),
  );
  await packed('expired signer', (d) => writeLabBag(d, info(), records(), signerOf(fixture, 'expired')));
  await packed('revoked signer', (d) => writeLabBag(d, info(), records(), signerOf(fixture, 'revoked')));
  await packed('replayed sequence', (d) => writeLabBag(d, info({ sequence: 2 }), records(), ann));
  await packed('expired bundle', (d) =>
    writeLabBag(d, info({ created: '2026-01-01T00:00:00.000Z', expires: '2026-01-02T00:00:00.000Z' }), records(), ann),
  );
  await packed('huge record count', (d) => writeLabBag(d, info({ recordCount: 9999 }), records(), ann));
  await packed('extra file', (d) => {
    writeLabBag(d, info(), records(), ann);
    writeFileSync(join(d, 'data', 'records', 'extra.json'), '{}');
  });
  await packed('missing file', (d) => {
    writeLabBag(d, info(), records(), ann);
    const dir = join(d, 'data', 'records');
    const first = readdirSync(dir)[0]!;
    writeFileSync(join(dir, first), '');
  });
  await packed('swapped tag manifest', (d) => {
    writeLabBag(d, info(), records(), ann);
    const other = lab.folder();
    writeLabBag(other, info({ sequence: 5 }), records(), ann);
    for (const name of ['tagmanifest-sha512.txt', 'signature.cms'])
      writeFileSync(join(d, name), readFileSync(join(other, name)));
  });
  await packed('manifest bomb', (d) => {
    writeLabBag(d, info(), records(), ann);
    const line = `${'0'.repeat(128)}  data/records/model-version-${'0'.repeat(64)}.json\n`;
    appendFileSync(join(d, 'manifest-sha512.txt'), line.repeat(20_000));
  });
  await packed('fetch.txt', (d) => {
    writeLabBag(d, info(), records(), ann);
    writeFileSync(join(d, 'fetch.txt'), 'http://example.invalid/x - data/x\n');
  });
}, 180_000);

afterAll(() => {
  lab?.cleanup();
  fixture?.cleanup();
});

function mutate(tar: Buffer, random: () => number): { bytes: Buffer; how: string } {
  const at = () => Math.floor(random() * tar.length);
  switch (Math.floor(random() * 6)) {
    case 0:
      return { bytes: tar.subarray(0, at()), how: 'truncated' };
    case 1: {
      const bytes = Buffer.from(tar);
      for (let i = 1 + Math.floor(random() * 8); i > 0; i--) {
        const where = at();
        bytes[where] = bytes[where]! ^ (1 << Math.floor(random() * 8));
      }
      return { bytes, how: 'bits flipped' };
    }
    case 2: {
      const bytes = Buffer.from(tar);
      const start = at() & ~511;
      bytes.fill(Math.floor(random() * 256), start, Math.min(bytes.length, start + 512));
      return { bytes, how: 'block overwritten' };
    }
    case 3: {
      const cut = at();
      const junk = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 2048) }, () => Math.floor(random() * 256)),
      );
      return { bytes: Buffer.concat([tar.subarray(0, cut), junk, tar.subarray(cut)]), how: 'garbage inserted' };
    }
    case 4:
      return {
        bytes: Buffer.concat([tar, Buffer.alloc(1 + Math.floor(random() * 4096), Math.floor(random() * 256))]),
        how: 'garbage appended',
      };
    default:
      return { bytes: tar, how: 'unchanged' };
  }
}

it(`refuses every mutated bundle with a reason, crashes on none, half-imports none (${COUNT} bundles)`, async () => {
  const random = rng(SEED);
  const outcomes = new Map<string, number>();
  const crashes: string[] = [];
  const wrongAccepts: string[] = [];
  const inbox = lab.folder();
  mkdirSync(inbox, { recursive: true });
  const dataDir = lab.folder();
  mkdirSync(dataDir, { recursive: true });
  const baseHash = new Map<string, string>();
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    let variant = variants[Math.floor(random() * variants.length)]!;
    let mutated: { bytes: Buffer; how: string };
    if (random() < 0.3) {
      // Tar-level tricks on the valid bundle: path tricks, links, devices, collisions, huge sizes, many entries.
      variant = variants[0]!;
      const { mutation, tar } = mutateBundleTar(validEntries, Math.floor(random() * 2 ** 31), { manyEntries: 300 });
      mutated = { bytes: tar, how: mutation };
    } else mutated = random() < 0.85 ? mutate(variant.tar, random) : { bytes: variant.tar, how: 'unchanged' };
    const { bytes, how } = mutated;
    const file = join(inbox, `bundle-${i}.tar`);
    writeFileSync(file, bytes);
    try {
      const { id, bundle } = await receiveBundle({
        ws: lab.ws,
        site: lab.site,
        sources: [file],
        dataDir,
        now: new Date(),
      });
      // Accepted: only the valid bundle, whatever harmless bytes changed around it, with exactly its content.
      const key = variant.name;
      if (!variant.valid) wrongAccepts.push(`${i}: ${variant.name}, ${how}`);
      else if ((baseHash.get(key) ?? bundle.bundleHash) !== bundle.bundleHash)
        wrongAccepts.push(`${i}: content differs (${how})`);
      baseHash.set(key, bundle.bundleHash);
      rejectBundle({ ws: lab.ws, id, note: 'fuzz', dataDir, now: new Date() });
      outcomes.set('accepted', (outcomes.get('accepted') ?? 0) + 1);
    } catch (error) {
      if (!(error instanceof ServiceError) || !error.message || !error.issues?.length) {
        crashes.push(`${i}: ${variant.name}, ${how}: ${(error as Error).stack ?? String(error)}`);
        continue;
      }
      const reason = error.issues[0]!.path.split(':')[0]!;
      outcomes.set(`refused at ${reason}`, (outcomes.get(`refused at ${reason}`) ?? 0) + 1);
    }
    // Nothing half-written: no folder in quarantine but those waiting (none: each accepted one is rejected).
    const left = readdirSync(quarantineRoot(dataDir));
    if (left.length) crashes.push(`${i}: left in quarantine: ${left.join(', ')}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const models = lab.ws.db
    .prepare(
      'SELECT (SELECT count(*) FROM models) + (SELECT count(*) FROM runs) + (SELECT count(*) FROM bundle_records) AS n',
    )
    .get() as { n: number };
  console.log(
    `bundle fuzz: seed ${SEED}, ${COUNT} bundles from ${variants.length} variants in ${seconds.toFixed(1)} s; ` +
      [...outcomes.entries()]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') +
      `; crashes ${crashes.length}; wrong accepts ${wrongAccepts.length}; records applied ${models.n}`,
  );
  expect(crashes).toEqual([]);
  expect(wrongAccepts).toEqual([]);
  expect(models.n).toBe(0);
  expect(existsSync(quarantineRoot(dataDir)) ? readdirSync(quarantineRoot(dataDir)) : []).toEqual([]);
  expect([...outcomes.keys()].filter((k) => k.startsWith('refused')).length).toBeGreaterThanOrEqual(5);
}, 900_000);
