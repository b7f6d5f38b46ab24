import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { identityStatus, serviceCall } from './support/rpc';

// A card taken out the hard way: its token leaves SoftHSM's reader (the token's folder moved away),
// and the module answers CKR_GENERAL_ERROR from then on, even once the card is back, until it is
// initialised again. The lock screen says what happened and what to do, in plain words, and the
// card put back signs in without a restart. The real browser host and Debian's Chromium.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
let tokenDir = '';
let awayDir = '';
const consoleProblems: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst' });
  const tokens = join(workstation.fixture.dir, 'reader', 'tokens');
  const folder = readdirSync(tokens).find((name) =>
    readFileSync(join(tokens, name, 'token.object')).includes(Buffer.from(workstation.card.tokenLabel)),
  )!;
  tokenDir = join(tokens, folder);
  awayDir = join(workstation.fixture.dir, 'reader', 'out-of-the-reader');
  recorded = await launchRecordedBrowser();
  host = await startCardHost(workstation);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

async function unlockWithPin(button: 'Sign in' | 'Unlock') {
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(workstation.card.pin);
  await page.getByRole('button', { name: button }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
}

test('signed in with the card', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await unlockWithPin('Sign in');
});

test('the card taken out locks the app; the lock screen says what happened and what to do, in plain words', async () => {
  renameSync(tokenDir, awayDir);
  const lockScreen = page.getByTestId('lock-screen');
  await expect(lockScreen).toBeVisible({ timeout: 5_000 });
  await expect(lockScreen).toHaveAttribute('data-reason', 'removal');
  // The service answers identity.status (no INTERNAL failure), and the screen has no developer text.
  const status = await serviceCall(page, 'identity.status');
  expect(status).toMatchObject({ ok: true, value: { unlocked: false } });
  await page.waitForTimeout(2_500); // several of the service's and the screen's looks at the reader
  const text = (await lockScreen.textContent()) ?? '';
  expect(text).not.toMatch(/failed unexpectedly|service log|identity\.status/);
  await expect(page.getByTestId('login-problem')).toHaveCount(0);
  await expect(page.getByTestId('card-state')).toContainText(/Insert your card|card reader/);
  await expect(page.getByTestId('pin-input')).toBeDisabled();
});

test('the card put back is found and its PIN unlocks, without a restart', async () => {
  renameSync(awayDir, tokenDir);
  await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'card-present', { timeout: 10_000 });
  await unlockWithPin('Unlock');
  expect(await identityStatus(page)).toMatchObject({ unlocked: true, user: { role: 'analyst' } });
});

test('no console errors', async () => {
  expect(consoleProblems).toEqual([]);
});
