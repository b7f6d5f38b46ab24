import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { serviceCall } from './support/rpc';
import { signInWithRecoverySecret } from './support/sign-in';

// Issue 17's e2e, through the UI of two real browser hosts sharing one test PKI: Field Site 7's
// analyst (valid-ecc card) saves a run of a SECRET model and exports it with the card's PIN; the
// test carries the file from A's outbox (the path the UI shows); Field Site 9's administrator
// (valid-rsa card) imports it through the file chooser, reviews the signer and markings, and
// releases it. The model and run are then in B's library, marked, and both audit logs say so. Then:
// a replay and a changed byte refused, a gap warned of and the bundle rejected, and a report version
// exported from the reports and released beside the records already there.
test.describe.configure({ mode: 'serial' });

let fixture: PivFixture;
let wsA: CardWorkstation;
let wsB: CardWorkstation;
let hostA: CardHost;
let hostB: CardHost;
let recorded: RecordedBrowser;
let pageA: Page;
let pageB: Page;
const consoleProblems: string[] = [];
const carried = mkdtempSync(join(tmpdir(), 'enclave-bundle-carry-'));
const carriedBundle = join(carried, 'carried-bundle.tar');
/** A classified roll-up without a release marking is NOFORN (common/markings/rollup.ts). */
const BANNER = 'SECRET//NOFORN';
let exportedSha256 = '';
let modelId = 0;
const SHOTS = 'test-results/screenshots';

const destinations = [
  { name: 'site9', channel: 'fs7-to-fs9', highest: 'S', noforn: true },
  { name: 'low-side', channel: 'fs7-to-low', highest: 'U' },
];

const bridgeCost = {
  format: 'enclave-model/1',
  name: 'Bridge cost',
  marking: 'SECRET',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 }, marking: 'SECRET' },
    { name: 'materials', dist: { type: 'uniform', min: 50, max: 90 }, marking: 'UNCLASSIFIED' },
  ],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
};

async function signInWithCard(page: Page, host: CardHost, pin: string) {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
}

const previewRecord = (label: RegExp) => pageA.getByTestId('bundle-preview-record').filter({ hasText: label });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  fixture = await provisionPivFixture();
  [wsA, wsB] = await Promise.all([
    createCardWorkstation({ fixture, variant: 'valid-ecc', role: 'analyst' }),
    createCardWorkstation({ fixture, variant: 'valid-rsa', role: 'admin' }),
  ]);
  [recorded, hostA, hostB] = await Promise.all([
    launchRecordedBrowser(),
    startCardHost(wsA, {
      siteName: 'Field Site 7',
      systemHigh: 'SECRET',
      bundles: { network: 'SIPRNet-7', destinations },
    }),
    startCardHost(wsB, { siteName: 'Field Site 9', systemHigh: 'SECRET', bundles: { network: 'SIPRNet-9' } }),
  ]);
  pageA = await recorded.newPage();
  pageB = await recorded.newPage();
  recordConsoleProblems(pageA, consoleProblems);
  recordConsoleProblems(pageB, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await hostA?.stop();
  await hostB?.stop();
  wsA?.cleanup();
  wsB?.cleanup();
  fixture?.cleanup();
  rmSync(carried, { recursive: true, force: true });
});

