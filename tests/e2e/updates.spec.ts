import { expect, test, type Page } from '@playwright/test';
import { createHash, X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundleTar } from '../../electron/services/bundles/tar';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { TestRepository } from '../support/tuf-repository';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { expectNothingLeftLoopbackAndAttach } from './support/netlog';

// The Updates page through the real browser host: an administrator (signed in with a card) trusts the
// update root the officers gave, checks its fingerprint, inspects a bundle carried on media (a TUF
// repository with a delegated `models` role signing one model template), applies it, and reads the
// history. A bundle with one changed byte is refused first, in the service's words, changing nothing.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
let repo: TestRepository;
const consoleProblems: string[] = [];
// Made in beforeAll: Playwright's runner loads this file too, and would leave a folder behind.
let media = '';
let rootFile = '';
let bundleFile = '';
let tamperedFile = '';
let revokingFile = '';
const CRL_NAME = 'trust/id-ca-1.crl';
const SHOTS = 'test-results/screenshots';
const TEMPLATE_NAME = 'models/bridge-cost.json';
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

const template = JSON.stringify({
  format: 'enclave-model/1',
  name: 'Bridge cost (template)',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 }, marking: 'UNCLASSIFIED' },
    { name: 'materials', dist: { type: 'uniform', min: 50, max: 90 }, marking: 'UNCLASSIFIED' },
  ],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
});

/** The officers' repository: root v1, and a `models` role (models/*) that signs one model template. */
async function buildMedia() {
  repo = await TestRepository.create();
  repo.delegate('targets', { name: 'models', paths: ['models/*'], terminating: true });
  repo.addTarget(TEMPLATE_NAME, new TextEncoder().encode(template), 'models');
  const targets = repo.targets.get('models')!.targets as Record<string, Record<string, unknown>>;
  targets[TEMPLATE_NAME]!.custom = { enclave: { type: 'model-template', version: '1' } };
  const signedAt = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await repo.publish({ timestampExtra: { 'x-enclave-signed-at': signedAt } });
  writeFileSync(rootFile, repo.initialRoot);
  const tree = join(media, 'tree');
  repo.writeTo(tree);
  await writeBundleTar(tree, bundleFile);
  // The same repository with the template changed after signing (same length: only the hash tells).
  const tampered = join(media, 'tampered');
  cpSync(tree, tampered, { recursive: true });
  writeFileSync(join(tampered, 'targets', 'models', 'bridge-cost.json'), template.replace('labour', 'lab0ur'));
  await writeBundleTar(tampered, tamperedFile);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  media = mkdtempSync(join(tmpdir(), 'enclave-update-media-'));
  rootFile = join(media, 'root.json');
  bundleFile = join(media, 'update-2026-12.tar');
  tamperedFile = join(media, 'update-tampered.tar');
  revokingFile = join(media, 'update-2027-01.tar');
  await buildMedia();
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'admin' });
  [recorded, host] = await Promise.all([launchRecordedBrowser(), startCardHost(workstation)]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
  rmSync(media, { recursive: true, force: true });
});

test('an administrator opens Updates from home: no root is trusted yet, and no bundle can be chosen', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  const pin = page.getByTestId('pin-input');
  await expect(pin).toBeEnabled();
  await pin.fill(workstation.card.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('session-role')).toHaveText('admin');
  await page.getByTestId('home-open-updates').click();
  await expect(page).toHaveURL(/#\/updates$/);
  await expect(page.getByRole('heading', { name: 'Updates', level: 1 })).toBeVisible();
  await expect(page.getByTestId('update-root-none')).toContainText('No update root is trusted yet.');
  await expect(page.getByTestId('update-root-none')).toContainText('the one the update officers read out');
  await expect(page.getByTestId('update-inspect-file')).toBeDisabled();
  await expect(page.getByTestId('update-history-empty')).toHaveText('No update has been applied here.');
});

test('trusting the root shows the fingerprint the officers read out, and each role’s keys', async () => {
  await page.getByTestId('update-root-choose-file').setInputFiles(rootFile);
  await expect(page.getByTestId('update-root-fingerprint')).toHaveText(sha256(repo.initialRoot));
  await expect(page.getByTestId('update-root-version')).toHaveText('1');
  await expect(page.getByTestId('update-root-role')).toHaveCount(4);
  await expect(page.getByTestId('update-root-role').filter({ hasText: 'timestamp' })).toContainText('1 of 1');
  await expect(page.getByTestId('update-root-none')).toHaveCount(0);
});

test('a bundle changed after signing is refused in the service’s words, and nothing is applied', async () => {
  await page.getByTestId('update-inspect-file').setInputFiles(tamperedFile);
  const problem = page.getByTestId('update-inspect-problem');
  await expect(problem).toContainText('The update bundle is refused');
  await expect(problem).toContainText('Nothing was applied.');
  await expect(problem).not.toContainText(/ at \S+:\d+/);
  await expect(page.getByTestId('update-review')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('update-history-empty')).toBeVisible();
});

