import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { serviceCall } from './support/rpc';
import { signInWithRecoverySecret } from './support/sign-in';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import type { PivUser } from '../support/fixtures/piv';

// The model library screen (renderer/features/library) through the real browser host, with SoftHSM2
// cards in one reader: DOE (valid-rsa) is an analyst who owns the models, ROE (valid-ecc) a second
// analyst (later a viewer) they share with, and the recovery-secret administrator a third user with
// no grant. Everything through the UI, except a version saved through the service (the editor is
// another screen) and the direct calls that show the service refuses what the UI hides.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
let owner: PivUser;
let other: PivUser;
const consoleProblems: string[] = [];
/** The duplicate, never shared. */
let copyId = 0;
const SHOTS = 'test-results/screenshots';

const v1 = {
  format: 'enclave-model/1',
  name: 'Bridge cost',
  marking: 'SECRET',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 }, marking: 'SECRET' },
    { name: 'materials', dist: { type: 'triangular', min: 50, mode: 60, max: 90 }, marking: 'UNCLASSIFIED' },
  ],
  correlations: [{ a: 'labour', b: 'materials', rank: 0.3 }],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
};
const v2 = {
  ...v1,
  inputs: [
    { ...v1.inputs[0], dist: { type: 'normal', mean: 100, sd: 15 } },
    v1.inputs[1],
    { name: 'risk', dist: { type: 'uniform', min: 0, max: 20 }, marking: 'UNCLASSIFIED' },
  ],
  correlations: [{ a: 'materials', b: 'labour', rank: 0.5 }],
  formulas: [{ name: 'total', expr: 'labour + materials + risk' }],
  outputs: ['total', 'labour'],
};
/** Three problems in one file: a negative sd, a triangular out of order, and a marking that is no marking. */
const broken = {
  ...v1,
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: -1 } },
    { name: 'materials', dist: { type: 'triangular', min: 90, mode: 60, max: 50 }, marking: 'SORTA SECRET' },
  ],
};

const asFile = (name: string, model: object) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(JSON.stringify(model)),
});
const row = (name: string) => page.getByTestId('model-row').filter({ has: page.getByText(name, { exact: true }) });
const modelId = async (name: string) => Number(await row(name).getAttribute('data-model-id'));

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst', alsoInReader: ['valid-ecc'] });
  owner = workstation.card;
  other = workstation.others[0]!;
  [recorded, host] = await Promise.all([launchRecordedBrowser(), startCardHost(workstation, { systemHigh: 'SECRET' })]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

/** Chooses the card in the reader and enters its PIN, as a person at the keyboard would. */
async function signIn(user: PivUser) {
  await expect(page.getByTestId('card-select')).toBeVisible();
  await page.getByTestId('card-select').selectOption(user.serialNumber);
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(user.pin);
  await field.press('Enter');
  await expect(page.getByTestId('session-user')).toHaveText(user.commonName);
}

async function lock() {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
}

/**
 * An upload as the page makes it (the session's cookie, the app's Origin), from the test rather than
 * the page, so the refusals it expects leave nothing in the page's console.
 */
async function upload(purpose: string) {
  const url = new URL(`/upload?name=m.json&purpose=${purpose}`, host.appUrl);
  const response = await page.context().request.post(url.toString(), {
    headers: { 'Content-Type': 'application/octet-stream', Origin: new URL(host.appUrl).origin },
    data: Buffer.from(JSON.stringify(v1)),
    failOnStatusCode: false,
  });
  return { status: response.status(), body: (await response.json()) as unknown };
}

async function openLibrary() {
  await page.getByTestId('home-open-library').click();
  await expect(page.getByTestId('library-screen')).toBeVisible();
}

test('the administrator (recovery secret) enrols the second card as an analyst; the library is on the home screen', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await signInWithRecoverySecret(page, workstation.recoverySecret!);
  await page.getByTestId('home-open-admin').click();
  await page.getByTestId('enroll-card-select').selectOption(other.serialNumber);
  await page.getByTestId('enroll-role').selectOption('analyst');
  await page.getByTestId('enroll-card').click();
  await expect(page.getByTestId('user-row').filter({ hasText: other.commonName })).toBeVisible();
  await page.getByTestId('admin-home').click();
  await expect(page.getByTestId('home-open-library')).toBeVisible();
  await lock();
});

