import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { launchRecordedBrowser, type RecordedBrowser } from './support/browser';
import { startHost, type SetUpHost } from '../support/host-process';
import { signInWithRecoverySecret } from './support/sign-in';

// The classification banners stay at the top and bottom edge of the window, whatever its size, its
// zoom, and however far the page is scrolled; the document itself never scrolls (one scrollbar, the
// app's own, between the banners). Through the UI of the real browser host in Debian's Chromium.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let host: SetUpHost;
/** The host's one client: the bootstrap is redeemed once, and every window here shares its cookie. */
let client: BrowserContext;

test.beforeAll(async () => {
  [recorded, host] = await Promise.all([launchRecordedBrowser(), startHost()]);
  client = await recorded.browser.newContext();
  const first = await client.newPage();
  await first.goto(host.appUrl);
  await expect(first.getByTestId('banner-top')).toBeVisible();
  await first.close();
});

/** A new window of the one client, at `width`×`height` CSS pixels and `zoom` device pixels per CSS pixel. */
async function openWindow(width: number, height: number, zoom: number): Promise<Page> {
  const page = await client.newPage();
  await page.setViewportSize({ width, height });
  if (zoom !== 1) {
    const cdp = await client.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: zoom, mobile: false });
  }
  await page.goto(`${host.origin}/`);
  return page;
}

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
});

/** Consent (once per service) and the recovery secret; each test locks again at its end. */
async function signIn(page: Page) {
  const consent = page.getByRole('button', { name: 'I have read and consent to these terms' });
  const signInScreen = page.locator('[data-testid="signin-screen"], [data-testid="lock-screen"]');
  await expect(consent.or(signInScreen)).toBeVisible();
  if (await consent.isVisible()) await consent.click();
  await signInWithRecoverySecret(page, host.recoverySecret);
}

/** Window sizes in CSS pixels; at 200% zoom a window has half as many CSS pixels at twice the density. */
const SIZES = [
  { width: 1280, height: 800, zoom: 1 },
  { width: 1024, height: 640, zoom: 1 },
  { width: 800, height: 500, zoom: 1 },
  { width: 480, height: 320, zoom: 1 },
  { width: 640, height: 400, zoom: 2 },
  { width: 400, height: 260, zoom: 2 },
];

/** Where the banners are, and whether the document itself (not the app's body) can scroll. */
async function layout(page: Page) {
  return page.evaluate(() => {
    const box = (id: string) => document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
    const root = document.scrollingElement!;
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      top: box('banner-top').top,
      topBottom: box('banner-top').bottom,
      bottomTop: box('banner-bottom').top,
      bottom: box('banner-bottom').bottom,
      bannerWidths: [box('banner-top').width, box('banner-bottom').width],
      scrollY: window.scrollY,
      scrollX: window.scrollX,
      outerOverflowY: root.scrollHeight - root.clientHeight,
      outerOverflowX: root.scrollWidth - root.clientWidth,
    };
  });
}

async function expectBannersAtEdges(page: Page, where: string) {
  const seen = await layout(page);
  const { width, height } = seen.viewport;
  expect(seen.top, `${where}: top banner at the top`).toBeCloseTo(0, 0);
  expect(seen.bottom, `${where}: bottom banner at the bottom`).toBeCloseTo(height, 0);
  expect(seen.topBottom, `${where}: the top banner is not the whole window`).toBeLessThan(height / 2);
  expect(seen.bottomTop, `${where}`).toBeGreaterThan(height / 2);
  for (const bannerWidth of seen.bannerWidths) expect(bannerWidth, `${where}: banner width`).toBeCloseTo(width, 0);
  expect([seen.scrollX, seen.scrollY], `${where}: the document did not scroll`).toEqual([0, 0]);
  expect(seen.outerOverflowY, `${where}: no outer vertical scrollbar`).toBeLessThanOrEqual(0);
  expect(seen.outerOverflowX, `${where}: no outer horizontal scrollbar`).toBeLessThanOrEqual(0);
}

/** Scrolls every way a person would: the wheel, the keyboard, and the script-level document scroll. */
async function scrollAround(page: Page) {
  const { width, height } = page.viewportSize()!;
  await page.mouse.move(width / 2, height / 2);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 600);
  await page.mouse.wheel(400, 0);
  await page.keyboard.press('End');
  await page.evaluate(() => window.scrollTo(10_000, 10_000));
}

for (const size of SIZES) {
  test(`at ${size.width}×${size.height} CSS px, ${size.zoom * 100}% zoom, the banners stay at the edges of every screen`, async () => {
    const page = await openWindow(size.width, size.height, size.zoom);
    try {
      await expect(page.getByTestId('banner-top')).toBeVisible();
      await expectBannersAtEdges(page, 'consent or sign-in');
      await signIn(page);
      await expect(page.getByTestId('app-home')).toBeVisible();
      await expectBannersAtEdges(page, 'home');
      await scrollAround(page);
      await expectBannersAtEdges(page, 'home, scrolled');

      await page.getByTestId('open-run').click();
      await page.getByLabel('Example model').selectOption({ index: 1 });
      await expect(page.getByTestId('model-name')).toBeVisible();
      await scrollAround(page);
      await expectBannersAtEdges(page, 'run, scrolled');

      await page.getByTestId('home-button').click();
      await page.getByTestId('home-open-admin').click();
      await expect(page.getByTestId('admin-users')).toBeVisible();
      await scrollAround(page);
      await expectBannersAtEdges(page, 'admin, scrolled');
      // The app's own area did scroll where its content is taller than the window.
      const body = await page.evaluate(() => {
        const el = document.querySelector('.shell__body')!;
        return { scrollable: el.scrollHeight > el.clientHeight, scrollTop: el.scrollTop };
      });
      if (body.scrollable) expect(body.scrollTop).toBeGreaterThan(0);
      await page.getByTestId('lock-button').click();
      await expect(page.getByTestId('lock-screen')).toBeVisible();
      await expectBannersAtEdges(page, 'lock screen');
    } finally {
      await page.close();
    }
  });
}

test('resizing a window down and up, and zooming in with the page open, keeps the banners at the edges', async () => {
  const page = await openWindow(1280, 800, 1);
  try {
    await signIn(page);
    await page.getByTestId('home-open-admin').click();
    for (const [width, height] of [
      [900, 600],
      [500, 300],
      [320, 200],
      [1400, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await scrollAround(page);
      await expectBannersAtEdges(page, `resized to ${width}×${height}`);
    }
    // Chromium's zoom (Ctrl +) as the page sees it: CSS pixels shrink, the device pixel ratio grows.
    const cdp = await client.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', {
      width: 700,
      height: 450,
      deviceScaleFactor: 2,
      mobile: false,
    });
    await scrollAround(page);
    await expectBannersAtEdges(page, 'zoomed 200%');
  } finally {
    await page.close();
  }
});