test('the review lists the roles, the template and what applying it would do; then it is applied', async () => {
  await page.getByTestId('update-inspect-file').setInputFiles(bundleFile);
  const review = page.getByTestId('update-review');
  await expect(review).toBeVisible();
  await expect(page.getByTestId('update-inspect-problem')).toHaveCount(0);
  // Only the root was held before this first bundle: every other role is new to this workstation.
  await expect(review.locator('[data-role="root"] [data-testid="update-role-version"]')).toHaveText('1 (same)');
  await expect(review.locator('[data-role="targets"] [data-testid="update-role-version"]')).toHaveText('new → 2');
  await expect(review.locator('[data-role="models"] [data-testid="update-role-version"]')).toHaveText('new → 1');
  await expect(review.locator('[data-role="models"] [data-testid="update-role-signed"]')).toHaveText(
    '1 of threshold 1',
  );
  const target = review.getByTestId('update-target');
  await expect(target).toHaveCount(1);
  await expect(target).toContainText(TEMPLATE_NAME);
  await expect(target.getByTestId('update-target-kind')).toHaveText('model template');
  await expect(target.getByTestId('update-target-result')).toHaveText('would be applied');
  await expect(target.locator(`[data-sha256="${sha256(template)}"]`)).toHaveText(sha256(template).slice(0, 12));
  await expect(page.getByTestId('update-lockout')).toHaveCount(0);
  await expect(page.getByTestId('update-verified-time')).toContainText('UTC');

  await page.getByTestId('update-apply').click();
  await page.getByRole('button', { name: 'Yes, apply' }).click();
  const applied = page.getByTestId('update-applied');
  await expect(applied).toContainText('Applied as update #1.');
  await expect(applied.getByTestId('update-target-result')).toHaveText('applied');
  await expect(page.getByTestId('update-review')).toHaveCount(0);
});

test('the history shows the update applied, its versions, and the template’s full SHA-256', async () => {
  const entry = page.getByTestId('update-history-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toHaveAttribute('data-state', 'applied');
  await expect(entry.getByTestId('update-history-versions')).toHaveText('root 1, timestamp 2, snapshot 2, targets 2');
  await expect(entry.getByTestId('update-history-sha256')).toHaveText(sha256(template));
});

test('the same bundle again changes nothing: its template is unchanged', async () => {
  await page.getByTestId('update-inspect-file').setInputFiles(bundleFile);
  const review = page.getByTestId('update-review');
  await expect(review.getByTestId('update-target-result')).toHaveText('unchanged');
  await expect(review.locator('[data-role="targets"] [data-testid="update-role-version"]')).toHaveText('2 (same)');
  await page.getByTestId('update-dismiss').click();
  await expect(page.getByTestId('update-review')).toHaveCount(0);
});

/**
 * The next bundle: a `trust` role signing a CRL from the card's issuer that revokes this
 * administrator's own card, so applying it would leave no administrator card that signs in.
 */
async function buildRevokingBundle() {
  const serial = new X509Certificate(workstation.card.certificates.authentication).serialNumber;
  const now = Date.now();
  const crl = await workstation.fixture.issueIntermediateCrl({
    revokedSerials: [Buffer.from(serial, 'hex')],
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + 30 * 86_400_000),
    number: 9000,
  });
  repo.delegate('targets', { name: 'trust', paths: ['trust/*'], terminating: true });
  repo.addTarget(CRL_NAME, crl, 'trust');
  const targets = repo.targets.get('trust')!.targets as Record<string, Record<string, unknown>>;
  targets[CRL_NAME]!.custom = { enclave: { type: 'crl' } };
  await repo.publish({ timestampExtra: { 'x-enclave-signed-at': new Date(now - 30_000).toISOString() } });
  const tree = join(media, 'tree-2');
  repo.writeTo(tree);
  await writeBundleTar(tree, revokingFile);
}

test('a bundle that would lock every administrator out warns, and Apply waits for the box to be ticked', async () => {
  await buildRevokingBundle();
  await page.getByTestId('update-inspect-file').setInputFiles(revokingFile);
  const review = page.getByTestId('update-review');
  await expect(review.getByTestId('update-target').filter({ hasText: CRL_NAME })).toContainText('CRL');
  const warning = page.getByTestId('update-lockout');
  await expect(warning).toContainText('Applying this bundle would lock out every administrator.');
  await expect(warning).toContainText('Only the recovery secret would give administration back.');
  const apply = page.getByTestId('update-apply');
  await expect(apply).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/updates-lockout-review.png`, fullPage: true });
  await page.getByLabel('I understand: apply even though no administrator card would sign in').check();
  await expect(apply).toBeEnabled();
  await page.getByLabel('I understand: apply even though no administrator card would sign in').uncheck();
  await expect(apply).toBeDisabled();
  await expect(review.getByTestId('update-apply-held')).toHaveText('Tick the box above to apply despite the lock-out.');
});

test('ticked, the lock-out is confirmed with the apply: the CRL is applied and the history says so', async () => {
  await page.getByLabel('I understand: apply even though no administrator card would sign in').check();
  await page.getByTestId('update-apply').click();
  await page.getByRole('button', { name: 'Yes, apply' }).click();
  await expect(page.getByTestId('update-applied')).toContainText('Applied as update #2.');
  const latest = page.getByTestId('update-history-entry').first();
  await expect(latest).toHaveAttribute('data-id', '2');
  await expect(latest).toHaveAttribute('data-state', 'applied');
  await page.screenshot({ path: `${SHOTS}/updates-applied-history.png`, fullPage: true });
  await expect(latest.getByTestId('update-history-target').filter({ hasText: CRL_NAME })).toContainText('applied');
});

test('no console errors, and no request left 127.0.0.1', async () => {
  expect(consoleProblems).toEqual([]);
  await expectNothingLeftLoopbackAndAttach(recorded, 10);
});
