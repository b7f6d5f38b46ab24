import { expect, test, type Page } from '@playwright/test';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import type { RunningHost } from '../support/host-process';
import { expectNothingLeftLoopbackAndAttach } from './support/netlog';
import { identityStatus } from './support/rpc';
import { createOpenscWorkstation, startOpenscHost, type OpenscWorkstation } from '../support/opensc-workstation';

// Card sign-in through the UI on real PC/SC (issue 7): the browser host loads OpenSC's
// opensc-pkcs11.so, which talks to pcscd and the emulated PIV card (tests/support/fixtures/pcsc); the card
// goes in and out of the reader as a person would do it. Debian's Chromium, no mocks.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: OpenscWorkstation;
let host: RunningHost;
let page: Page;
const consoleProblems: string[] = [];
/** Every PIN typed in this file, right or wrong: none may appear in the page. */
const typedPins = new Set<string>();

const VERIFY = 0x20;
/** Another well-formed 8-digit PIN. */
const wrongPin = (pin: string, n = 1) => String((Number(pin) + n) % 100_000_000).padStart(8, '0');

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createOpenscWorkstation({ role: 'analyst' });
  recorded = await launchRecordedBrowser();
  host = await startOpenscHost(workstation);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  await workstation?.cleanup();
});

interface IdentityStatus {
  unlocked: boolean;
  user: { displayName: string; role: string } | null;
  lastLock: { reason: string; detail: string } | null;
  lastUnlockMs: number | null;
  card: {
    state: string;
    cards?: { label: string; serialNumber: string; pin: { countLow: boolean; finalTry: boolean; locked: boolean } }[];
  };
}

/**
 * Notes (in the page, on the clock Date.now() shares with this process) the moment an element
 * with this test id enters the DOM, so timings do not include Playwright's polling interval.
 */
async function noteWhenShown(testId: string): Promise<void> {
  await page.evaluate((id) => {
    const w = window as unknown as { shownAt?: Record<string, number> };
    w.shownAt = { ...w.shownAt };
    delete w.shownAt[id];
    const seen = () => {
      if (!document.querySelector(`[data-testid="${id}"]`)) return false;
      w.shownAt![id] = Date.now();
      return true;
    };
    const observer = new MutationObserver(() => seen() && observer.disconnect());
    observer.observe(document.body, { childList: true, subtree: true });
  }, testId);
}

const shownAt = (testId: string) =>
  page.evaluate((id) => (window as unknown as { shownAt?: Record<string, number> }).shownAt?.[id] ?? NaN, testId);

async function enterPin(pin: string, button: 'Sign in' | 'Unlock'): Promise<number> {
  typedPins.add(pin);
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(pin);
  const submitted = Date.now();
  await page.getByRole('button', { name: button }).click();
  return submitted;
}

/**
 * Enters a PIN that will be refused and returns the refusal the service gave for it: the refusal
 * already on screen (if any) is marked first, so that an answer with the same reason as the last
 * one is not mistaken for it (the form removes the old refusal when the PIN is submitted).
 */
async function refusalFor(pin: string, button: 'Sign in' | 'Unlock') {
  await page.evaluate(() => document.querySelector('[data-testid="login-refusal"]')?.setAttribute('data-answered', ''));
  await enterPin(pin, button);
  const refusal = page.locator('[data-testid="login-refusal"]:not([data-answered])');
  await expect(refusal).toBeVisible();
  return refusal;
}

async function expectNoPinInPage(): Promise<void> {
  const content = await page.content();
  for (const pin of typedPins) expect(content).not.toContain(pin);
}

/** Waits until the UI shows the card (its status poll is 1 s) and the PIN field takes input. */
async function expectCardShown(label: string): Promise<void> {
  const cardState = page.getByTestId('card-state');
  await expect(cardState).toHaveAttribute('data-state', 'card-present');
  await expect(page.getByTestId('card-label')).toHaveText(label);
  await expect(page.getByTestId('pin-input')).toBeEnabled();
}

/** The right PIN, from the moment it is submitted to the home screen; with the service's own unlock time. */
async function loginAndMeasure(button: 'Sign in' | 'Unlock', label: string): Promise<void> {
  await noteWhenShown('app-home');
  const submitted = await enterPin(workstation.cards.enrolled.pin, button);
  await expect(page.getByTestId('app-home')).toBeVisible();
  const shown = await shownAt('app-home');
  const status = await identityStatus<IdentityStatus>(page);
  expect(status).toMatchObject({
    unlocked: true,
    user: { displayName: workstation.cards.enrolled.commonName, role: 'analyst' },
  });
  const timing = { pinSubmittedToHomeMs: shown - submitted, serviceUnlockMs: status.lastUnlockMs };
  await test.info().attach(`${label}-timing`, { contentType: 'application/json', body: JSON.stringify(timing) });
  console.info(
    `[opensc-login e2e] ${label}: PIN submitted → home screen ${timing.pinSubmittedToHomeMs} ms (service unlock ${timing.serviceUnlockMs} ms)`,
  );
}

