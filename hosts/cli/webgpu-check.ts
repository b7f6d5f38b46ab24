import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OFFLINE_SWITCHES, webGpuSwitches } from '../chromium';

export interface WebGpuCheck {
  ok: boolean;
  detail: string;
}

/**
 * Opens headless Chromium on a blank page served from 127.0.0.1 (WebGPU needs a secure context,
 * which about:blank is not) and asks for an adapter.
 */
export async function checkWebGpuInChromium(executablePath: string, timeoutMs = 30_000): Promise<WebGpuCheck> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'" });
    res.end('<!doctype html><title>Enclave WebGPU check</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Loaded here, not at the top: every other CLI command would pay half a second for it.
  const { chromium } = await import('playwright-core');
  const args = [...OFFLINE_SWITCHES, ...webGpuSwitches()];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const browser = await chromium.launch({ executablePath, args, timeout: timeoutMs });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { timeout: timeoutMs });
    return await page.evaluate(async () => {
      // Runs in the page; typed by hand because this file is compiled without DOM types.
      type Adapter = { info: { vendor: string; architecture: string; isFallbackAdapter?: boolean } };
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
      if (!gpu) return { ok: false, detail: 'navigator.gpu is missing' };
      const adapter = await gpu.requestAdapter();
      if (!adapter) return { ok: false, detail: 'no WebGPU adapter' };
      const info = adapter.info;
      const software = info.isFallbackAdapter ? ', software fallback' : '';
      return { ok: true, detail: `adapter ${info.vendor || '?'} / ${info.architecture || '?'}${software}` };
    });
  } finally {
    await browser.close();
    server.close();
  }
}