test('an analyst imports: a broken file names every problem with its path at once; a good one is listed with its banner', async () => {
  await signIn(owner);
  await openLibrary();
  await expect(page.getByTestId('library-empty')).toContainText('No models yet');

  await page.getByTestId('library-import-files').setInputFiles(asFile('broken.json', broken));
  const problem = page.getByTestId('library-problem');
  await expect(problem).toContainText('broken.json is not a valid enclave-model/1 model: 3 problems');
  await expect(problem).toContainText('Nothing was imported.');
  const issues = page.getByTestId('library-problem-issues').getByRole('listitem');
  await expect(issues).toHaveCount(3);
  for (const path of ['inputs.labour.dist.sd', 'inputs.materials.dist', 'inputs.materials.marking'])
    await expect(page.getByTestId('library-problem-issues').getByText(path, { exact: true })).toBeVisible();
  expect(await problem.textContent()).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
  await page.screenshot({ path: `${SHOTS}/library-import-problems.png` });
  await expect(page.getByTestId('library-empty')).toBeVisible();

  // The host takes a model file from an analyst, and trust material, a bundle (an administrator's) or an unknown kind from no analyst.
  expect(await upload('models')).toMatchObject({ status: 200, body: { ok: true, value: { name: 'm.json' } } });
  expect(await upload('trust-anchors')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  expect(await upload('bundles')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  expect(await upload('no-such-kind')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_ARGUMENT' } } });

  await page.getByTestId('library-import-files').setInputFiles(asFile('bridge.json', v1));
  await expect(page.getByTestId('library-notice')).toHaveText('Imported “Bridge cost” from bridge.json.');
  await expect(page.getByTestId('library-problem')).toHaveCount(0);
  const bridge = row('Bridge cost');
  // A classified model without a release marking rolls up NOFORN; the banner in SECRET's red.
  await expect(bridge.getByTestId('model-banner')).toHaveText('SECRET//NOFORN');
  await expect(bridge.getByTestId('model-banner')).toHaveAttribute('data-level', 'SECRET');
  await expect(bridge.getByTestId('model-owner')).toHaveText(owner.commonName);
  await expect(bridge.getByTestId('model-versions')).toHaveText('1');
  await expect(bridge.getByTestId('model-access')).toHaveText('yours');
  await page.screenshot({ path: `${SHOTS}/library-list.png` });
});

test('rename with the keyboard, duplicate, search, move to the trash (asked first) and restore', async () => {
  await row('Bridge cost').getByTestId('model-rename').click();
  const input = page.getByTestId('rename-input');
  await expect(input).toBeFocused();
  await input.fill('Bridge cost FY27');
  await input.press('Enter');
  await expect(page.getByTestId('library-notice')).toHaveText('“Bridge cost” is now “Bridge cost FY27”.');
  await expect(row('Bridge cost FY27')).toBeVisible();

  await row('Bridge cost FY27').getByTestId('model-duplicate').click();
  await expect(row('Bridge cost FY27 (copy)')).toBeVisible();
  await expect(row('Bridge cost FY27 (copy)').getByTestId('model-access')).toHaveText('yours');
  copyId = await modelId('Bridge cost FY27 (copy)');

  await page.getByLabel('Search by name').fill('copy');
  await expect(page.getByTestId('model-row')).toHaveCount(1);
  await page.getByLabel('Search by name').fill('nothing like it');
  await expect(page.getByTestId('library-empty')).toHaveText('No model’s name matches the search.');
  await page.getByLabel('Search by name').fill('');
  await expect(page.getByTestId('model-row')).toHaveCount(2);

  const copy = row('Bridge cost FY27 (copy)');
  await copy.getByTestId('model-trash').click();
  await expect(copy.getByTestId('model-trash-confirm')).toContainText('It can be restored for 30 days');
  await copy.getByRole('button', { name: 'Yes, move to trash' }).click();
  await expect(page.getByTestId('library-notice')).toContainText('is in the trash');
  await expect(page.getByTestId('model-row')).toHaveCount(1);

  await page.getByTestId('library-view-trash').click();
  await expect(page.getByTestId('library-view-trash')).toHaveAttribute('aria-pressed', 'true');
  const trashed = row('Bridge cost FY27 (copy)');
  await expect(trashed.getByTestId('model-days-left')).toHaveText('30 days');
  await page.screenshot({ path: `${SHOTS}/library-trash.png` });
  await trashed.getByTestId('model-restore').click();
  await expect(page.getByTestId('library-notice')).toHaveText('“Bridge cost FY27 (copy)” is back in the library.');
  await expect(page.getByTestId('library-empty')).toHaveText('The trash is empty.');
  await page.getByTestId('library-view-library').click();
  await expect(page.getByTestId('model-row')).toHaveCount(2);
});

test('versions: listed with author, comment, banner and hash; two compared by group; an old one restored as new', async () => {
  const id = await modelId('Bridge cost FY27');
  // A save takes the document's name as the library's (the editor sends the name it shows).
  const model = { ...v2, name: 'Bridge cost FY27' };
  const saved = await serviceCall(page, 'models.save', { id, model, comment: 'risk added' });
  expect(saved.ok).toBe(true);
  await page.getByTestId('library-view-library').click();
  await expect(row('Bridge cost FY27').getByTestId('model-versions')).toHaveText('2');

  await row('Bridge cost FY27').getByTestId('model-show-versions').click();
  const panel = page.getByTestId('versions-panel');
  // The keyboard lands on the panel the button opened.
  await expect(panel.getByRole('heading', { name: 'Versions of “Bridge cost FY27”' })).toBeFocused();
  await expect(panel.getByTestId('version-row')).toHaveCount(2);
  await expect(panel.getByTestId('version-comment')).toHaveText(['risk added', 'Imported from bridge.json']);
  await expect(panel.getByTestId('version-row').first()).toContainText(owner.commonName);

  await expect(panel.getByTestId('diff-from')).toHaveValue('1');
  await expect(panel.getByTestId('diff-to')).toHaveValue('2');
  await panel.getByTestId('diff-show').click();
  const diff = page.getByTestId('version-diff');
  await expect(diff).toContainText('From version 1 to version 2');
  const change = (path: string) => diff.locator(`[data-testid="diff-change"][data-path="${path}"]`);
  await expect(change('inputs.risk')).toHaveAttribute('data-kind', 'added');
  await expect(change('inputs.labour.dist.sd')).toHaveAttribute('data-kind', 'changed');
  await expect(change('inputs.labour.dist.sd').getByRole('cell')).toHaveText([
    'Changed',
    'inputs.labour.dist.sd',
    '10',
    '15',
  ]);
  await expect(change('correlations.labour~materials.rank')).toBeVisible();
  await expect(diff.getByTestId('diff-group-inputs')).toContainText('Inputs (2)');
  await expect(diff.getByTestId('diff-group-correlations')).toBeVisible();
  await expect(diff.getByTestId('diff-group-formulas')).toContainText('labour + materials + risk');
  await expect(diff.getByTestId('diff-group-outputs')).toBeVisible();
  await diff.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/library-diff.png` });

  const first = panel.locator('[data-testid="version-row"][data-version="1"]');
  const firstHash = await first.getByTestId('version-hash').textContent();
  await first.getByTestId('version-restore').click();
  await page.getByTestId('restore-version-comment').fill('Back to the first cut');
  await page.getByRole('button', { name: 'Yes, restore version 1' }).click();
  await expect(page.getByTestId('library-notice')).toHaveText(
    'Version 1 of “Bridge cost FY27” is saved again as version 3.',
  );
  await expect(panel.getByTestId('version-row')).toHaveCount(3);
  const third = panel.locator('[data-testid="version-row"][data-version="3"]');
  await expect(third.getByTestId('version-comment')).toHaveText('Back to the first cut');
  await expect(row('Bridge cost FY27').getByTestId('model-versions')).toHaveText('3');
  // Version 1's content under the library's name: it was renamed since, so the name is the one
  // difference (and the hash differs by it).
  await expect(third.getByTestId('version-hash')).not.toHaveText(firstHash!);
  await panel.getByTestId('diff-from').selectOption('1');
  await panel.getByTestId('diff-to').selectOption('3');
  await panel.getByTestId('diff-show').click();
  await expect(diff).toContainText('From version 1 to version 3');
  await expect(diff.getByTestId('diff-change').getByRole('cell')).toHaveText([
    'Changed',
    'name',
    'Bridge cost',
    'Bridge cost FY27',
  ]);
});

test('export downloads the file the service names, the library’s name and the banner’s parts inside', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row('Bridge cost FY27').getByTestId('model-export').click(),
  ]);
  expect(download.suggestedFilename()).toBe('Bridge cost FY27.enclave-model.json');
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as typeof v1;
  expect(exported).toMatchObject({ format: 'enclave-model/1', name: 'Bridge cost FY27', marking: 'SECRET' });
  expect(exported.inputs.map((i) => i.name)).toEqual(['labour', 'materials']);
  await expect(page.getByTestId('library-notice')).toHaveText(
    'Exported “Bridge cost FY27” (SECRET//NOFORN) as Bridge cost FY27.enclave-model.json.',
  );
});

test('the owner shares with a user to read; the list of grants shows it and a grant is removed again', async () => {
  await row('Bridge cost FY27').getByTestId('model-share').click();
  const panel = page.getByTestId('share-panel');
  await expect(panel.getByTestId('share-none')).toBeVisible();
  // The owner is not offered; the other enabled user and the three roles are.
  await expect(panel.getByTestId('share-who').locator('option')).toHaveText([
    'Choose a user or a role…',
    `${other.commonName} (analyst)`,
    'viewer',
    'analyst',
    'admin',
  ]);
  await panel.getByLabel('Share with').selectOption({ label: 'viewer' });
  await panel.getByTestId('share-add').click();
  await expect(panel.getByTestId('share-grant')).toHaveText(['everyone with the role viewer — may readRemove']);
  await panel.getByRole('button', { name: 'Stop sharing with everyone with the role viewer' }).click();
  await expect(panel.getByTestId('share-none')).toBeVisible();

  await panel.getByLabel('Share with').selectOption({ label: `${other.commonName} (analyst)` });
  await panel.getByLabel('to', { exact: true }).selectOption('read');
  await panel.getByTestId('share-add').click();
  await expect(panel.getByTestId('share-grant')).toContainText([`${other.commonName} (analyst) — may read`]);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/library-share.png` });
  await lock();
});

test('the user shared with reads it (versions, export) and cannot change it; the unshared copy is neither listed nor opened', async () => {
  await signIn(other);
  await openLibrary();
  await expect(page.getByTestId('model-row')).toHaveCount(1);
  const shared = row('Bridge cost FY27');
  await expect(shared.getByTestId('model-access')).toHaveText('shared to read');
  await expect(shared.getByTestId('model-owner')).toHaveText(owner.commonName);
  for (const hidden of ['model-rename', 'model-share', 'model-trash'])
    await expect(shared.getByTestId(hidden)).toHaveCount(0);
  for (const shown of ['model-show-versions', 'model-duplicate', 'model-export', 'model-run'])
    await expect(shared.getByTestId(shown)).toBeVisible();
  await shared.getByTestId('model-show-versions').click();
  await expect(page.getByTestId('version-row')).toHaveCount(3);
  // Read access: no Restore column.
  await expect(page.getByTestId('version-restore')).toHaveCount(0);

  // The service refuses what the screen does not offer.
  const id = await modelId('Bridge cost FY27');
  expect(await serviceCall(page, 'models.save', { id, model: v2 })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN', message: '"Bridge cost FY27" is shared with you to read, not to change.' },
  });
  expect(await serviceCall(page, 'models.open', { id: copyId })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN', message: `There is no model ${copyId} that you may see.` },
  });

  // Run hands the model to the run screen.
  await shared.getByTestId('model-run').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await lock();
});

