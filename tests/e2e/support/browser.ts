import { chromium, type Browser, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OFFLINE_SWITCHES } from '../../../hosts/chromium';

export const CHROMIUM = process.env.ENCLAVE_CHROMIUM ?? '/usr/bin/chromium';

export interface RecordedBrowser {
  browser: Browser;
  /** Every request any page made, as Playwright saw it. */
  requests: string[];
  netLogPath: string;
  /** A page in a fresh context whose requests are recorded. */
  newPage(): Promise<Page>;
}

/**
 * Debian Chromium with the same offline switches `npm start` uses, WebGPU on SwiftShader, and a
 * NetLog of everything the browser does on the network.
 */
export async function launchRecordedBrowser(): Promise<RecordedBrowser> {
  const netLogPath = join(mkdtempSync(join(tmpdir(), 'enclave-netlog-')), 'netlog.json');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      ...OFFLINE_SWITCHES,
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-webgpu-adapter=swiftshader',
      `--log-net-log=${netLogPath}`,
      '--net-log-capture-mode=Everything',
    ],
  });
  const requests: string[] = [];
  return {
    browser,
    requests,
    netLogPath,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.on('request', (request) => requests.push(request.url()));
      return context.newPage();
    },
  };
}

/** Records the page's console errors and warnings and its uncaught errors into `problems`. */
export function recordConsoleProblems(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
}
