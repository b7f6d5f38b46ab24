import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_PDF_PIECE_CHARS } from '../../common/ipc/channels/reports';
import { createPolicy } from '../../common/markings';
import { withReportMetadata } from '../../common/report/pdf-metadata';
import { REPORT_DOCUMENT_FORMAT, type ReportDocument } from '../../common/report/report-document';
import { reportMarkingOf } from '../../common/report/report-marking';
import { convergenceTraces } from '../../common/engine/cpu/convergence-trace';
import { resultsForSave } from '../../common/engine/saved-run-results';
import { sensitivity } from '../../common/engine/sensitivity';
import { summarize } from '../../common/engine/statistics';
import { StoreFile } from '../../electron/services/vault/store-file';
import { provisionPivFixture, type PivFixture, type PivVariant } from '../support/fixtures/piv';
import { acknowledgeConsent, handFile, startTestServices, type TestServices } from '../support/services';

// The report library through the real service worker and the real SQLCipher store, with SoftHSM2
// cards: Ann (valid-ecc) is an analyst and owns the model, its runs and the report; Bob (valid-rsa)
// is the administrator, then (by the recovery session) a viewer and an analyst; the recovery-secret
// session is an administrator with no grant. The service decides every marking, every access and
// every byte of the PDF handed out (docs/reports.md).

let fixture: PivFixture;
let t: TestServices;
let recoverySecret = '';
let annId = 0;
let bobId = 0;
let modelId = 0;
let otherModelId = 0;
let bobModelId = 0;
const runs = { v1: 0, v2: 0, other: 0, bobs: 0 };
let reportId = 0;
const savedPdfs: Buffer[] = [];

const AUTHORITY = { classifiedBy: 'Field Site 7 ISSM', derivedFrom: 'Bridge SCG v2', declassifyOn: '20501231' };

const call = (channel: string, request: object = {}) => t.dispatch(`enclave:${channel}`, request);
const value = <T>(result: Awaited<ReturnType<typeof call>>): T => {
  if (!result.ok)
    throw new Error(
      `${result.error.code}: ${result.error.message} ${JSON.stringify(result.error.issues)} ${t.logs.slice(-2).join('\n')}`,
    );
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
const recover = async () => {
  await call('identity.lock');
  value(await call('identity.recover', { recoverySecret }));
};

const model = (name: string, marking: string) => ({
  format: 'enclave-model/1',
  name,
  marking,
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 } },
    { name: 'materials', dist: { type: 'uniform', min: 50, max: 90 } },
  ],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
});

/** A saved run's results as the run screen keeps them: values drawn here, statistics from the engine's code. */
function fakeResults(n: number) {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const labour = Float64Array.from({ length: n }, () => 100 + 10 * (next() + next() + next() - 1.5));
  const materials = Float64Array.from({ length: n }, () => 50 + 40 * next());
  const total = labour.map((v, i) => v + materials[i]!);
  const summary = {
    outputs: { total: summarize(total) },
    sensitivity: { total: sensitivity({ labour, materials }, total) },
  };
  return resultsForSave(summary, convergenceTraces({ total: [total] }));
}

const saveRun = async (id: number, version: number, name: string) =>
  value<{ run: { id: number } }>(
    await call('runs.save', {
      model: { id, version },
      name,
      comment: '',
      seed: 42,
      sampling: 'mc',
      engine: 'cpu',
      engineDescription: 'CPU workers (2)',
      iterations: 1000,
      settings: { autoStop: null, engineChoice: 'auto' },
      results: fakeResults(1000),
      startedAt: '2026-12-02T10:00:00.000Z',
      finishedAt: '2026-12-02T10:00:05.000Z',
      samples: false,
    }),
  ).run.id;

/** An unclassified report of version 1; `over` replaces any field. */
const definition = (over: object = {}) => ({
  format: 'enclave-report/1',
  title: 'Bridge cost review',
  author: 'Ann Analyst',
  model: { id: modelId, version: 1 },
  runs: [runs.v1],
  outputs: null,
  banner: null,
  authority: null,
  sections: [
    { kind: 'title', portion: '(U)', paragraphs: [] },
    { kind: 'summary', portion: '(U)', paragraphs: [{ portion: '(U)', text: 'The bridge costs about 190.' }] },
    { kind: 'statistics', portion: '(U)', paragraphs: [] },
  ],
  scenarios: null,
  ...over,
});