test('a third user, the administrator without a grant, sees it managed and cannot open it; the second card becomes a viewer', async () => {
  await signInWithRecoverySecret(page, workstation.recoverySecret!);
  await openLibrary();
  const shared = row('Bridge cost FY27');
  await expect(shared.getByTestId('model-access')).toHaveText('managed (not shared with you)');
  for (const hidden of ['model-show-versions', 'model-export', 'model-share', 'model-rename', 'model-duplicate'])
    await expect(shared.getByTestId(hidden)).toHaveCount(0);
  await expect(shared.getByTestId('model-trash')).toBeVisible();
  const id = await modelId('Bridge cost FY27');
  const opened = await serviceCall(page, 'models.open', { id });
  expect(opened).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN', message: expect.stringMatching(/is not shared with you/) },
  });

  await page.getByTestId('home-button').click();
  await page.getByTestId('home-open-admin').click();
  const user = page.getByTestId('user-row').filter({ hasText: other.commonName });
  await user.getByTestId('user-role').selectOption('viewer');
  await expect(user.getByTestId('user-role')).toHaveValue('viewer');
  await lock();
});

test('a viewer sees the library read-only: versions and differences, nothing to change, run or export', async () => {
  await signIn(other);
  await expect(page.getByTestId('session-role')).toHaveText('viewer');
  await openLibrary();
  for (const hidden of ['library-new', 'library-import-files', 'library-import-dialog'])
    await expect(page.getByTestId(hidden)).toHaveCount(0);
  const shared = row('Bridge cost FY27');
  for (const hidden of ['model-rename', 'model-share', 'model-trash', 'model-duplicate', 'model-export', 'model-run'])
    await expect(shared.getByTestId(hidden)).toHaveCount(0);
  await shared.getByTestId('model-show-versions').click();
  await page.getByTestId('diff-from').selectOption('2');
  await page.getByTestId('diff-to').selectOption('3');
  await page.getByTestId('diff-show').click();
  await expect(
    page.getByTestId('version-diff').locator('[data-testid="diff-change"][data-path="inputs.risk"]'),
  ).toHaveAttribute('data-kind', 'removed');
  await page.getByTestId('version-diff').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/library-viewer.png` });

  // The host takes no model file from a viewer, and the service exports nothing to one.
  expect(await upload('models')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  const id = await modelId('Bridge cost FY27');
  expect(await serviceCall(page, 'models.exportFile', { id })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(consoleProblems).toEqual([]);
});
