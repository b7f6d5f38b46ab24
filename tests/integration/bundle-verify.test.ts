import { X509Certificate } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleInfo } from '../../common/bundle/bundle-info';
import type { BundleRecord } from '../../common/bundle/bundle-record';
import { SiteConfigSchema } from '../../common/site/site-config';
import * as q from '../../electron/db/queries/bundles';
import { verifyBundle, type VerifyResult } from '../../electron/services/bundles/bundle-verify';
import { importCrls } from '../../electron/services/trust/trust-admin';
import { workspaceOf } from '../../electron/services/vault/vault-service';
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
import { RECOVERY_ADMIN } from '../support/trust-import';

// The import's checks, one wrong thing at a time, on bags written by the real writer and signed by
// the test PKI's holders (docs/bundle-format.md, "Verification"): each is refused at its step with
// its code, and a bag with nothing wrong passes.

let fixture: PivFixture;
let lab: BundleLab;

beforeAll(async () => {
  fixture = await provisionPivFixture();
  lab = await createBundleLab(fixture);
}, 120_000);

afterAll(() => {
  lab?.cleanup();
  fixture?.cleanup();
});

const ann = () => signerOf(fixture, 'valid-ecc');
const u = () => modelRecord(1, 1, '(U)');

function bag(
  options: {
    info?: Partial<BundleInfo>;
    records?: BundleRecord[];
    signer?: ReturnType<typeof ann>;
    after?: (dir: string) => void;
  } = {},
) {
  const dir = lab.folder();
  const records = options.records ?? [u()];
  writeLabBag(dir, labInfo({ recordCount: records.length, ...options.info }), records, options.signer ?? ann());
  options.after?.(dir);
  return dir;
}

const verify = (dir: string, site = lab.site) => verifyBundle(lab.ws.db, site, dir, new Date());
const refusal = (result: VerifyResult) =>
  result.ok
    ? 'accepted'
    : `${result.step}:${result.problems
        .map((p) => p.code)
        .sort()
        .join(',')}`;

describe('a bundle with nothing wrong', () => {
  it('passes every step: signer, records with their marks, its place on the channel', async () => {
    const result = await verify(bag({ records: [u(), runRecord(9, { id: 1, version: 1 }, '(U)')] }));
    expect(refusal(result)).toBe('accepted');
    if (!result.ok) return;
    expect(result.bundle.signer.name).toBe('ROE.JANE.A.2345678901');
    expect(result.bundle.records.map((r) => [r.kind, r.key, r.portionMark])).toEqual([
      ['model-version', 'model:1@1', '(U)'],
      ['run', 'run:9', '(U)'],
    ]);
    expect(result.bundle.sequence).toMatchObject({ sequence: 1, last: null, gap: null });
  });

  it('an RSA signer (valid-rsa) passes too', async () => {
    expect(refusal(await verify(bag({ signer: signerOf(fixture, 'valid-rsa') })))).toBe('accepted');
  });
});

describe('the signer', () => {
  it('from a CA this workstation does not trust: refused', async () => {
    expect(refusal(await verify(bag({ signer: { ...signerOf(fixture, 'untrusted'), chain: [] } })))).toBe(
      'signature:SIGNER_NO_PATH',
    );
  });

  it('whose certificate expired: refused', async () => {
    expect(refusal(await verify(bag({ signer: signerOf(fixture, 'expired') })))).toBe('signature:SIGNER_EXPIRED');
  });

  it('whose signature certificate was revoked (a newer CRL imported): refused as revoked', async () => {
    const lab2 = await createBundleLab(fixture);
    try {
      const serial = Buffer.from(
        new X509Certificate(fixture.cards.revoked.keys.signature.certificate).serialNumber,
        'hex',
      );
      const crl = await fixture.issueIntermediateCrl({
        revokedSerials: [serial],
        thisUpdate: new Date(Date.now() - 60_000),
        nextUpdate: new Date(Date.now() + 86_400_000),
        number: 9,
      });
      await importCrls(workspaceOf(lab2.temp.store, RECOVERY_ADMIN), [{ name: 'new.crl', bytes: crl }]);
      const dir = lab2.folder();
      writeLabBag(dir, labInfo(), [u()], signerOf(fixture, 'revoked'));
      expect(refusal(await verifyBundle(lab2.ws.db, lab2.site, dir, new Date()))).toBe('signature:SIGNER_REVOKED');
    } finally {
      lab2.cleanup();
    }
  });

  it('with its PIV Authentication key (not asserting a signer policy): refused by policy', async () => {
    const result = await verify(bag({ signer: signerOf(fixture, 'valid-ecc', 'authentication') }));
    expect(refusal(result)).toBe('signature:SIGNER_POLICY');
  });
});