/** A SECRET report of version 2 with runs of both versions. */
const secretDefinition = (over: object = {}) =>
  definition({
    model: { id: modelId, version: 2 },
    runs: [runs.v2, runs.v1],
    sections: [
      { kind: 'summary', portion: '(U)', paragraphs: [{ portion: '(S)', text: 'The classified figures.' }] },
      { kind: 'statistics', portion: '(S)', paragraphs: [] },
      { kind: 'comparison', portion: '(S)', paragraphs: [] },
    ],
    ...over,
  });

/**
 * A small real PDF as the print path makes it: printed, then given its metadata by
 * common/report/pdf-metadata.ts (Subject = the document's banner). `banner` null: no metadata step.
 */
async function pdfWith(banner: string | null, text = 'Bridge cost review'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  page.drawText(text, { x: 72, y: 700, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  const printed = await doc.save({ useObjectStreams: false });
  if (banner === null) return Buffer.from(printed);
  const document: ReportDocument = {
    format: REPORT_DOCUMENT_FORMAT,
    title: 'Bridge cost review',
    author: 'Ann Analyst',
    banner: reportMarkingOf(banner, createPolicy()),
    authority: null,
    createdAt: '2026-12-02T12:00:00.000Z',
    blocks: [],
  };
  return Buffer.from(await withReportMetadata(printed, document, '1.0.0'));
}
const piecesOf = (bytes: Buffer) => {
  const base64 = bytes.toString('base64');
  const pieces: string[] = [];
  for (let at = 0; at < base64.length; at += REPORT_PDF_PIECE_CHARS)
    pieces.push(base64.slice(at, at + REPORT_PDF_PIECE_CHARS));
  return pieces;
};
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type Verdict =
  | { ok: true; rollup: string; banner: string; authority: object | null }
  | { ok: false; problems: { where: string; portion: string; message: string }[] };
type Summary = {
  id: number;
  title: string;
  banner: string;
  versions: number;
  access: string;
  owner: { id: number; name: string };
  model: { id: number; version: number; name: string };
};
type Version = {
  version: number;
  savedBy: string;
  comment: string;
  banner: string;
  pdf: { sha256: string; bytes: number };
};
type Downloaded = { fileName: string; banner: string; sha256: string; pdf: string[] };

const verdictOf = async (def: object) => value<Verdict>(await call('reports.check', { definition: def }));
const listed = async () => value<{ reports: Summary[] }>(await call('reports.list')).reports;
const versionsOf = async (id: number) =>
  value<{ versions: Version[] }>(await call('reports.versions', { id })).versions;
const download = async (id: number, version: number) => {
  const got = value<Downloaded>(await call('reports.pdf', { id, version }));
  return { ...got, bytes: Buffer.from(got.pdf.join(''), 'base64') };
};

beforeAll(async () => {
  fixture = await provisionPivFixture();
  t = await startTestServices({ pkcs11Modules: [fixture.modulePath], reports: { authority: AUTHORITY } });
  await acknowledgeConsent(t);
  recoverySecret = value<{ recoverySecret: string }>(
    await call('setup.begin', { siteName: 'Field Site 7', systemHigh: 'SECRET' }),
  ).recoverySecret;
  value(await call('setup.confirm', { recoverySecret }));
  const anchors = [await handFile(t, 'root.cer', fixture.rootCa), await handFile(t, 'int.cer', fixture.intermediateCa)];
  value(await call('trust.importAnchors', { files: anchors }));
  const crls = [await handFile(t, 'root.crl', fixture.rootCrl), await handFile(t, 'int.crl', fixture.crl)];
  value(await call('trust.importCrls', { files: crls }));
  bobId = value<{ userId: number }>(
    await call('identity.enroll', { serialNumber: fixture.users['valid-rsa'].serialNumber, role: 'admin' }),
  ).userId;
  annId = value<{ userId: number }>(
    await call('identity.enroll', { serialNumber: fixture.users['valid-ecc'].serialNumber, role: 'analyst' }),
  ).userId;
  value(await call('setup.finish'));

  await signIn('valid-ecc');
  modelId = value<{ model: { id: number } }>(
    await call('models.create', { model: model('Bridge cost', 'UNCLASSIFIED') }),
  ).model.id;
  value(await call('models.save', { id: modelId, model: model('Bridge cost', 'SECRET') }));
  runs.v1 = await saveRun(modelId, 1, 'Unclassified base');
  runs.v2 = await saveRun(modelId, 2, 'Classified base');
  otherModelId = value<{ model: { id: number } }>(
    await call('models.create', { model: model('Tunnel cost', 'UNCLASSIFIED') }),
  ).model.id;
  runs.other = await saveRun(otherModelId, 1, 'Tunnel base');
  await signIn('valid-rsa');
  bobModelId = value<{ model: { id: number } }>(
    await call('models.create', { model: model('Bob plan', 'UNCLASSIFIED') }),
  ).model.id;
  runs.bobs = await saveRun(bobModelId, 1, 'Bob base');
  await lock();
}, 120_000);
afterAll(async () => {
  await t?.close();
  fixture?.cleanup();
});

describe('an analyst keeps a report in versions', () => {
  it('checks a definition, saves it with its PDF, lists it, and keeps each version’s banner, comment and PDF hash', async () => {
    await signIn('valid-ecc');
    expect(await verdictOf(definition())).toEqual({
      ok: true,
      rollup: 'UNCLASSIFIED',
      banner: 'UNCLASSIFIED',
      authority: null,
    });
    expect(await listed()).toEqual([]); // a check keeps nothing

    savedPdfs[0] = await pdfWith('UNCLASSIFIED');
    const first = value<{ report: Summary; version: Version }>(
      await call('reports.save', {
        id: null,
        definition: definition(),
        comment: 'first draft',
        pdf: piecesOf(savedPdfs[0]),
      }),
    );
    reportId = first.report.id;
    expect(first.report).toMatchObject({
      title: 'Bridge cost review',
      banner: 'UNCLASSIFIED',
      versions: 1,
      access: 'owner',
      owner: { id: annId },
      model: { id: modelId, version: 1, name: 'Bridge cost' },
    });
    expect(first.version).toMatchObject({
      version: 1,
      comment: 'first draft',
      banner: 'UNCLASSIFIED',
      pdf: { sha256: sha256(savedPdfs[0]), bytes: savedPdfs[0].length },
    });
    expect(first.version.savedBy).toBe(first.report.owner.name);

    // A SECRET version: the banner is the roll-up, and the site's authority block is the default.
    const verdict = await verdictOf(secretDefinition());
    expect(verdict).toEqual({ ok: true, rollup: 'SECRET//NOFORN', banner: 'SECRET//NOFORN', authority: AUTHORITY });
    savedPdfs[1] = await pdfWith('SECRET//NOFORN', 'Classified figures');
    const second = value<{ report: Summary; version: Version }>(
      await call('reports.save', {
        id: reportId,
        definition: secretDefinition(),
        comment: 'classified figures',
        pdf: piecesOf(savedPdfs[1]),
      }),
    );
    expect(second.report).toMatchObject({ id: reportId, banner: 'SECRET//NOFORN', versions: 2, model: { version: 2 } });

    const versions = await versionsOf(reportId);
    expect(versions.map((v) => [v.version, v.comment, v.banner, v.pdf.sha256])).toEqual([
      [2, 'classified figures', 'SECRET//NOFORN', sha256(savedPdfs[1])],
      [1, 'first draft', 'UNCLASSIFIED', sha256(savedPdfs[0])],
    ]);
    const opened = value<{ version: Version; definition: object; grants: unknown }>(
      await call('reports.open', { id: reportId }),
    );
    expect(opened).toMatchObject({ version: { version: 2 }, definition: secretDefinition(), grants: [] });
    expect(value<{ definition: object }>(await call('reports.open', { id: reportId, version: 1 })).definition).toEqual(
      definition(),
    );
    expect((await listed()).map((r) => [r.id, r.versions, r.banner, r.access])).toEqual([
      [reportId, 2, 'SECRET//NOFORN', 'owner'],
    ]);
    expect(value<{ reports: Summary[] }>(await call('reports.list', { model: otherModelId })).reports).toEqual([]);

    // Each version's PDF comes back byte for byte, under the banner kept with it.
    const pdf1 = await download(reportId, 1);
    expect(pdf1).toMatchObject({
      fileName: 'Bridge cost review v1.pdf',
      banner: 'UNCLASSIFIED',
      sha256: sha256(savedPdfs[0]),
    });
    expect(pdf1.bytes.equals(savedPdfs[0])).toBe(true);
    expect((await download(reportId, 2)).bytes.equals(savedPdfs[1])).toBe(true);
    await lock();
  });
});

describe('the markings are the service’s: refused with every problem, nothing kept', () => {
  const refusedSave = async (def: object, pdf: Buffer) =>
    call('reports.save', { id: reportId, definition: def, comment: 'should not be kept', pdf: piecesOf(pdf) });

  it('a report whose roll-up is above the system high is refused, naming the portion that caused it', async () => {
    await signIn('valid-ecc');
    const tooHigh = definition({
      sections: [
        {
          kind: 'summary',
          portion: '(U)',
          paragraphs: [
            { portion: '(U)', text: 'Fine.' },
            { portion: '(TS)', text: 'Above this workstation.' },
          ],
        },
      ],
    });
    const verdict = await verdictOf(tooHigh);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.problems).toEqual([
      expect.objectContaining({ where: 'paragraph 2 of "Executive summary"', portion: '(TS)' }),
    ]);
    const refused = await refusedSave(tooHigh, await pdfWith('TOP SECRET//NOFORN'));
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'ABOVE_SYSTEM_HIGH',
        message: expect.stringContaining('paragraph 2 of "Executive summary" (TS): (TS) is above'),
        issues: [{ path: 'paragraph 2 of "Executive summary"', message: expect.stringMatching(/^\(TS\): /) }],
      },
    });
    expect((await versionsOf(reportId)).length).toBe(2);
    await lock();
  });

  it('a requested banner below the roll-up is refused: the analyst cannot lower it', async () => {
    await signIn('valid-ecc');
    const lowered = secretDefinition({ banner: 'UNCLASSIFIED' });
    const refused = await refusedSave(lowered, await pdfWith('UNCLASSIFIED'));
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        issues: [
          {
            path: 'the banner',
            message: expect.stringMatching(/^UNCLASSIFIED: .*below the roll-up of the portions, SECRET\/\/NOFORN/),
          },
        ],
      },
    });
    // A raise is the analyst's to make, and the banner kept is the raised one.
    const raised = await verdictOf(definition({ banner: 'SECRET//NOFORN' }));
    expect(raised).toMatchObject({ ok: true, rollup: 'UNCLASSIFIED', banner: 'SECRET//NOFORN' });
    expect((await versionsOf(reportId)).length).toBe(2);
    await lock();
  });

  it('a section marked below the data it shows is refused, naming the section and its portion', async () => {
    await signIn('valid-ecc');
    const under = secretDefinition({
      sections: [
        { kind: 'summary', portion: '(S)', paragraphs: [{ portion: '(S)', text: 'Classified.' }] },
        { kind: 'statistics', portion: '(U)', paragraphs: [] },
      ],
    });
    const refused = await refusedSave(under, await pdfWith('SECRET//NOFORN'));
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        issues: [
          {
            path: 'section "Statistics and percentiles"',
            message: expect.stringMatching(
              /^\(U\): the section is marked \(U\) but shows data marked SECRET.*output "total"/,
            ),
          },
        ],
      },
    });
    expect((await versionsOf(reportId)).length).toBe(2);
    await lock();
  });

  it('the PDF must be a PDF carrying the service’s banner in its metadata: another Subject, none, or not a PDF is refused', async () => {
    await signIn('valid-ecc');
    for (const [pdf, message] of [
      [
        await pdfWith('SECRET//NOFORN'),
        /its metadata carries the banner "SECRET\/\/NOFORN", and the report's banner is UNCLASSIFIED/,
      ],
      [await pdfWith(null), /its metadata carries the banner \(none\)/],
      [Buffer.from('UNCLASSIFIED\nnot a PDF at all'), /The file is not a PDF/],
      [Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64, 0x20)]), /The PDF cannot be read/],
    ] as const)
      expect(await refusedSave(definition(), pdf)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) },
      });
    expect((await versionsOf(reportId)).length).toBe(2);
    await lock();
  });

  it('the caller must read the model and every run; the version must exist; the runs must be of that model', async () => {
    await signIn('valid-ecc');
    for (const [def, code, message] of [
      [definition({ runs: [runs.v1, runs.bobs] }), 'FORBIDDEN', `There is no saved run ${runs.bobs} that you may see.`],
      [
        definition({ model: { id: bobModelId, version: 1 }, runs: [runs.bobs] }),
        'FORBIDDEN',
        `There is no model ${bobModelId} that you may see.`,
      ],
      [definition({ model: { id: modelId, version: 9 } }), 'INVALID_ARGUMENT', `Model ${modelId} has no version 9.`],
      [
        definition({ runs: [runs.v1, runs.other] }),
        'INVALID_ARGUMENT',
        'The report\'s runs are not all runs of "Bridge cost".',
      ],
    ] as const) {
      expect(await call('reports.check', { definition: def }), message).toMatchObject({
        ok: false,
        error: { code, message },
      });
      expect(await refusedSave(def, await pdfWith('UNCLASSIFIED')), message).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    expect((await versionsOf(reportId)).length).toBe(2);
    await lock();
  });
});

