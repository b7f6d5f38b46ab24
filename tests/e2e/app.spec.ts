import { expect, test, type Page } from '@playwright/test';
import { BANNER_PALETTE, LEVELS } from '../../common/markings/levels';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { expectNothingLeftLoopback } from './support/netlog';
import { startHost, type SetUpHost } from '../support/host-process';
import { signInWithRecoverySecret } from './support/sign-in';
import { rgb } from '../support/colors';

// One browser for the whole file, so the final test can read its complete network log.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let host: SetUpHost;
let page: Page;
const consoleProblems: string[] = [];

async function expectBanners(target: Page, text: string, palette: { background: string; foreground: string }) {
  for (const position of ['top', 'bottom'] as const) {
    const banner = target.getByTestId(`banner-${position}`);
    await expect(banner).toHaveText(text);
    await expect(banner).toHaveCSS('background-color', rgb(palette.background));
    await expect(banner).toHaveCSS('color', rgb(palette.foreground));
  }
  const viewport = target.viewportSize()!;
  const top = (await target.getByTestId('banner-top').boundingBox())!;
  const bottom = (await target.getByTestId('banner-bottom').boundingBox())!;
  expect(top.y).toBe(0);
  expect(Math.round(bottom.y + bottom.height)).toBe(viewport.height);
}

test.beforeAll(async () => {
  recorded = await launchRecordedBrowser();
  host = await startHost();
  page = await recorded.newPage();
  // CSP and Trusted Types violations, failed loads and uncaught errors all land here.
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded.browser.close().catch(() => undefined);
  await host?.stop();
});

test('the notice and consent banner must be acknowledged before the app shows', async () => {
  await page.goto(host.appUrl);
  const consent = page.getByRole('dialog', { name: /Notice and Consent/ });
  await expect(consent).toBeVisible();
  await expect(page.getByTestId('consent-text')).toContainText(
    'You are accessing a U.S. Government (USG) Information System (IS)',
  );
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  // The one-time bootstrap left the address bar: the page was sent on to the app.
  expect(new URL(page.url()).pathname).toBe('/');

  // The gate is on the service side: a direct call with the page's own session cookie is refused too.
  const direct = await page.evaluate(async () => {
    const response = await fetch('/rpc/enclave:system.health', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    return response.json();
  });
  expect(direct).toMatchObject({ ok: false, error: { code: 'CONSENT_REQUIRED' } });

  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await expect(consent).toHaveCount(0);
  await signInWithRecoverySecret(page, host.recoverySecret);
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('site-name')).toHaveText('Enclave Workstation');
  await expect(page.getByTestId('health-checks')).toHaveAttribute('data-status', 'ok');
});

test('the default site shows the UNCLASSIFIED banner at top and bottom in green with white text', async () => {
  await expectBanners(page, 'UNCLASSIFIED', BANNER_PALETTE.UNCLASSIFIED);
});

test('a WebGPU adapter is found inside the app page', async () => {
  const status = page.getByTestId('webgpu-status');
  await expect(status).toHaveAttribute('data-available', 'true', { timeout: 30_000 });
  await expect(status).toContainText('swiftshader');
  const adapter = await page.evaluate(async () => {
    const found = await navigator.gpu?.requestAdapter();
    return found ? { vendor: found.info.vendor, architecture: found.info.architecture } : null;
  });
  expect(adapter).toEqual({ vendor: 'google', architecture: 'swiftshader' });
});

test('the app runs under its CSP and Trusted Types without a single console error', async () => {
  await page.reload();
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('webgpu-status')).toHaveAttribute('data-available', 'true');
  expect(consoleProblems).toEqual([]);
});

test('a screenshot of the app is kept as a test artifact', async () => {
  const testInfo = test.info();
  const path = testInfo.outputPath('enclave-home.png');
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach('enclave-home', { path, contentType: 'image/png' });
  const { statSync } = await import('node:fs');
  expect(statSync(path).size).toBeGreaterThan(10_000);
});

const SAMPLE_MARKINGS: Record<(typeof LEVELS)[number], string> = {
  UNCLASSIFIED: 'UNCLASSIFIED',
  CUI: 'CUI',
  CONFIDENTIAL: 'CONFIDENTIAL',
  SECRET: 'SECRET//NOFORN',
  'TOP SECRET': 'TOP SECRET//NOFORN',
  'TOP SECRET//SCI': 'TOP SECRET//SI/TK//NOFORN',
};

for (const level of LEVELS) {
  test(`a ${level} site shows its banner in the standard colors, on the consent screen and in the app`, async () => {
    const site = await startHost({ siteName: `${level} test site`, systemHigh: SAMPLE_MARKINGS[level] });
    const sitePage = await recorded.newPage();
    try {
      await sitePage.goto(site.appUrl);
      await expect(sitePage.getByRole('dialog')).toBeVisible();
      await expectBanners(sitePage, SAMPLE_MARKINGS[level], BANNER_PALETTE[level]);
      await sitePage.getByRole('button', { name: /consent/ }).click();
      await signInWithRecoverySecret(sitePage, site.recoverySecret);
      await expect(sitePage.getByTestId('app-home')).toBeVisible();
      await expectBanners(sitePage, SAMPLE_MARKINGS[level], BANNER_PALETTE[level]);
    } finally {
      await sitePage.context().close();
      await site.stop();
    }
  });
}

test('a misspelt system-high marking stops the app with a clear message instead of guessing a banner', async () => {
  const site = await startHost({ systemHigh: 'SECERT' });
  const sitePage = await recorded.newPage();
  try {
    await sitePage.goto(site.appUrl);
    await expect(sitePage.getByTestId('fatal-error')).toContainText('The site configuration');
    await expect(sitePage.getByTestId('fatal-error')).toContainText('"SECERT" at 0: expected a classification');
    await expect(sitePage.getByTestId('banner-top')).toHaveText('CLASSIFICATION UNKNOWN');
    await expect(sitePage.getByRole('dialog')).toHaveCount(0);
    await expect(sitePage.locator('body')).not.toContainText(/\bat \w+ \(|\.cjs:\d+/);
  } finally {
    await sitePage.context().close();
    await site.stop();
  }
});

test('no request left 127.0.0.1 during the run', async () => {
  const testInfo = test.info();
  // The pages asked for the app and its bridge only; the browser itself (NetLog) resolved no name.
  const log = await expectNothingLeftLoopback(recorded, 11);
  await testInfo.attach('netlog-summary', {
    contentType: 'application/json',
    body: JSON.stringify({
      loopbackRequests: log.loopbackRequests.length,
      stoppedBrowserRequests: log.foreignRequests.map((r) => new URL(r.url).host),
    }),
  });
});
