import { expect, test, type Page } from '@playwright/test';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';

// Each reason a card is refused, as the person at the sign-in screen sees it (issue 6, item 7): one
// reader holding the enrolled card and six that must not get in, chosen from the card list.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
const consoleProblems: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({
    variant: 'valid-rsa',
    role: 'analyst',
    alsoInReader: ['expired', 'revoked', 'untrusted', 'card-auth-only', 'no-key-management', 'valid-ecc'],
  });
  recorded = await launchRecordedBrowser();
  host = await startCardHost(workstation);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await expect(page.getByTestId('card-select')).toBeVisible();
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

const cases = [
  ['expired', 'EXPIRED', 'The card’s certificate has expired.'],
  ['revoked', 'REVOKED', 'This card has been revoked.'],
  ['untrusted', 'UNTRUSTED_ISSUER', 'This card was issued by an authority this workstation does not trust.'],
  ['card-auth-only', 'WRONG_POLICY', 'This card’s certificate cannot be used to sign in.'],
  ['no-key-management', 'NO_KEY_MANAGEMENT', 'This card cannot unlock the workstation’s data.'],
  ['valid-ecc', 'NOT_ENROLLED', 'This card is not enrolled on this workstation.'],
] as const;

for (const [variant, reason, headline] of cases) {
  test(`the ${variant} card is refused with its reason in plain words (${reason}), and nothing opens`, async () => {
    const card = workstation.others.find((c) => c.variant === variant)!;
    await page.getByTestId('card-select').selectOption(card.serialNumber);
    const field = page.getByTestId('pin-input');
    await field.fill(card.pin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.getByTestId('login-refusal');
    await expect(refusal).toHaveAttribute('data-reason', reason);
    await expect(refusal).toContainText(headline);
    await expect(field).toHaveValue('');
    await expect(page.getByTestId('app-home')).toHaveCount(0);
    expect(await page.content()).not.toContain(card.pin);
    expect(await refusal.textContent()).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
  });
}

test('the enrolled card in the same reader still signs in', async () => {
  await page.getByTestId('card-select').selectOption(workstation.card.serialNumber);
  await page.getByTestId('pin-input').fill(workstation.card.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
  expect(consoleProblems).toEqual([]);
});

test('an analyst may not hand files over: the browser host refuses the upload with 403 before reading it', async () => {
  const answer = await page.evaluate(async () => {
    const response = await fetch('/upload?name=ca.pem', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: new Blob([new Uint8Array(4 * 1024 * 1024)]),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  });
  expect(answer).toMatchObject({ status: 403, body: { ok: false, error: { code: 'FORBIDDEN' } } });
});