describe('the signature', () => {
  it('over another bag’s tag manifest (swapped in): refused', async () => {
    const other = bag({ records: [modelRecord(2, 1, '(U)')] });
    const dir = bag({
      after: (d) => writeFileSync(join(d, 'signature.cms'), readFileSync(join(other, 'signature.cms'))),
    });
    expect(refusal(await verify(dir))).toBe('signature:SIGNATURE_INVALID');
  });

  it('a tag manifest swapped for another bag’s (with its signature): its hashes do not match the files', async () => {
    const other = bag({ records: [modelRecord(2, 1, '(U)')] });
    const dir = bag({
      after: (d) => {
        for (const name of ['tagmanifest-sha512.txt', 'signature.cms'])
          writeFileSync(join(d, name), readFileSync(join(other, name)));
      },
    });
    expect(refusal(await verify(dir))).toBe('payload:TAG_HASH_MISMATCH,TAG_HASH_MISMATCH');
  });

  it('that is not CMS at all: refused as malformed', async () => {
    expect(
      refusal(await verify(bag({ after: (d) => writeFileSync(join(d, 'signature.cms'), 'not a signature') }))),
    ).toBe('signature:SIGNATURE_MALFORMED');
  });
});

describe('structure and payload', () => {
  it('bag-info.txt changed after signing: refused at the tag manifest', async () => {
    expect(
      refusal(await verify(bag({ after: (d) => appendFileSync(join(d, 'bag-info.txt'), 'Extra: field\n') }))),
    ).toBe('payload:TAG_HASH_MISMATCH');
  });

  it('fetch.txt, a symlink, an unexpected tag file: refused before the signature is read', async () => {
    const dir = bag({
      after: (d) => {
        writeFileSync(join(d, 'fetch.txt'), 'http://example.invalid/x 1 data/x\n');
        writeFileSync(join(d, 'notes.txt'), 'hello');
        symlinkSync('/etc/passwd', join(d, 'data', 'records', 'link'));
      },
    });
    expect(refusal(await verify(dir))).toBe('structure:FETCH_NOT_ALLOWED,NOT_A_FILE,UNEXPECTED_TAG_FILE');
  });

  it('a file the manifest does not list: refused', async () => {
    const dir = bag({ after: (d) => writeFileSync(join(d, 'data', 'extra.json'), '{}') });
    expect(refusal(await verify(dir))).toBe('unlisted:FILE_NOT_IN_MANIFEST');
  });

  it('a record count that does not match the manifest: refused', async () => {
    expect(refusal(await verify(bag({ info: { recordCount: 2 } })))).toBe('payload:RECORD_COUNT');
  });
});

describe('records', () => {
  it('a record that is not a valid record (signed as it is): refused with the reason', async () => {
    const broken = { ...u(), model: { ...(u() as { model: object }).model, version: 0 } } as BundleRecord;
    const result = await verify(bag({ records: [broken] }));
    expect(refusal(result)).toBe('records:RECORD_SCHEMA');
  });

  it('a record above this workstation’s system high: refused', async () => {
    const result = await verify(
      bag({ info: { banner: 'TOP SECRET' }, records: [modelRecord(1, 1, '(TS)', labModel('Secret', 'TOP SECRET'))] }),
    );
    expect(refusal(result)).toBe('records:ABOVE_SYSTEM_HIGH');
  });

  it('a record the bundle’s banner does not cover: refused', async () => {
    const result = await verify(
      bag({ info: { banner: 'UNCLASSIFIED' }, records: [modelRecord(1, 1, '(S)', labModel('Secret', 'SECRET'))] }),
    );
    expect(refusal(result)).toBe('records:NOT_WITHIN_BANNER');
  });

  it('a model whose portion mark is below what its own markings add up to: refused', async () => {
    const result = await verify(
      bag({ info: { banner: 'SECRET' }, records: [modelRecord(1, 1, '(U)', labModel('Secret', 'SECRET'))] }),
    );
    expect(refusal(result)).toBe('records:MARKING_BELOW_CONTENT');
  });

  it('a run whose model version is neither in the bundle nor imported before: refused', async () => {
    const result = await verify(bag({ records: [runRecord(9, { id: 5, version: 2 }, '(U)')] }));
    expect(refusal(result)).toBe('records:MISSING_REFERENCE');
  });
});

