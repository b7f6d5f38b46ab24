import { expect, test, type Page } from '@playwright/test';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { expectNothingLeftLoopbackAndAttach } from './support/netlog';
import { writePkiFiles } from '../support/pki-files';
import { serviceCall } from './support/rpc';
import { signInWithRecoverySecret } from './support/sign-in';

// The Administration page (renderer/features/admin) through the real browser host: a set-up
// workstation whose one enrolled card (in the reader) belongs to an analyst. The analyst signs in
// with the card; the administrator is the recovery secret, the way in when no admin card works.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
let files: ReturnType<typeof writePkiFiles>;
const consoleProblems: string[] = [];

const userRow = () => page.getByTestId('user-row').filter({ hasText: workstation.card.commonName });
const intermediateCrl = () => page.getByTestId('crl-row').filter({ hasText: 'CN=Enclave Test ID CA-1' });

async function loginWithCard(button: 'Sign in' | 'Unlock') {
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(workstation.card.pin);
  await page.getByRole('button', { name: button }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
}

async function expectNoWayToAdministration() {
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('open-admin')).toHaveCount(0);
  await expect(page.getByTestId('home-open-admin')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Administration/ })).toHaveCount(0);
  await expect(page.getByTestId('admin-screen')).toHaveCount(0);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst' });
  files = writePkiFiles(workstation);
  [recorded, host] = await Promise.all([launchRecordedBrowser(), startCardHost(workstation)]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

test('an analyst signed in with a card sees no way to the administration page, and the service refuses it anyway', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await loginWithCard('Sign in');
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
  await expectNoWayToAdministration();
  for (const channel of ['identity.users', 'trust.list', 'setup.progress']) {
    const refused = await serviceCall(page, channel);
    expect(refused, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!refused.ok) expect(refused.error.message).toContain('you are signed in as');
  }
});

test('on the lock screen, a wrong recovery secret is refused and the right one signs in as administrator', async () => {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await page.getByRole('button', { name: 'Use the recovery secret' }).click();
  const field = page.getByTestId('recovery-secret-input');
  await expect(field).toHaveAttribute('type', 'text');
  await expect(field).toHaveAttribute('autocomplete', 'one-time-code');
  await field.fill('not the secret');
  await page.getByRole('button', { name: 'Sign in with the recovery secret' }).click();
  await expect(page.getByTestId('recovery-problem')).toContainText(
    'That recovery secret does not unlock this workstation.',
  );
  await expect(field).toHaveValue('');
  await expect(page.getByTestId('lock-screen')).toBeVisible();

  await signInWithRecoverySecret(page, workstation.recoverySecret!);
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('session-user')).toHaveText('Recovery secret');
  await expect(page.getByTestId('session-role')).toHaveText('admin');
  await expect(page.getByTestId('open-admin')).toBeVisible();
  await expect(page.getByTestId('home-open-admin')).toBeVisible();
  expect(await page.content()).not.toContain(workstation.recoverySecret!);
});

test('the administration page lists the user with role and card, the trust anchors and the CRLs', async () => {
  await page.getByRole('button', { name: 'Open administration' }).click();
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  await expect(userRow()).toHaveCount(1);
  await expect(userRow()).toHaveAttribute('data-role', 'analyst');
  await expect(userRow().getByTestId('user-role')).toHaveValue('analyst');
  await expect(userRow().getByTestId('user-cards')).toHaveText('1 card');
  await expect(userRow().getByTestId('user-status')).toHaveText('enabled');
  await expect(page.getByTestId('anchor-subject')).toContainText(['Enclave Test Root CA', 'Enclave Test ID CA-1']);
  await expect(page.getByTestId('anchor-kind')).toHaveText(['Root', 'Intermediate']);
  await expect(page.getByTestId('crl-row')).toHaveCount(2);
  await expect(page.getByTestId('enroll-card-label')).toHaveText(workstation.card.tokenLabel);
  // The session bar does not offer the page it is already on.
  await expect(page.getByTestId('open-admin')).toHaveCount(0);
});

test('an administrator changes a role and sees it in the list', async () => {
  await userRow().getByLabel(`Role of ${workstation.card.commonName}`).selectOption('viewer');
  await expect(page.getByTestId('users-notice')).toHaveText(`${workstation.card.commonName} is now viewer.`);
  await expect(userRow()).toHaveAttribute('data-role', 'viewer');
  await expect(userRow().getByTestId('user-role')).toHaveValue('viewer');
  // Read again from the service, not just the page's copy.
  await page.getByRole('button', { name: 'Back to home' }).click();
  await page.getByTestId('open-admin').click();
  await expect(userRow().getByTestId('user-role')).toHaveValue('viewer');
});