describe('sharing, checked by the service', () => {
  it('an administrator lists every report and manages it, but reads only those shared with them', async () => {
    await signIn('valid-rsa');
    expect((await listed()).find((r) => r.id === reportId)).toMatchObject({ access: 'manage' });
    for (const [channel, request] of [
      ['reports.open', { id: reportId }],
      ['reports.versions', { id: reportId }],
      ['reports.pdf', { id: reportId, version: 1 }],
    ] as const)
      expect(await call(channel, request), channel).toMatchObject({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: expect.stringMatching(/not shared with you: an administrator manages reports/),
        },
      });
    expect(
      await call('reports.share', { id: reportId, grants: [{ grantee: { user: bobId }, access: 'edit' }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only the owner may share "Bridge cost review".' },
    });
    // A report that does not exist reads the same as one not shared.
    expect(await call('reports.open', { id: 999_999 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'There is no report 999999 that you may see.' },
    });
    await recover();
    value(await call('identity.setRole', { userId: annId, role: 'admin' }));
    value(await call('identity.setRole', { userId: bobId, role: 'viewer' }));
    await lock();
  });

  it('a stranger is refused; a viewer with a read share opens it and downloads the PDF', async () => {
    await signIn('valid-rsa'); // a viewer now, with no grant
    expect((await listed()).map((r) => r.id)).not.toContain(reportId);
    for (const [channel, request] of [
      ['reports.open', { id: reportId }],
      ['reports.versions', { id: reportId }],
      ['reports.pdf', { id: reportId, version: 2 }],
    ] as const)
      expect(await call(channel, request), channel).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: `There is no report ${reportId} that you may see.` },
      });
    await signIn('valid-ecc');
    expect(
      value(await call('reports.share', { id: reportId, grants: [{ grantee: { user: bobId }, access: 'read' }] })),
    ).toEqual({ grants: [{ grantee: { user: bobId }, access: 'read' }] });
    expect(
      await call('reports.share', { id: reportId, grants: [{ grantee: { user: 4242 }, access: 'read' }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', issues: [{ path: 'grants.0.grantee.user' }] },
    });

    await signIn('valid-rsa');
    expect((await listed()).find((r) => r.id === reportId)).toMatchObject({ access: 'read' });
    expect(value<{ grants: unknown }>(await call('reports.open', { id: reportId }))).toMatchObject({
      definition: secretDefinition(),
      grants: null, // only the owner sees whom it is shared with
    });
    expect((await versionsOf(reportId)).map((v) => v.version)).toEqual([2, 1]);
    const pdf = await download(reportId, 2);
    expect(pdf).toMatchObject({ banner: 'SECRET//NOFORN', sha256: sha256(savedPdfs[1]!) });
    expect(pdf.bytes.equals(savedPdfs[1]!)).toBe(true);
    // A viewer keeps nothing: the router refuses by role.
    expect(
      await call('reports.save', { id: reportId, definition: definition(), comment: '', pdf: piecesOf(savedPdfs[0]!) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/you are signed in as a viewer/) },
    });
    await recover();
    value(await call('identity.setRole', { userId: bobId, role: 'analyst' }));
    await lock();
  });

  it('a read share does not let an analyst change or delete it; an edit share does, once the model is theirs to read', async () => {
    await signIn('valid-rsa'); // an analyst now, with a read share
    const save = async () =>
      call('reports.save', {
        id: reportId,
        definition: definition(),
        comment: 'Bob’s edit',
        pdf: piecesOf(savedPdfs[0]!),
      });
    expect(await save()).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: '"Bridge cost review" is shared with you to read, not to change.' },
    });
    expect(await call('reports.delete', { id: reportId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only the owner or an administrator may delete "Bridge cost review".' },
    });
    await signIn('valid-ecc');
    value(await call('reports.share', { id: reportId, grants: [{ grantee: { user: bobId }, access: 'edit' }] }));
    await signIn('valid-rsa');
    // The report is his to edit, but its model is not his to read.
    expect(await save()).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: `There is no model ${modelId} that you may see.` },
    });
    await signIn('valid-ecc');
    value(await call('models.share', { id: modelId, grants: [{ grantee: { user: bobId }, access: 'read' }] }));
    await signIn('valid-rsa');
    const kept = value<{ report: Summary; version: Version }>(await save());
    expect(kept.report).toMatchObject({ versions: 3, owner: { id: annId }, access: 'edit', banner: 'UNCLASSIFIED' });
    expect(kept.version.savedBy).not.toBe(kept.report.owner.name);
    await lock();
  });
});