test('after consent, with the reader empty, the sign-in screen asks for the card and takes no PIN', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await expect(page.getByTestId('signin-screen')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const cardState = page.getByTestId('card-state');
  await expect(cardState).toHaveAttribute('data-state', 'no-card');
  await expect(cardState).toHaveText('Insert your card.');
  await expect(page.getByTestId('pin-input')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  await expect(page.getByTestId('app-home')).toHaveCount(0);
});

test('the enrolled card put in the reader shows on the screen by its holder’s name, and the PIN field opens', async () => {
  await workstation.reader.insertCard();
  await expectCardShown(workstation.cards.enrolled.commonName);
  const field = page.getByTestId('pin-input');
  await expect(field).toHaveAttribute('type', 'text');
  await expect(field).toHaveAttribute('autocomplete', 'one-time-code');
  // OpenSC reports no PIN warning for a card with all its tries.
  await expect(page.getByTestId('card-state')).toHaveText(`Card: ${workstation.cards.enrolled.commonName}`);
});

test('a wrong PIN is refused in plain words; with two tries left OpenSC reports no warning, and the UI shows none', async () => {
  const wrong = wrongPin(workstation.cards.enrolled.pin);
  const refusal = await refusalFor(wrong, 'Sign in');
  await expect(refusal).toHaveAttribute('data-reason', 'WRONG_PIN');
  await expect(refusal).toContainText('Wrong PIN.');
  await expect(refusal).toContainText('The PIN is incorrect.');
  await expect(refusal.locator('.refusal__note')).toHaveCount(0);
  await expect(page.getByTestId('pin-input')).toHaveValue('');
  await expect(page.getByTestId('signin-screen')).toBeVisible();
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  expect((await workstation.reader.cardState())?.triesLeft).toBe(2);
  // OpenSC 0.23 knows no maximum for a PIV PIN: no count-low, and final-try only at one try left.
  const status = await identityStatus<IdentityStatus>(page);
  expect(status).toMatchObject({
    unlocked: false,
    user: null,
    card: { state: 'card-present', cards: [{ pin: { countLow: false, finalTry: false, locked: false } }] },
  });
  await page.waitForTimeout(1_200); // one UI status poll after the refusal
  await expect(page.getByTestId('card-state')).toHaveText(`Card: ${workstation.cards.enrolled.commonName}`);
  await expectNoPinInPage();
});

test('the right PIN opens the home screen as the enrolled analyst', async () => {
  await loginAndMeasure('Sign in', 'first-sign-in');
  await expect(page.getByTestId('session-user')).toHaveText(workstation.cards.enrolled.commonName);
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
  await expect(page.getByTestId('lock-button')).toBeVisible();
  await expect(page.getByTestId('signin-screen')).toHaveCount(0);
  await expect(page.getByTestId('login-refusal')).toHaveCount(0);
  expect((await workstation.reader.cardState())?.triesLeft).toBe(3);
  await expectNoPinInPage();
});

test('taking the card out of the reader locks the app within 2 s; the card back in and its PIN unlock it', async () => {
  await noteWhenShown('lock-screen');
  const pulled = Date.now();
  await workstation.reader.removeCard();
  const removed = Date.now();
  const lockScreen = page.getByTestId('lock-screen');
  await expect(lockScreen).toBeVisible({ timeout: 5_000 });
  const lockMs = (await shownAt('lock-screen')) - pulled;
  const status = await identityStatus<IdentityStatus>(page);
  const timing = {
    removalToLockScreenMs: lockMs,
    removeCardCallMs: removed - pulled,
    lockDetail: status.lastLock?.detail,
    pcscdPollMs: 400,
    servicePollMs: 500,
    uiPollMs: 1000,
  };
  await test
    .info()
    .attach('card-removal-to-lock-screen', { contentType: 'application/json', body: JSON.stringify(timing) });
  console.info(
    `[opensc-login e2e] card removed → lock screen ${lockMs} ms (removeCard() returned after ${timing.removeCardCallMs} ms; ${timing.lockDetail})`,
  );
  expect(lockMs).toBeGreaterThanOrEqual(0);
  expect(lockMs).toBeLessThan(2000);

  await expect(page.getByRole('heading', { name: 'Locked — insert your card and enter your PIN' })).toBeVisible();
  await expect(lockScreen).toHaveAttribute('data-reason', 'removal');
  await expect(page.getByTestId('lock-reason')).toContainText('The card was removed.');
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  await expect(page.getByTestId('session-bar')).toHaveCount(0);
  expect(status).toMatchObject({ unlocked: false, user: null, lastLock: { reason: 'removal' } });
  await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'no-card');
  await expect(page.getByTestId('pin-input')).toBeDisabled();

  await workstation.reader.insertCard();
  await expectCardShown(workstation.cards.enrolled.commonName);
  await loginAndMeasure('Unlock', 'unlock-after-reinsertion');
  await expect(page.getByTestId('session-user')).toHaveText(workstation.cards.enrolled.commonName);
  await expect(page.getByTestId('pin-input')).toHaveCount(0);
  await expectNoPinInPage();
});