describe('the channel', () => {
  it('an expired bundle: refused', async () => {
    const info = { created: '2026-01-01T00:00:00.000Z', expires: '2026-01-31T00:00:00.000Z' };
    expect(refusal(await verify(bag({ info })))).toBe('sequence:EXPIRED');
  });

  it('a sequence at or before the last imported: refused as replayed', async () => {
    const lab2 = await createBundleLab(fixture);
    try {
      q.setInChannel.run(lab2.ws.db, 'Field Site 7', 'fs7-to-fs9', 5, 'a'.repeat(128), 'now');
      const dir = lab2.folder();
      writeLabBag(dir, labInfo({ sequence: 5, previousHash: 'b'.repeat(128) }), [u()], ann());
      expect(refusal(await verifyBundle(lab2.ws.db, lab2.site, dir, new Date()))).toBe('sequence:REPLAYED');
      const next = lab2.folder();
      writeLabBag(next, labInfo({ sequence: 6, previousHash: 'b'.repeat(128) }), [u()], ann());
      expect(refusal(await verifyBundle(lab2.ws.db, lab2.site, next, new Date()))).toBe('sequence:CHAIN_BROKEN');
      const gap = lab2.folder();
      writeLabBag(gap, labInfo({ sequence: 9, previousHash: 'b'.repeat(128) }), [u()], ann());
      const reported = await verifyBundle(lab2.ws.db, lab2.site, gap, new Date());
      expect(reported.ok && reported.bundle.warnings).toEqual([
        'Bundles 6 to 8 on channel fs7-to-fs9 from Field Site 7 never arrived (this is bundle 9).',
      ]);
      const strict = SiteConfigSchema.parse({ ...lab2.site, bundles: { ...lab2.site.bundles, sequenceGap: 'refuse' } });
      expect(refusal(await verifyBundle(lab2.ws.db, strict, gap, new Date()))).toBe('sequence:SEQUENCE_GAP');
    } finally {
      lab2.cleanup();
    }
  });
});

describe('reads only', () => {
  it('verification changes nothing in the store', async () => {
    const before = lab.ws.db
      .prepare(
        'SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM bundle_quarantine) + (SELECT count(*) FROM models) AS n',
      )
      .get();
    mkdirSync(lab.folder(), { recursive: true });
    await verify(bag());
    expect(
      lab.ws.db
        .prepare(
          'SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM bundle_quarantine) + (SELECT count(*) FROM models) AS n',
        )
        .get(),
    ).toEqual(before);
  });
});

describe('the ML-DSA-87 site signature (CNSA 2.0 option)', () => {
  const seven = ml_dsa87.keygen(new Uint8Array(32).fill(7));
  const other = ml_dsa87.keygen(new Uint8Array(32).fill(9));
  const siteWith = (mlDsa87: object) =>
    SiteConfigSchema.parse({ ...lab.site, bundles: { ...lab.site.bundles, mlDsa87 } });
  const trusted = { 'Field Site 7': Buffer.from(seven.publicKey).toString('base64') };
  const signed = (key = seven.secretKey) => {
    const dir = lab.folder();
    writeLabBag(dir, labInfo(), [u()], ann(), key);
    return dir;
  };

  it('verifies with the source site’s configured key; required, a bundle without it is refused', async () => {
    const required = siteWith({ require: true, trustedKeys: trusted });
    expect(refusal(await verify(signed(), required))).toBe('accepted');
    expect(refusal(await verify(bag(), required))).toBe('signature:MLDSA_MISSING');
  });

  it('made with another key, or changed: refused even when not required', async () => {
    const optional = siteWith({ trustedKeys: trusted });
    expect(refusal(await verify(signed(other.secretKey), optional))).toBe('signature:MLDSA_INVALID');
    const dir = signed();
    const bytes = readFileSync(join(dir, 'signature-mldsa87.bin'));
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(join(dir, 'signature-mldsa87.bin'), bytes);
    expect(refusal(await verify(dir, optional))).toBe('signature:MLDSA_INVALID');
  });

  it('from a site whose key is not configured: refused when required, a warning for the reviewer otherwise', async () => {
    expect(refusal(await verify(signed(), siteWith({ require: true })))).toBe('signature:MLDSA_UNKNOWN_SITE');
    const result = await verify(signed(), siteWith({}));
    expect(result.ok && result.bundle.warnings).toEqual([
      'The bundle carries an ML-DSA-87 signature, but no key of Field Site 7 is configured here (bundles.mlDsa87.trustedKeys). It was not checked.',
    ]);
  });
});