test('on A, the analyst signs in with the card and saves a run of a SECRET model', async () => {
  test.setTimeout(180_000);
  await signInWithCard(pageA, hostA, wsA.card.pin);
  // An analyst exports; importing is an administrator's, and the service says so whatever is shown.
  await expect(pageA.getByTestId('home-open-bundle-export')).toBeVisible();
  await expect(pageA.getByTestId('home-open-bundle-import')).toHaveCount(0);
  expect(await serviceCall(pageA, 'bundles.quarantine')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const created = await serviceCall<{ model: { id: number } }>(pageA, 'models.create', { model: bridgeCost });
  if (!created.ok) throw new Error(created.error.message);
  modelId = created.value.model.id;
  await pageA.getByRole('button', { name: 'Run a simulation' }).click();
  await pageA.getByTestId('library-select').selectOption(String(modelId));
  await expect(pageA.getByTestId('marking-verdict')).toHaveAttribute('data-status', 'ok');
  await pageA.getByTestId('option-iterations').fill('10,000');
  await pageA.getByTestId('option-seed').fill('7');
  await pageA.getByTestId('option-engine').selectOption('cpu');
  await pageA.getByTestId('run-button').click();
  await expect(pageA.getByTestId('run-results')).toBeVisible({ timeout: 90_000 });
  await pageA.getByTestId('save-run-name').fill('Baseline');
  await pageA.getByTestId('save-run-button').click();
  await expect(pageA.getByTestId('saved-run-row').filter({ hasText: 'Baseline' })).toBeVisible({ timeout: 60_000 });
});

test('the export screen previews the run and the model version it brings, marked, and refuses a low destination by reason', async () => {
  await pageA.getByTestId('home-button').click();
  await pageA.getByTestId('home-open-library').click();
  const row = pageA.getByTestId('model-row').filter({ hasText: 'Bridge cost' });
  await row.getByTestId('model-show-runs').click();
  await pageA.getByTestId('runs-row').filter({ hasText: 'Baseline' }).getByTestId('runs-export-bundle').click();

  await expect(pageA.getByTestId('bundle-export-screen')).toBeVisible();
  await expect(pageA.getByTestId('bundle-pick')).toHaveText([/run “Baseline” of “Bridge cost” version 1/]);
  await expect(pageA.getByTestId('bundle-destination')).toHaveValue('site9');
  await expect(pageA.getByTestId('bundle-preview')).toHaveAttribute('data-ok', 'true');
  await expect(pageA.getByTestId('bundle-preview-banner')).toHaveText(BANNER);
  await expect(pageA.getByTestId('bundle-preview-record')).toHaveCount(2);
  const model = previewRecord(/^(?!.*run ").*model "Bridge cost" version 1/);
  const run = previewRecord(/run "Baseline"/);
  await expect(model.getByTestId('bundle-preview-why')).toHaveText('brought along (a dependency)');
  await expect(run.getByTestId('bundle-preview-why')).toHaveText('picked');
  await expect(model.getByTestId('record-portion')).toHaveText('(S//NF)');
  await expect(model.getByTestId('record-portion')).toHaveAttribute('data-level', 'SECRET');
  await expect(run.getByTestId('record-portion')).toHaveText('(S//NF)');

  // A destination that takes nothing above UNCLASSIFIED and no NOFORN: every reason named, no export.
  await pageA.getByTestId('bundle-destination').selectOption('low-side');
  await expect(pageA.getByTestId('bundle-preview')).toHaveAttribute('data-ok', 'false');
  await expect(model.getByTestId('bundle-preview-refusals').getByRole('listitem')).toHaveText([
    "SECRET is above destination low-side's highest level, UNCLASSIFIED",
    'NOFORN information may not go to destination low-side',
  ]);
  await expect(pageA.getByTestId('bundle-preview-refused')).toContainText('2 records may not go to low-side');
  await pageA.getByTestId('bundle-pin').fill(wsA.card.pin);
  await expect(pageA.getByTestId('bundle-export-button')).toBeDisabled();
  await expect(pageA.getByTestId('bundle-export-blocked')).toBeVisible();
  await pageA.screenshot({ path: `${SHOTS}/bundle-export-refused.png`, fullPage: true });

  // Even asked directly, the service refuses, naming each record and why.
  const runs = await serviceCall<{ runs: { id: number }[] }>(pageA, 'runs.list', { model: modelId });
  if (!runs.ok) throw new Error(runs.error.message);
  const refused = await serviceCall(pageA, 'bundles.export', {
    picks: [{ kind: 'run', run: runs.value.runs[0]!.id }],
    destination: 'low-side',
    pin: wsA.card.pin,
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('a wrong PIN signs nothing, shows the card’s reason, and empties the field', async () => {
  await pageA.getByTestId('bundle-destination').selectOption('site9');
  await expect(pageA.getByTestId('bundle-preview')).toHaveAttribute('data-ok', 'true');
  const pin = pageA.getByTestId('bundle-pin');
  await pin.fill('00000000');
  await pageA.getByTestId('bundle-export-button').click();
  await expect(pageA.getByTestId('bundle-export-problem')).toContainText('The bundle was not signed');
  await expect(pageA.getByTestId('bundle-export-problem')).not.toContainText(/at .*\.(ts|js):\d+/);
  await expect(pin).toHaveValue('');
  await expect(pageA.getByTestId('bundle-exported')).toHaveCount(0);
});

test('the analyst exports with the card’s PIN: the file in the outbox, its size, hash, sequence and banner', async () => {
  test.setTimeout(120_000);
  const pin = pageA.getByTestId('bundle-pin');
  await pin.fill(wsA.card.pin);
  await pageA.getByTestId('bundle-part-mib').fill('');
  await pageA.getByTestId('bundle-export-button').click();
  await expect(pageA.getByTestId('bundle-exported')).toBeVisible({ timeout: 60_000 });
  await expect(pin).toHaveValue('');
  await expect(pageA.getByTestId('bundle-exported-sequence')).toHaveText('1');
  await expect(pageA.getByTestId('bundle-exported-banner')).toHaveText(BANNER);
  const path = (await pageA.getByTestId('bundle-exported-path').innerText()).trim();
  const name = (await pageA.getByTestId('bundle-exported-name').innerText()).trim();
  expect(path.startsWith(join(wsA.dataDir, 'outbox'))).toBe(true);
  expect(path.endsWith(name)).toBe(true);
  exportedSha256 = (await pageA.getByTestId('bundle-exported-sha256').innerText()).trim();
  expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(exportedSha256);
  await expect(pageA.getByTestId('bundle-exported-size')).toContainText(
    `${statSync(path).size.toLocaleString('en-US')} bytes`,
  );
  // Carried across: the one thing that crosses between the networks is this file.
  copyFileSync(path, carriedBundle);
});

test('on B, the administrator imports it through the file chooser: verified into quarantine, signer and markings shown', async () => {
  test.setTimeout(120_000);
  await signInWithCard(pageB, hostB, wsB.card.pin);
  await pageB.getByTestId('home-open-bundle-import').click();
  await expect(pageB.getByTestId('bundle-import-screen')).toBeVisible();
  await expect(pageB.getByTestId('quarantine-empty')).toBeVisible();
  await pageB.getByTestId('bundle-receive-files').setInputFiles(carriedBundle);
  await expect(pageB.getByTestId('bundle-received')).toContainText('bundle 1 on channel fs7-to-fs9 from Field Site 7', {
    timeout: 60_000,
  });
  const waiting = pageB.locator('[data-testid="quarantine-bundle"][data-state="verified"]');
  await expect(waiting).toHaveCount(1);
  await expect(waiting.getByTestId('quarantine-banner')).toHaveText(BANNER);
  await expect(waiting.getByTestId('quarantine-source')).toContainText('Field Site 7, network SIPRNet-7');
  await expect(waiting.getByTestId('quarantine-signer-name')).toHaveText(fixture.users['valid-ecc'].commonName);
  await expect(waiting.getByTestId('quarantine-signer-policies')).toHaveText('2.16.840.1.101.3.2.1.3.7');
  await expect(waiting.getByTestId('quarantine-warnings')).toHaveCount(0);
  await expect(waiting.getByTestId('quarantine-record-label')).toHaveText([
    'model "Bridge cost" version 1',
    /run "Baseline"/,
  ]);
  await expect(waiting.getByTestId('record-portion')).toHaveText(['(S//NF)', '(S//NF)']);
  await expect(waiting.getByTestId('quarantine-record-applied')).toHaveText(['new', 'new']);
  await expect(waiting).toContainText(exportedSha256);
  await pageB.screenshot({ path: `${SHOTS}/bundle-quarantine-review.png`, fullPage: true });
});

test('the administrator releases it: both records applied, the review recorded', async () => {
  const waiting = pageB.locator('[data-testid="quarantine-bundle"][data-state="verified"]');
  await waiting.getByTestId('bundle-review-note').fill('Checked against the transfer log');
  await waiting.getByTestId('bundle-release').click();
  await waiting.getByRole('button', { name: 'Yes, release' }).click();
  const released = pageB.locator('[data-testid="quarantine-bundle"][data-state="released"]');
  await expect(released.getByTestId('bundle-review-outcome')).toHaveText(
    'Released: 2 records imported, 0 records already here.',
  );
  await expect(released.getByTestId('quarantine-reviewed')).toContainText(
    `released by ${fixture.users['valid-rsa'].commonName}`,
  );
  await expect(released.getByTestId('quarantine-reviewed')).toContainText('Checked against the transfer log');
  await expect(pageB.getByTestId('quarantine-empty')).toBeVisible();
});

test('the model and its run are in B’s library, with their markings', async () => {
  await pageB.getByTestId('home-button').click();
  await pageB.getByTestId('home-open-library').click();
  const row = pageB.getByTestId('model-row').filter({ hasText: 'Bridge cost' });
  await expect(row.getByTestId('model-banner')).toHaveText(BANNER);
  await row.getByTestId('model-show-runs').click();
  const run = pageB.getByTestId('runs-row').filter({ hasText: 'Baseline' });
  await expect(run.getByTestId('model-banner')).toHaveText(BANNER);
});

test('the same file again is refused as a replay, and a changed one at the payload check, with the reasons shown; nothing lands', async () => {
  await pageB.getByTestId('open-admin').click();
  await pageB.getByTestId('admin-bundles').click();
  await pageB.getByTestId('bundle-receive-files').setInputFiles(carriedBundle);
  const problem = pageB.getByTestId('bundle-receive-problem');
  await expect(problem).toContainText('imported here before', { timeout: 60_000 });
  await expect(problem).toHaveAttribute('data-code', 'FAILED_PRECONDITION');
  await expect(pageB.locator('[data-testid="quarantine-bundle"][data-state="verified"]')).toHaveCount(0);

  // A byte changed in transit: refused at the payload check, the step and the record's path named.
  const tampered = readFileSync(carriedBundle);
  tampered[tampered.indexOf(Buffer.from('"Bridge cost"')) + 2] = 'T'.charCodeAt(0);
  const changed = join(carried, 'changed.tar');
  writeFileSync(changed, tampered);
  await pageB.getByTestId('bundle-receive-files').setInputFiles(changed);
  const issue = pageB.getByTestId('bundle-receive-problem-issue');
  await expect(issue.first()).toContainText(/^payload: data\/records\/model-version-\S+ — .*does not match its hash/, {
    timeout: 60_000,
  });
  await expect(pageB.locator('[data-testid="quarantine-bundle"][data-state="verified"]')).toHaveCount(0);
});

test('a later bundle after a missing one: the gap is a warning, records here already are marked, and it is rejected', async () => {
  test.setTimeout(120_000);
  // A exports twice more: bundle 2 never crosses, bundle 3 does.
  for (const sequence of ['2', '3']) {
    await pageA.getByTestId('bundle-pin').fill(wsA.card.pin);
    await pageA.getByTestId('bundle-export-button').click();
    await expect(pageA.getByTestId('bundle-exported-sequence')).toHaveText(sequence, { timeout: 60_000 });
  }
  const third = join(carried, 'third.tar');
  copyFileSync((await pageA.getByTestId('bundle-exported-path').innerText()).trim(), third);

  await pageB.getByTestId('bundle-receive-files').setInputFiles(third);
  await expect(pageB.getByTestId('bundle-received')).toContainText('bundle 3', { timeout: 60_000 });
  const waiting = pageB.locator('[data-testid="quarantine-bundle"][data-state="verified"]');
  await expect(waiting.getByTestId('quarantine-warnings')).toContainText(
    'Bundle 2 on channel fs7-to-fs9 from Field Site 7 never arrived (this is bundle 3).',
  );
  await expect(waiting.getByTestId('quarantine-record-applied')).toHaveText(['already imported', 'already imported']);
  await waiting.getByTestId('bundle-review-note').fill('Out of order: ask Field Site 7 for bundle 2');
  await waiting.getByTestId('bundle-reject').click();
  await waiting.getByRole('button', { name: 'Yes, reject' }).click();
  const rejected = pageB.locator('[data-testid="quarantine-bundle"][data-state="rejected"]');
  await expect(rejected.getByTestId('bundle-review-outcome')).toContainText('Rejected: nothing was imported');
  await expect(rejected.getByTestId('quarantine-reviewed')).toContainText('rejected by');
  await expect(rejected.getByTestId('quarantine-reviewed')).toContainText('ask Field Site 7 for bundle 2');
  await expect(pageB.getByTestId('quarantine-empty')).toBeVisible();
});

test('a report version goes too: built from the run on A, exported from the reports, released on B beside what is there', async () => {
  test.setTimeout(240_000);
  await pageA.getByTestId('bundle-export-library').click();
  await pageA.getByTestId('model-row').filter({ hasText: 'Bridge cost' }).getByTestId('model-show-runs').click();
  await pageA.getByTestId('runs-report').click();
  await expect(pageA.getByTestId('report-builder')).toBeVisible();
  await pageA.getByTestId('report-title-input').fill('Bridge cost risk');
  await pageA.getByTestId('report-section-scenarios-on').uncheck(); // no scenario table in this report
  // A classified report carries its authority block.
  await pageA.getByTestId('report-authority-classifiedBy').fill('A. Analyst, Cost Office');
  await pageA.getByTestId('report-authority-derivedFrom').fill('Bridge SCG 2026-01');
  await pageA.getByTestId('report-authority-declassifyOn').fill('20511231');
  await expect(pageA.getByTestId('report-verdict')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(pageA.getByTestId('report-preview')).toHaveAttribute('data-ready', 'true', { timeout: 90_000 });
  await pageA.getByTestId('report-save-comment').fill('for Field Site 9');
  await pageA.getByTestId('report-save').click();
  await expect(pageA.getByTestId('report-builder-notice')).toContainText('as version 1', { timeout: 90_000 });
  await pageA.getByTestId('report-library-link').click();
  await pageA.getByTestId('report-row').filter({ hasText: 'Bridge cost risk' }).getByTestId('report-open').click();
  await pageA.getByTestId('report-version').first().getByTestId('report-version-export-bundle').click();
  await expect(pageA.getByTestId('bundle-pick')).toHaveText([/report “Bridge cost risk” version 1/]);
  await expect(pageA.getByTestId('bundle-preview-record')).toHaveCount(3);
  await expect(previewRecord(/report/).getByTestId('bundle-preview-why')).toHaveText('picked');
  await expect(previewRecord(/report/).getByTestId('record-portion')).toHaveText('(S//NF)');
  await pageA.getByTestId('bundle-pin').fill(wsA.card.pin);
  await pageA.getByTestId('bundle-export-button').click();
  await expect(pageA.getByTestId('bundle-exported-sequence')).toHaveText('4', { timeout: 60_000 });
  const fourth = join(carried, 'fourth.tar');
  copyFileSync((await pageA.getByTestId('bundle-exported-path').innerText()).trim(), fourth);

  await pageB.getByTestId('bundle-receive-files').setInputFiles(fourth);
  await expect(pageB.getByTestId('bundle-received')).toContainText('bundle 4', { timeout: 60_000 });
  const waiting = pageB.locator('[data-testid="quarantine-bundle"][data-state="verified"]');
  await expect(waiting.getByTestId('quarantine-record-applied')).toHaveText([
    'already imported',
    'already imported',
    'new',
  ]);
  await waiting.getByTestId('bundle-release').click();
  await waiting.getByRole('button', { name: 'Yes, release' }).click();
  await expect(
    pageB.locator('[data-testid="quarantine-bundle"][data-state="released"]').getByTestId('bundle-review-outcome'),
  ).toHaveText('Released: 1 record imported, 2 records already here.');
  await pageB.getByTestId('home-button').click();
  await pageB.getByTestId('home-open-reports').click();
  await expect(
    pageB.getByTestId('report-row').filter({ hasText: 'Bridge cost risk' }).getByTestId('model-banner'),
  ).toHaveText(BANNER);
  await pageB.getByTestId('open-admin').click();
  await pageB.getByTestId('admin-bundles').click();
});

test('a version from the Versions panel starts an export, and a run added from the library joins it as picked', async () => {
  await pageA.getByTestId('bundle-export-library').click();
  const row = pageA.getByTestId('model-row').filter({ hasText: 'Bridge cost' });
  await row.getByTestId('model-show-versions').click();
  await pageA.getByTestId('version-row').filter({ hasText: '1' }).getByTestId('version-export-bundle').click();
  await expect(pageA.getByTestId('bundle-pick')).toHaveText([/model “Bridge cost” version 1/]);
  await expect(pageA.getByTestId('bundle-exported')).toHaveCount(0);
  await expect(pageA.getByTestId('bundle-preview-record')).toHaveCount(1);
  await pageA.getByTestId('bundle-add-model').selectOption({ label: `Bridge cost (${BANNER})` });
  await pageA.getByTestId('bundle-add-run-button').click();
  await expect(pageA.getByTestId('bundle-pick')).toHaveCount(2);
  await expect(pageA.getByTestId('bundle-preview-why')).toHaveText(['picked', 'picked']);
  // Picking the same version again adds nothing.
  await pageA.getByTestId('bundle-add-version-button').click();
  await expect(pageA.getByTestId('bundle-pick')).toHaveCount(2);
  await pageA.getByTestId('bundle-pick').first().getByTestId('bundle-pick-remove').click();
  await expect(pageA.getByTestId('bundle-pick')).toHaveText([/run “Baseline”/]);
  await expect(pageA.getByTestId('bundle-preview-why')).toHaveText(['brought along (a dependency)', 'picked']);
});

test('B’s audit log shows both receipts, the release, the rejection and the refused replay', async () => {
  await pageB.getByTestId('bundle-import-admin').click();
  const rows = (event: string, outcome: string) =>
    pageB
      .getByTestId('admin-audit')
      .locator(`[data-testid="audit-row"][data-event="${event}"][data-outcome="${outcome}"]`);
  await expect(rows('bundle.receive', 'success')).toHaveCount(3);
  await expect(rows('bundle.release', 'success')).toHaveCount(2);
  await expect(rows('bundle.reject', 'success')).toHaveCount(1);
  await expect(rows('bundle.import', 'denied')).toHaveCount(2);
  await expect(rows('bundle.import', 'denied').getByTestId('audit-detail')).toContainText([
    /PAYLOAD_HASH_MISMATCH/,
    /REPLAYED/,
  ]);
});

test('A’s audit log shows the export, signed and refused, to its administrator', async () => {
  await pageA.getByTestId('lock-button').click();
  await expect(pageA.getByTestId('lock-screen')).toBeVisible();
  await signInWithRecoverySecret(pageA, wsA.recoverySecret!);
  await pageA.getByTestId('open-admin').click();
  const audit = pageA.getByTestId('admin-audit');
  const exported = audit.locator('[data-testid="audit-row"][data-event="bundle.export"][data-outcome="success"]');
  await expect(exported).toHaveCount(4);
  await expect(exported.getByTestId('audit-detail').first()).toContainText('fs7-to-fs9');
  await expect(
    audit.locator('[data-testid="audit-row"][data-event="bundle.export"]:not([data-outcome="success"])'),
  ).not.toHaveCount(0);
  expect(consoleProblems).toEqual([]);
});
