import { expect, test, type Page } from '@playwright/test';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { expectNothingLeftLoopbackAndAttach } from './support/netlog';
import { identityStatus } from './support/rpc';

// Card sign-in through the UI (issue 6, item 7): the real browser host over a data directory with
// an encrypted store and an enrolled SoftHSM2 PIV card, Debian's Chromium, no mocks.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
const consoleProblems: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst' });
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

interface IdentityStatus {
  unlocked: boolean;
  user: { displayName: string; role: string } | null;
  lastLock: { reason: string } | null;
}

async function enterPin(pin: string, button: 'Sign in' | 'Unlock') {
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(pin);
  await page.getByRole('button', { name: button }).click();
}

test('after consent, a workstation with a store asks for the card instead of showing the app', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  const signIn = page.getByTestId('signin-screen');
  await expect(signIn).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'card-present');
  await expect(page.getByTestId('card-label')).toHaveText(workstation.card.tokenLabel);
  const field = page.getByTestId('pin-input');
  await expect(field).toHaveAttribute('type', 'text');
  await expect(field).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  await expect(page.getByTestId('banner-top')).toHaveText('UNCLASSIFIED');
});

test('a wrong PIN is refused in plain words, the field is emptied, and nothing unlocks', async () => {
  const wrong = workstation.card.pin === '00000000' ? '11111111' : '00000000';
  await enterPin(wrong, 'Sign in');
  const refusal = page.getByTestId('login-refusal');
  await expect(refusal).toHaveAttribute('data-reason', 'WRONG_PIN');
  await expect(refusal).toContainText('Wrong PIN.');
  await expect(refusal).toContainText('The PIN is incorrect.');
  await expect(page.getByTestId('pin-input')).toHaveValue('');
  await expect(page.getByTestId('signin-screen')).toBeVisible();
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  expect(await page.content()).not.toContain(wrong);
  expect(await identityStatus<IdentityStatus>(page)).toMatchObject({ unlocked: false, user: null });
  // The card reports the wrong try (SoftHSM sets CKF_USER_PIN_COUNT_LOW).
  await expect(page.getByTestId('card-state')).toContainText('A wrong PIN was entered on this card before.');
});

test('the right PIN opens the app with the signed-in user’s name and role and a Lock button', async () => {
  await enterPin(workstation.card.pin, 'Sign in');
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('session-user')).toHaveText(workstation.card.commonName);
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
  await expect(page.getByTestId('lock-button')).toBeVisible();
  await expect(page.getByTestId('signin-screen')).toHaveCount(0);
  await expect(page.getByTestId('login-refusal')).toHaveCount(0);
  expect(await page.content()).not.toContain(workstation.card.pin);
  expect(await identityStatus<IdentityStatus>(page)).toMatchObject({
    unlocked: true,
    user: { displayName: workstation.card.commonName, role: 'analyst' },
  });
});

test('pulling the card locks the app within 2 s, and the PIN unlocks it again', async () => {
  const testInfo = test.info();
  // The page notes the moment the lock screen enters the DOM (same clock as the host's Date.now()),
  // so the figure does not include Playwright's own polling interval.
  await page.evaluate(() => {
    const w = window as unknown as { lockShownAt?: number };
    delete w.lockShownAt;
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="lock-screen"]')) {
        w.lockShownAt = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  const sent = Date.now();
  const pulled = await host.pullCard();
  const lockScreen = page.getByTestId('lock-screen');
  await expect(lockScreen).toBeVisible({ timeout: 5_000 });
  const shown = await page.evaluate(() => (window as unknown as { lockShownAt?: number }).lockShownAt ?? NaN);
  const lockMs = shown - pulled;
  expect(lockMs).toBeGreaterThanOrEqual(0);
  await testInfo.attach('card-removal-to-lock-screen', {
    contentType: 'application/json',
    body: JSON.stringify({
      removalToLockScreenMs: lockMs,
      signalToLockScreenMs: shown - sent,
      servicePollMs: 500,
      uiPollMs: 1000,
    }),
  });
  console.log(`card removal to lock screen: ${lockMs} ms`);
  expect(lockMs).toBeLessThan(2000);

  await expect(page.getByRole('heading', { name: 'Locked — insert your card and enter your PIN' })).toBeVisible();
  await expect(lockScreen).toHaveAttribute('data-reason', 'removal');
  await expect(page.getByTestId('lock-reason')).toContainText('The card was removed.');
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  await expect(page.getByTestId('session-bar')).toHaveCount(0);
  expect(await identityStatus<IdentityStatus>(page)).toMatchObject({
    unlocked: false,
    lastLock: { reason: 'removal' },
  });

  await enterPin(workstation.card.pin, 'Unlock');
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('session-user')).toHaveText(workstation.card.commonName);
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
});

test('the Lock button locks at once; the lock screen says so and the PIN unlocks', async () => {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-reason', 'manual');
  await expect(page.getByTestId('lock-reason')).toContainText('Locked by the user.');
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  await enterPin(workstation.card.pin, 'Unlock');
  await expect(page.getByTestId('app-home')).toBeVisible();
});

test('no console errors, and no request left 127.0.0.1', async () => {
  expect(consoleProblems).toEqual([]);
  await expectNothingLeftLoopbackAndAttach(recorded, 11);
});
