import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { spawnBrowserHost, type HostProcess } from '../support/host-process';

// The demonstration workstation (issue 14, item 6; docs/demo.md): a newcomer with no PKI and no card
// starts Enclave on a fresh data directory and reaches the run screen as the demo analyst in under a
// minute. The real browser host (what `npm start` runs when Electron is absent), Debian's Chromium,
// SoftHSM2 tokens the app makes itself, the real card sign-in: no mocks, nothing prepared beforehand.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let host: HostProcess | null = null;
let page: Page;
let dataDir = '';
const consoleProblems: string[] = [];

/** A fresh machine's environment: no site configuration named, no SoftHSM2 configuration of anyone's. */
function freshEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ENCLAVE_SITE_CONFIG;
  delete env.SOFTHSM2_CONF;
  return env;
}

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-demo-'));
  recorded = await launchRecordedBrowser();
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterEach(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  host = null;
  rmSync(dataDir, { recursive: true, force: true });
});

test('from a fresh data directory to the run screen as the demo analyst, in under a minute', async () => {
  test.setTimeout(120_000);
  const started = Date.now();
  host = await spawnBrowserHost(dataDir, freshEnvironment());
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();

  // The first screen: set this workstation up, or try the demonstration.
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  const offer = page.getByTestId('demo-offer');
  await expect(offer.getByRole('button', { name: 'Try a demonstration workstation' })).toBeEnabled();
  await expect(page.getByTestId('demo-strip')).toHaveCount(0);
  await offer.getByRole('button', { name: 'Try a demonstration workstation' }).click();

  // The demo: its strip under the banner, the cards' PINs on the sign-in screen, the banners as they were.
  const strip = page.getByTestId('demo-strip');
  await expect(strip).toContainText('DEMONSTRATION — NOT FOR OPERATIONAL USE', { timeout: 55_000 });
  await expect(page.getByTestId('signin-screen')).toBeVisible();
  await expect(page.getByTestId('banner-top')).toHaveText('UNCLASSIFIED');
  await expect(page.getByTestId('banner-bottom')).toHaveText('UNCLASSIFIED');
  const pin = (await strip.getByTestId('demo-pin-analyst').textContent()) ?? '';
  expect(pin).toMatch(/^[0-9]{8}$/);
  await expect(strip.getByTestId('demo-pin-admin')).toHaveText(/^[0-9]{8}$/);
  await page.screenshot({ path: 'test-results/screenshots/demo-signin.png' });

  // The real card sign-in: the analyst's software token, its PIN, the demo CA's certificate checked.
  await page.getByTestId('card-select').selectOption({ label: 'Demo analyst' });
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
  await expect(page.getByTestId('session-user')).toHaveText('DEMO.ANALYST.A.1000000002');

  await page.getByRole('button', { name: 'Run a simulation' }).click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  const elapsed = Date.now() - started;
  test.info().annotations.push({ type: 'demo-to-run-screen-ms', description: String(elapsed) });
  console.log(`demonstration workstation: fresh data directory to the run screen in ${elapsed} ms`);
  expect(elapsed).toBeLessThan(60_000);

  // The strip stays on every screen, signed in too (its PINs then one click away), and the banners stay.
  await expect(strip).toContainText('DEMONSTRATION — NOT FOR OPERATIONAL USE');
  await expect(strip.getByTestId('demo-cards')).toHaveCount(0);
  await expect(page.getByTestId('banner-top')).toHaveText('UNCLASSIFIED');
  await page.screenshot({ path: 'test-results/screenshots/demo.png' });
  expect(consoleProblems).toEqual([]);
});

test('a workstation with a site configuration installed does not offer the demonstration', async () => {
  writeFileSync(join(dataDir, 'site-config.json'), JSON.stringify({ siteName: 'Field Site 7' }), { mode: 0o600 });
  host = await spawnBrowserHost(dataDir, freshEnvironment());
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  await expect(page.getByTestId('demo-unavailable')).toContainText('A site configuration is installed');
  await expect(page.getByRole('button', { name: 'Try a demonstration workstation' })).toBeDisabled();
  await expect(page.getByTestId('demo-strip')).toHaveCount(0);
});