describe('the stored PDF is checked on the way out', () => {
  it('a PDF changed in the store is refused on download with an integrity error; the other versions still come out', async () => {
    await lock(); // the worker closes the store file; this test opens it as someone with the key would
    const store = StoreFile.open(join(t.dataDir, 'enclave.db'), { recoverySecret });
    try {
      const trigger = store.db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'report_versions_immutable'")
        .pluck()
        .get() as string;
      const tampered = Buffer.from(savedPdfs[0]!);
      tampered[tampered.length >> 1]! ^= 0x01; // one bit, in the middle of the file
      store.db.exec('DROP TRIGGER report_versions_immutable');
      store.db
        .prepare('UPDATE report_versions SET pdf = ? WHERE report_id = ? AND version = 1')
        .run(tampered, reportId);
      store.db.exec(trigger);
    } finally {
      store.close();
    }
    await signIn('valid-ecc');
    expect(await call('reports.pdf', { id: reportId, version: 1 })).toMatchObject({
      ok: false,
      error: {
        code: 'FAILED_PRECONDITION',
        message:
          'The stored PDF of version 1 of "Bridge cost review" failed its integrity check: its SHA-256 is not the one recorded when it was saved, so the store has been altered or damaged. It was not handed out; tell the administrator.',
      },
    });
    expect((await download(reportId, 2)).bytes.equals(savedPdfs[1]!)).toBe(true);
    await lock();
  });
});

