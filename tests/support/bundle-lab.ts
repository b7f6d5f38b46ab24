import { createPrivateKey, sign, X509Certificate, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORD_FORMAT } from '../../common/bundle/bundle-format';
import type { BundleInfo } from '../../common/bundle/bundle-info';
import type { BundleRecord } from '../../common/bundle/bundle-record';
import { SiteConfigSchema, type SiteConfig } from '../../common/site/site-config';
import { writeBag } from '../../electron/services/bundles/bag-writer';
import { signDetached, type CmsSigner } from '../../electron/services/bundles/cms-signature';
import { signMlDsa } from '../../electron/services/bundles/site-key';
import { canonicalJson } from '../../electron/services/models/model-canonical';
import { workspaceOf, type Workspace } from '../../electron/services/vault/vault-service';
import type { PivFixture } from './fixtures/piv';
import type { PivCardName } from './fixtures/piv/profiles';
import { createTempStore, type TempStore } from './store';
import { importTestPki } from './trust-import';
import { testResults, sha256 } from './bundle-workstation';

/**
 * Bundles made by hand for the import's checks (tests/integration/bundle-verify.test.ts and the
 * fuzz test): a receiving store with the test PKI's trust material, bags written with the real bag
 * writer and signed with a fixture holder's signature key (its PKCS#8, as the emulated card holds
 * it), so any one thing can be made wrong on purpose.
 */
export interface BundleLab {
  temp: TempStore;
  ws: Workspace;
  site: SiteConfig;
  /** A fresh empty folder, removed at cleanup. */
  folder(): string;
  cleanup(): void;
}

export async function createBundleLab(fixture: PivFixture, bundles: object = {}): Promise<BundleLab> {
  // In memory where there is /dev/shm: the fuzz test writes thousands of refusals to the audit log.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const temp = createTempStore(base);
  await importTestPki(temp.store, fixture);
  temp.store.db
    .prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'Bob Admin', 'admin', 'now')")
    .run();
  const ws = workspaceOf(temp.store, { id: 1, displayName: 'Bob Admin', role: 'admin', actor: 'user:1' });
  const site = SiteConfigSchema.parse({ siteName: 'Field Site 9', systemHigh: 'SECRET', pkcs11Modules: [], bundles });
  const root = mkdtempSync(join(base, 'enclave-bundle-lab-'));
  let n = 0;
  return {
    temp,
    ws,
    site,
    folder: () => join(root, String(n++)),
    cleanup() {
      temp.store.close();
      temp.cleanup();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A holder's signature key (slot 9C) as a signer; `key` picks another of their keys (the 9A one signs nothing it should). */
export function signerOf(
  fixture: PivFixture,
  holder: PivCardName,
  key: 'signature' | 'authentication' = 'signature',
): CmsSigner {
  const material = fixture.cards[holder].keys[key];
  const privateKey = createPrivateKey({ key: material.pkcs8, format: 'der', type: 'pkcs8' });
  const ec = new X509Certificate(material.certificate).publicKey.asymmetricKeyType === 'ec';
  return {
    certificate: material.certificate,
    chain: [fixture.intermediateCa],
    sign: (data) => sign('sha384', data, ec ? { key: privateKey, dsaEncoding: 'der' } : privateKey),
  };
}

export const labModel = (name: string, marking: string) => ({
  format: 'enclave-model/1' as const,
  name,
  marking,
  inputs: [{ name: 'labour', dist: { type: 'normal' as const, mean: 100, sd: 10 } }],
  correlations: [],
  formulas: [{ name: 'total', expr: 'labour * 2' }],
  outputs: ['total'],
});

export function modelRecord(
  id: number,
  version: number,
  portionMark: string,
  body = labModel(`Model ${id}`, 'UNCLASSIFIED'),
): BundleRecord {
  return {
    format: RECORD_FORMAT,
    portionMark,
    kind: 'model-version',
    model: {
      key: `model:${id}`,
      name: body.name,
      version,
      comment: '',
      author: 'Ann Analyst',
      createdAt: '2026-12-01T10:00:00.000Z',
      body: body as never,
    },
  };
}

export function runRecord(id: number, model: { id: number; version: number }, portionMark: string): BundleRecord {
  return {
    format: RECORD_FORMAT,
    portionMark,
    kind: 'run',
    run: {
      key: `run:${id}`,
      model: { key: `model:${model.id}`, version: model.version },
      modelName: `Model ${model.id}`,
      name: `Run ${id}`,
      comment: '',
      author: 'Ann Analyst',
      seed: 42,
      sampling: 'mc',
      engine: 'cpu',
      engineDescription: 'CPU workers (2)',
      iterations: 200,
      appVersion: '0.1.0',
      settings: { autoStop: null, engineChoice: 'auto' },
      results: testResults(200) as never,
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:00:01.000Z',
      savedAt: '2026-12-01T10:00:02.000Z',
    },
  };
}

/** A record as a bundle carries it: canonical JSON and a newline, named by its SHA-256. */
export function recordFile(record: BundleRecord): { kind: string; sha256: string; bytes: Buffer } {
  const bytes = Buffer.from(`${canonicalJson(record)}\n`, 'utf8');
  return { kind: record.kind, sha256: sha256(bytes), bytes };
}

export function labInfo(over: Partial<BundleInfo> = {}): BundleInfo {
  const now = Date.now();
  return {
    bundleId: randomUUID(),
    format: 'enclave-bundle/1',
    sourceSite: 'Field Site 7',
    sourceNetwork: 'SIPRNet-7',
    destination: 'site9',
    channel: 'fs7-to-fs9',
    sequence: 1,
    previousHash: 'none',
    created: new Date(now - 3_600_000).toISOString(),
    expires: new Date(now + 30 * 86_400_000).toISOString(),
    banner: 'UNCLASSIFIED',
    recordCount: 1,
    signer: 'CN=ROE.JANE.A',
    ...over,
  };
}

/** Writes a signed bag into `dir` (with an ML-DSA-87 site signature when `mlDsaKey` is given); returns its bundle hash. */
export function writeLabBag(
  dir: string,
  info: BundleInfo,
  records: BundleRecord[],
  signer: CmsSigner,
  mlDsaKey?: Uint8Array,
): string {
  const files = records.map(recordFile);
  return writeBag(
    dir,
    { ...info, recordCount: info.recordCount ?? files.length },
    files,
    (tagManifest) => signDetached(tagManifest, signer, new Date()),
    mlDsaKey ? (tagManifest) => signMlDsa(tagManifest, mlDsaKey) : undefined,
  ).bundleHash;
}