test('the audit log on the administration page shows the role change and the analyst’s refused calls, and checks intact', async () => {
  const audit = page.getByTestId('admin-audit');
  const roleChange = audit.locator('[data-testid="audit-row"][data-event="role.change"]').first();
  await expect(roleChange.getByTestId('audit-detail')).toHaveText('from: analyst · to: viewer');
  await expect(
    audit.locator('[data-testid="audit-row"][data-event="access.denied"][data-outcome="denied"]').first(),
  ).toBeVisible();
  await audit.getByTestId('audit-verify').click();
  await expect(audit.getByTestId('audit-check')).toHaveAttribute('data-ok', 'true');
  await expect(audit.getByTestId('audit-check')).toContainText('intact');
});

test('an administrator disables and enables a user', async () => {
  await userRow().getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByTestId('users-notice')).toContainText('is disabled: their card is refused at sign-in.');
  await expect(userRow()).toHaveAttribute('data-disabled', 'true');
  await expect(userRow().getByTestId('user-status')).toContainText('disabled');
  await userRow().getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(`${workstation.card.commonName} is enabled again.`);
  await expect(userRow()).toHaveAttribute('data-disabled', 'false');
  await expect(userRow().getByTestId('user-status')).toHaveText('enabled');
});

test('removing a card asks first; the inserted card is enrolled again with the role chosen', async () => {
  await userRow().getByRole('button', { name: 'Remove card' }).click();
  await expect(userRow().getByTestId('remove-card-confirm')).toContainText('It will no longer open this workstation.');
  await userRow().getByRole('button', { name: 'Cancel' }).click();
  await expect(userRow().getByTestId('user-cards')).toHaveText('1 card');
  await userRow().getByRole('button', { name: 'Remove card' }).click();
  await userRow().getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByTestId('users-notice')).toContainText('it no longer opens this workstation');
  await expect(userRow().getByTestId('user-cards')).toHaveText('none');

  await page.getByTestId('enroll-role').selectOption('viewer');
  await page.getByRole('button', { name: 'Enroll this card as viewer' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(
    `Enrolled the card for ${workstation.card.commonName}, now viewer.`,
  );
  await expect(userRow().getByTestId('user-cards')).toHaveText('1 card');
  await expect(userRow().getByTestId('user-role')).toHaveValue('viewer');
  await expect(page.getByTestId('user-row')).toHaveCount(1);
});

test('removing a CRL asks first, a file that is no CRL is refused by name, and the CRL imports again', async () => {
  await intermediateCrl().getByRole('button', { name: 'Remove' }).click();
  await expect(intermediateCrl().getByTestId('remove-crl-confirm')).toContainText('Remove this CRL?');
  await intermediateCrl().getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('crl-row')).toHaveCount(2);
  await intermediateCrl().getByRole('button', { name: 'Remove' }).click();
  await intermediateCrl().getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByTestId('crl-row')).toHaveCount(1);
  await expect(page.getByTestId('crls-removed')).toContainText('Enclave Test ID CA-1');

  await page.getByTestId('import-crls-files').setInputFiles(files.garbage);
  await expect(page.getByTestId('crls-problem')).toContainText('meeting-notes.pem:');
  await expect(page.getByTestId('crls-problem')).toContainText('Nothing was imported.');
  await expect(page.locator('body')).not.toContainText(/\bat \w+ \(|\.cjs:\d+/);
  await expect(page.getByTestId('crl-row')).toHaveCount(1);

  await page.getByTestId('import-crls-files').setInputFiles(files.intermediateCrl);
  await expect(page.getByTestId('crls-added')).toContainText('Enclave Test ID CA-1');
  await expect(page.getByTestId('crls-problem')).toHaveCount(0);
  await expect(page.getByTestId('crl-row')).toHaveCount(2);
});

test('removing a trust anchor asks first, and the anchor imports again', async () => {
  const intermediate = page
    .getByTestId('anchor-row')
    .filter({ has: page.getByTestId('anchor-subject').filter({ hasText: 'Enclave Test ID CA-1' }) });
  await intermediate.getByRole('button', { name: 'Remove' }).click();
  await expect(intermediate.getByTestId('remove-anchor-confirm')).toContainText(
    'Cards it issued will be refused at sign-in.',
  );
  await intermediate.getByRole('button', { name: 'Yes, remove' }).click();
  await expect(page.getByTestId('anchors-removed')).toContainText('Enclave Test ID CA-1');
  await expect(page.getByTestId('anchor-row')).toHaveCount(1);
  await page.getByTestId('import-anchors-files').setInputFiles(files.intermediate);
  await expect(page.getByTestId('anchors-added')).toContainText('Enclave Test ID CA-1');
  await expect(page.getByTestId('anchor-kind')).toHaveText(['Root', 'Intermediate']);
});

test('after the changes the card signs in as viewer, still without the administration page', async () => {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('admin-screen')).toHaveCount(0);
  await loginWithCard('Unlock');
  await expect(page.getByTestId('session-user')).toHaveText(workstation.card.commonName);
  await expect(page.getByTestId('session-role')).toHaveText('viewer');
  await expectNoWayToAdministration();
});

test('no console errors, and no request left 127.0.0.1', async () => {
  expect(consoleProblems).toEqual([]);
  await expectNothingLeftLoopbackAndAttach(recorded, 20);
});