test('another holder’s valid card that was never enrolled is refused as not enrolled, even with its right PIN', async () => {
  await workstation.reader.removeCard();
  await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-reason', 'removal');
  const other = workstation.cards.unenrolled;
  await workstation.reader.insertCard(other);
  await expectCardShown(other.commonName);
  const refusal = await refusalFor(other.pin, 'Unlock');
  await expect(refusal).toHaveAttribute('data-reason', 'NOT_ENROLLED');
  await expect(refusal).toContainText('This card is not enrolled on this workstation.');
  await expect(refusal).toContainText('An administrator must enroll it before it can sign in.');
  expect(await refusal.textContent()).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
  await expect(page.getByTestId('pin-input')).toHaveValue('');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  expect(await identityStatus<IdentityStatus>(page)).toMatchObject({ unlocked: false, user: null });
  await expectNoPinInPage();
});

test('on a fresh card, two wrong PINs bring the one-try warning, a third locks the card, and then the right PIN is refused as locked', async () => {
  await workstation.reader.removeCard();
  const card = workstation.cards.enrolled;
  await workstation.reader.insertCard(card, { pinTries: 3 });
  await expectCardShown(card.commonName);
  const cardState = page.getByTestId('card-state');

  let refusal = await refusalFor(wrongPin(card.pin, 1), 'Unlock');
  await expect(refusal).toHaveAttribute('data-reason', 'WRONG_PIN');
  await expect(refusal.locator('.refusal__note')).toHaveCount(0);

  refusal = await refusalFor(wrongPin(card.pin, 2), 'Unlock');
  await expect(refusal).toHaveAttribute('data-reason', 'WRONG_PIN');
  await expect(refusal).toContainText('Wrong PIN.');
  await expect(refusal.locator('.refusal__note')).toHaveText('One try is left: a further wrong PIN locks the card.');
  await expect(cardState).toContainText('One PIN try is left on this card.');
  expect((await workstation.reader.cardState())?.triesLeft).toBe(1);

  refusal = await refusalFor(wrongPin(card.pin, 3), 'Unlock');
  await expect(refusal).toHaveAttribute('data-reason', 'PIN_LOCKED');
  await expect(refusal).toContainText('The card’s PIN is locked.');
  await expect(refusal.locator('.refusal__note')).toHaveText(
    'The card is now locked: it must be unblocked at a card office (RAPIDS/ID office).',
  );
  await expect(cardState).toContainText('This card’s PIN is locked: it must be unblocked at a card office.');
  await expect(cardState).not.toContainText('One PIN try is left');
  expect((await workstation.reader.cardState())?.triesLeft).toBe(0);

  // The right PIN now: refused as locked, and the card never sees it (its counter stays at 0).
  const before = await workstation.reader.cardState();
  refusal = await refusalFor(card.pin, 'Unlock');
  await expect(refusal).toHaveAttribute('data-reason', 'PIN_LOCKED');
  await expect(refusal).toContainText('The card’s PIN is locked.');
  await expect(refusal).toContainText('card office');
  const after = await workstation.reader.cardState();
  expect(after).toMatchObject({ triesLeft: 0, verified: false });
  // Status polls may ask the PIN status (VERIFY with no data); no VERIFY carrying a PIN reached the card.
  const verifiesWithPin = (after?.log ?? [])
    .slice(before?.log.length ?? 0)
    .filter((e) => e.ins === VERIFY && e.dataLength > 0);
  expect(verifiesWithPin).toEqual([]);
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  expect(await identityStatus<IdentityStatus>(page)).toMatchObject({
    unlocked: false,
    user: null,
    card: { cards: [{ pin: { locked: true } }] },
  });
  await expectNoPinInPage();
});

test('no console errors, and no request left 127.0.0.1', async () => {
  expect(consoleProblems).toEqual([]);
  await expectNothingLeftLoopbackAndAttach(recorded, 11);
});
