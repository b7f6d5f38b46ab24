import { expect, test, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { expectNothingLeftLoopbackAndAttach } from './support/netlog';
import { writePkiFiles } from '../support/pki-files';
import { identityStatus, serviceCall } from './support/rpc';
import { signInWithRecoverySecret } from './support/sign-in';

// First-run setup through the UI (renderer/features/setup): the real browser host over an empty
// data directory, a SoftHSM2 PIV card in the reader, Debian's Chromium, no mocks. One page walks
// the whole wizard, so the tests run in order.
test.describe.configure({ mode: 'serial' });

const SITE_NAME = 'Setup Test Site';
const SECRET_FORMAT = /^([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}$/;

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
let files: ReturnType<typeof writePkiFiles>;
/** Read off the screen at step (b), as the administrator writes it down. */
let secret = '';
const consoleProblems: string[] = [];

type Status = {
  setUp: boolean;
  unlocked: boolean;
  user: { id: number | null; displayName: string; role: string } | null;
};
const status = (target: Page) => identityStatus<Status>(target);
const dbPath = () => join(workstation.dataDir, 'enclave.db');
const siteConfig = () =>
  JSON.parse(readFileSync(join(workstation.dataDir, 'site-config.json'), 'utf8')) as {
    siteName?: string;
    systemHigh?: string;
  };
const wizard = () => page.getByTestId('setup-wizard');

/** A full-page screenshot kept as a test artifact (the secret in one is this run's throwaway test secret). */
async function attachScreenshot(name: string) {
  const testInfo = test.info();
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function openPage(): Promise<Page> {
  const opened = await recorded.newPage();
  recordConsoleProblems(opened, consoleProblems);
  await opened.goto(host.appUrl);
  await opened.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  return opened;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', store: false });
  files = writePkiFiles(workstation);
  [recorded, host] = await Promise.all([launchRecordedBrowser(), startCardHost(workstation)]);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

test('a workstation that has not been set up shows the setup wizard after consent, and nothing of the app', async () => {
  page = await openPage();
  await expect(wizard()).toBeVisible();
  await expect(wizard()).toHaveAttribute('data-step', 'site');
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '1. Site and system high' })).toBeVisible();
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  await expect(page.getByTestId('signin-screen')).toHaveCount(0);
  await expect(page.getByTestId('session-bar')).toHaveCount(0);
  await expect(page.getByTestId('banner-top')).toHaveText('UNCLASSIFIED');
  expect(await status(page)).toMatchObject({ setUp: false, unlocked: false, user: null });
  // What the app shows before setup is public: the service refuses the rest.
  expect(await serviceCall(page, 'setup.progress')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
});

test('the system high is checked by the service, and its refusal is shown in plain words', async () => {
  await page.getByLabel('Site name', { exact: true }).fill(SITE_NAME);
  await page.getByLabel('System high', { exact: true }).fill('SECERT');
  await page.getByRole('button', { name: 'Continue' }).click();
  const problem = page.getByTestId('setup-problem');
  await expect(problem).toHaveAttribute('data-code', 'INVALID_ARGUMENT');
  await expect(problem).toContainText('"SECERT" is not a valid system-high marking.');
  await expect(problem).toContainText('"SECERT" at 0: expected a classification');
  await expect(page.getByLabel('System high', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('body')).not.toContainText(/\bat \w+ \(|\.cjs:\d+/);
  await expect(page.getByTestId('recovery-secret')).toHaveCount(0);
  expect(existsSync(dbPath())).toBe(false);
});

test('the recovery secret is shown once, large and monospace, with the write-it-down note and no copy button', async () => {
  await page.getByLabel('System high', { exact: true }).fill('SECRET');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(wizard()).toHaveAttribute('data-step', 'secret');
  await expect(page.getByTestId('setup-review-site')).toHaveText(SITE_NAME);
  await expect(page.getByTestId('setup-review-system-high')).toHaveText('SECRET');
  const shown = page.getByTestId('recovery-secret');
  secret = (await shown.textContent()) ?? '';
  expect(secret).toMatch(SECRET_FORMAT);
  await expect(shown).toHaveCSS('font-family', /mono/i);
  expect(parseFloat(await shown.evaluate((element) => getComputedStyle(element).fontSize))).toBeGreaterThanOrEqual(24);
  const note = page.getByTestId('recovery-secret-note');
  await expect(note).toContainText('Write this down now, on paper. It is shown once and never again.');
  await expect(note).toContainText('unlocks this workstation’s data if every administrator card is lost');
  await expect(page.getByRole('button', { name: /copy|clipboard/i })).toHaveCount(0);
  await attachScreenshot('setup-recovery-secret');
  // Nothing is written before the secret is typed back.
  expect(existsSync(dbPath())).toBe(false);
  expect(await status(page)).toMatchObject({ setUp: false });
});

test('a wrong secret typed back is refused, and nothing is created', async () => {
  const last = secret.at(-1) === '0' ? '1' : '0';
  const wrong = `${secret.slice(0, -1)}${last}`;
  await page.getByLabel('Type the recovery secret back from what you wrote down').fill(wrong);
  await page.getByRole('button', { name: 'Confirm and create the store' }).click();
  const problem = page.getByTestId('setup-problem');
  await expect(problem).toContainText('That is not the recovery secret shown.');
  await expect(page.getByTestId('recovery-secret-typed')).toHaveValue('');
  await expect(page.getByTestId('recovery-secret')).toHaveText(secret);
  await expect(wizard()).toHaveAttribute('data-step', 'secret');
  expect(existsSync(dbPath())).toBe(false);
  expect(existsSync(`${dbPath()}.keys`)).toBe(false);
  expect(siteConfig()).toMatchObject({ siteName: 'Card Login Test Site' });
  expect(siteConfig().systemHigh).toBeUndefined();
  expect(await status(page)).toMatchObject({ setUp: false, unlocked: false });
  await expect(page.getByTestId('banner-top')).toHaveText('UNCLASSIFIED');
});

test('the right secret creates the store and signs in as administrator; the banner shows SECRET and the secret is gone', async () => {
  // As read off paper: case and dashes do not matter.
  await page
    .getByLabel('Type the recovery secret back from what you wrote down')
    .fill(secret.toLowerCase().replaceAll('-', ' '));
  await page.getByRole('button', { name: 'Confirm and create the store' }).click();
  await expect(wizard()).toHaveAttribute('data-step', 'trust');
  await expect(page.getByRole('heading', { name: '3. Trust anchors and CRLs' })).toBeVisible();
  for (const position of ['top', 'bottom']) await expect(page.getByTestId(`banner-${position}`)).toHaveText('SECRET');
  await expect(page.getByTestId('session-user')).toHaveText('Recovery secret');
  await expect(page.getByTestId('session-role')).toHaveText('admin');
  // The wizard is all there is: no way to the app or the admin page until setup is finished.
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  await expect(page.getByTestId('open-admin')).toHaveCount(0);
  const html = await page.content();
  expect(html).not.toContain(secret);
  expect(html).not.toContain(secret.replaceAll('-', ''));
  expect(existsSync(dbPath())).toBe(true);
  expect(siteConfig()).toMatchObject({ siteName: SITE_NAME, systemHigh: 'SECRET' });
  expect(await status(page)).toMatchObject({ setUp: true, unlocked: true, user: { id: null, role: 'admin' } });
  await expect(page).toHaveTitle(`${SITE_NAME} — Enclave`);
});

test('trust anchors and CRLs are imported from files: a bad file is refused by name, a duplicate is left alone', async () => {
  const next = page.getByRole('button', { name: 'Next: the administrator’s card' });
  await expect(next).toBeDisabled();
  await expect(page.getByTestId('anchors-empty')).toBeVisible();

  await page.getByTestId('import-anchors-files').setInputFiles([files.garbage, files.root]);
  await expect(page.getByTestId('anchors-problem')).toContainText('meeting-notes.pem:');
  await expect(page.getByTestId('anchors-problem')).toContainText('Nothing was imported.');
  await expect(page.getByTestId('anchors-empty')).toBeVisible();

  await page.getByTestId('import-anchors-files').setInputFiles([files.root, files.intermediate]);
  const added = page.getByTestId('anchors-added').getByRole('listitem');
  await expect(added).toHaveCount(2);
  await expect(added.nth(0)).toContainText('Enclave Test Root CA');
  await expect(added.nth(1)).toContainText('Enclave Test ID CA-1');
  await expect(page.getByTestId('anchors-problem')).toHaveCount(0);
  const anchors = page.getByTestId('anchor-row');
  await expect(anchors).toHaveCount(2);
  await expect(page.getByTestId('anchor-subject')).toContainText(['Enclave Test Root CA', 'Enclave Test ID CA-1']);
  await expect(page.getByTestId('anchor-kind')).toHaveText(['Root', 'Intermediate']);

  await page.getByTestId('import-anchors-files').setInputFiles(files.root);
  await expect(page.getByTestId('anchors-unchanged')).toContainText('Enclave Test Root CA');
  await expect(page.getByTestId('anchors-unchanged')).toContainText('already trusted');
  await expect(anchors).toHaveCount(2);

  await page.getByTestId('import-crls-files').setInputFiles([files.intermediateCrl, files.rootCrl]);
  await expect(page.getByTestId('crls-added').getByRole('listitem')).toHaveCount(2);
  const crls = page.getByTestId('crl-row');
  await expect(crls).toHaveCount(2);
  // The intermediate's CRL lists the fixture's revoked card.
  expect(
    Number(await crls.filter({ hasText: 'CN=Enclave Test ID CA-1' }).getByTestId('crl-revoked').textContent()),
  ).toBeGreaterThanOrEqual(1);
  await expect(next).toBeEnabled();
  await attachScreenshot('setup-trust');
});

test('closed midway: after a restart, a recovery-secret sign-in resumes the wizard at the trust step', async () => {
  await page.context().close();
  await host.stop();
  host = await startCardHost(workstation);
  page = await openPage();
  await expect(page.getByTestId('signin-screen')).toBeVisible();
  for (const position of ['top', 'bottom']) await expect(page.getByTestId(`banner-${position}`)).toHaveText('SECRET');
  await page.getByRole('button', { name: 'Use the recovery secret' }).click();
  await page
    .getByTestId('recovery-secret-input')
    .fill('0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000');
  await page.getByRole('button', { name: 'Sign in with the recovery secret' }).click();
  await expect(page.getByTestId('recovery-problem')).toContainText(
    'That recovery secret does not unlock this workstation.',
  );
  await expect(page.getByTestId('recovery-secret-input')).toHaveValue('');
  await signInWithRecoverySecret(page, secret);
  await expect(wizard()).toHaveAttribute('data-step', 'trust');
  await expect(page.getByTestId('anchor-row')).toHaveCount(2);
  await expect(page.getByTestId('crl-row')).toHaveCount(2);
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
});

test('the inserted card is enrolled as administrator, and Finish locks the workstation for its PIN', async () => {
  await page.getByRole('button', { name: 'Next: the administrator’s card' }).click();
  await expect(wizard()).toHaveAttribute('data-step', 'card');
  await expect(page.getByTestId('enroll-card-label')).toHaveText(workstation.card.tokenLabel);
  await expect(page.getByRole('button', { name: 'Next: finish' })).toBeDisabled();
  await page.getByRole('button', { name: 'Enroll this card as administrator' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(
    `Enrolled the card: ${workstation.card.commonName} was added as admin.`,
  );
  await expect(page.getByTestId('setup-admins')).toContainText(workstation.card.commonName);

  await page.getByRole('button', { name: 'Next: finish' }).click();
  await expect(wizard()).toHaveAttribute('data-step', 'finish');
  await expect(page.getByTestId('setup-summary-anchors')).toHaveText('2');
  await expect(page.getByTestId('setup-summary-admins')).toHaveText('1');
  await page.getByRole('button', { name: 'Finish setup and lock' }).click();

  const lockScreen = page.getByTestId('lock-screen');
  await expect(lockScreen).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Locked — insert your card and enter your PIN' })).toBeVisible();
  await expect(page.getByTestId('lock-reason')).toContainText('setup finished: sign in with your card');
  await expect(page.getByTestId('card-label')).toHaveText(workstation.card.tokenLabel);
  await expect(page.getByTestId('setup-wizard')).toHaveCount(0);
  await expect(page.getByTestId('session-bar')).toHaveCount(0);
  expect(await status(page)).toMatchObject({ setUp: true, unlocked: false, user: null });
});

test('the card and its PIN sign in as administrator, and the administration page lists the user, the anchors and the CRLs', async () => {
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(workstation.card.pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('session-user')).toHaveText(workstation.card.commonName);
  await expect(page.getByTestId('session-role')).toHaveText('admin');
  await expect(page.getByTestId('site-name')).toHaveText(SITE_NAME);
  await expect(page.getByTestId('banner-top')).toHaveText('SECRET');
  expect(await page.content()).not.toContain(workstation.card.pin);

  await page.getByTestId('open-admin').click();
  await expect(page.getByTestId('admin-screen')).toBeVisible();
  const user = page.getByTestId('user-row').filter({ hasText: workstation.card.commonName });
  await expect(user).toHaveCount(1);
  await expect(user).toHaveAttribute('data-role', 'admin');
  await expect(user.getByTestId('user-role')).toHaveValue('admin');
  await expect(user.getByTestId('user-cards')).toHaveText('1 card');
  await expect(user.getByTestId('user-status')).toHaveText('enabled');
  await expect(page.getByTestId('anchor-row')).toHaveCount(2);
  await expect(page.getByTestId('anchor-kind')).toHaveText(['Root', 'Intermediate']);
  await expect(page.getByTestId('crl-row')).toHaveCount(2);
  const progress = await serviceCall<{ completedAt: string | null }>(page, 'setup.progress');
  expect(progress.ok && progress.value.completedAt).toBeTruthy();
});

test('a screenshot of the administration page is kept as a test artifact', async () => {
  // Tall enough to show the whole page (the app scrolls inside its banners, not the page).
  await page.setViewportSize({ width: 1280, height: 1400 });
  await attachScreenshot('enclave-admin');
});

test('no console errors, and no request left 127.0.0.1', async () => {
  expect(consoleProblems).toEqual([]);
  await expectNothingLeftLoopbackAndAttach(recorded, 20);
});