describe('exports and the audit log', () => {
  it('an export is put on the record after the markings check again; a refused one is answered with its problems', async () => {
    await signIn('valid-ecc');
    expect(
      value<Verdict>(
        await call('reports.recordExport', { definition: secretDefinition(), format: 'xlsx', fileName: 'review.xlsx' }),
      ),
    ).toMatchObject({ ok: true, banner: 'SECRET//NOFORN', authority: AUTHORITY });
    const lowered = value<Verdict>(
      await call('reports.recordExport', {
        definition: secretDefinition({ banner: 'UNCLASSIFIED' }),
        format: 'csv',
        fileName: 'statistics.csv',
      }),
    );
    expect(lowered).toMatchObject({ ok: false, problems: [{ where: 'the banner', portion: 'UNCLASSIFIED' }] });
    await lock();
  });

  it('an administrator deletes any report with its versions; then it is gone for everyone', async () => {
    await recover();
    expect(value<{ report: Summary }>(await call('reports.delete', { id: reportId })).report).toMatchObject({
      id: reportId,
      versions: 3,
    });
    await signIn('valid-ecc');
    expect(await listed()).toEqual([]);
    expect(await call('reports.pdf', { id: reportId, version: 2 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await lock();
  });

  it('records every save, export, share and delete with the user’s name, and every refusal with its reason', async () => {
    await recover();
    type Entry = { event: string; object: string; actor: string; outcome: string; detail: string };
    const all = value<{ entries: Entry[] }>(await call('audit.list', { limit: 500 })).entries.reverse();
    const done = all
      .filter((e) => e.event.startsWith('report.') && e.outcome === 'success')
      .map((e) => [e.actor, e.event, e.object, JSON.parse(e.detail) as Record<string, unknown>] as const);
    expect(done.map(([actor, event, object]) => [actor, event, object])).toEqual([
      [`user:${annId}`, 'report.save', `report:${reportId}`],
      [`user:${annId}`, 'report.save', `report:${reportId}`],
      [`user:${annId}`, 'report.export', `report:${reportId}`],
      [`user:${annId}`, 'report.export', `report:${reportId}`],
      [`user:${annId}`, 'report.share', `report:${reportId}`],
      [`user:${bobId}`, 'report.export', `report:${reportId}`],
      [`user:${annId}`, 'report.share', `report:${reportId}`],
      [`user:${bobId}`, 'report.save', `report:${reportId}`],
      [`user:${annId}`, 'report.export', `report:${reportId}`],
      [`user:${annId}`, 'report.export', `model:${modelId}`],
      ['recovery', 'report.delete', `report:${reportId}`],
    ]);
    expect(done[1]![3]).toMatchObject({
      by: expect.stringMatching(/\S/),
      title: 'Bridge cost review',
      version: 2,
      banner: 'SECRET//NOFORN',
      model: modelId,
      modelVersion: 2,
      runs: `${runs.v2},${runs.v1}`,
      sha256: sha256(savedPdfs[1]!),
    });
    expect(done[4]![3]).toMatchObject({ grants: `user:${bobId}=read` });
    expect(done[9]![3]).toMatchObject({ format: 'xlsx', file: 'review.xlsx', banner: 'SECRET//NOFORN' });

    const refused = all
      .filter((e) => e.object.startsWith('reports.') && e.outcome === 'denied')
      .map((e) => {
        const detail = JSON.parse(e.detail) as { code?: string };
        return [
          e.actor === `user:${annId}` ? 'ann' : e.actor === `user:${bobId}` ? 'bob' : e.actor,
          e.event,
          e.object,
          detail.code,
        ];
      });
    expect(refused).toEqual([
      ['ann', 'report.refused', 'reports.save', 'ABOVE_SYSTEM_HIGH'],
      ['ann', 'report.refused', 'reports.save', 'INVALID_ARGUMENT'], // a lowered banner
      ['ann', 'report.refused', 'reports.save', 'INVALID_ARGUMENT'], // a section below its data
      ['ann', 'report.refused', 'reports.save', 'INVALID_ARGUMENT'], // another Subject
      ['ann', 'report.refused', 'reports.save', 'INVALID_ARGUMENT'], // no Subject
      ['ann', 'access.denied', 'reports.check', 'FORBIDDEN'], // Bob's run
      ['ann', 'access.denied', 'reports.save', 'FORBIDDEN'],
      ['ann', 'access.denied', 'reports.check', 'FORBIDDEN'], // Bob's model
      ['ann', 'access.denied', 'reports.save', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.open', 'FORBIDDEN'], // an administrator without a grant
      ['bob', 'access.denied', 'reports.versions', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.pdf', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.share', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.open', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.open', 'FORBIDDEN'], // a stranger
      ['bob', 'access.denied', 'reports.versions', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.pdf', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.save', undefined], // a viewer, by the router
      ['bob', 'access.denied', 'reports.save', 'FORBIDDEN'], // a read share
      ['bob', 'access.denied', 'reports.delete', 'FORBIDDEN'],
      ['bob', 'access.denied', 'reports.save', 'FORBIDDEN'], // an edit share, the model not his
      ['ann', 'report.refused', 'reports.pdf', 'FAILED_PRECONDITION'], // the changed PDF
      ['ann', 'report.refused', 'reports.recordExport', 'INVALID_ARGUMENT'],
      ['ann', 'access.denied', 'reports.pdf', 'FORBIDDEN'], // deleted
    ]);
    const tamper = all.find((e) => e.event === 'report.refused' && e.object === 'reports.pdf')!;
    expect(JSON.parse(tamper.detail)).toMatchObject({
      report: reportId,
      reason: expect.stringMatching(/integrity check/),
    });
    await lock();
  });
});
