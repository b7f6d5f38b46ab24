import { expect, type Page } from '@playwright/test';

/**
 * Signs in with the recovery secret through the sign-in (or lock) screen's secondary form, as an
 * administrator without a card would. With FAST_SCRYPT stores (tests/support/host-process.ts) it takes milliseconds.
 */
export async function signInWithRecoverySecret(page: Page, recoverySecret: string): Promise<void> {
  const form = page.getByTestId('recovery-form');
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'Use the recovery secret' }).click();
  await page.getByTestId('recovery-secret-input').fill(recoverySecret);
  await page.getByRole('button', { name: 'Sign in with the recovery secret' }).click();
  await expect(page.getByTestId('session-bar')).toBeVisible();
}

/** Acknowledges the notice and consent banner, then signs in with the recovery secret. */
export async function consentAndSignIn(page: Page, recoverySecret: string): Promise<void> {
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await signInWithRecoverySecret(page, recoverySecret);
}
