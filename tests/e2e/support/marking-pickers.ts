import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

const entry = fileURLToPath(new URL('./marking-pickers-page.tsx', import.meta.url));
const css = fileURLToPath(new URL('../../../renderer/app/app.css', import.meta.url));

/** The app's CSP, less what a page built in the test cannot meet (its styles come inline). */
const CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/**
 * Opens a page that renders two MarkingPickers (./marking-pickers-page.tsx, the real component
 * and the app's stylesheet) under a CSP that allows no eval. The bundle is evaluated through the
 * DevTools protocol, which the page's CSP does not govern; the page's own code runs under it.
 */
export async function openTwoPickers(page: Page): Promise<void> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: 'chrome130',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
    write: false,
    logLevel: 'silent',
  });
  await page.setContent(
    `<!doctype html><html lang="en"><head><meta http-equiv="Content-Security-Policy" content="${CSP}"><title>Two marking pickers</title></head><body><div id="root"></div></body></html>`,
  );
  await page.addStyleTag({ content: readFileSync(css, 'utf8') });
  await page.evaluate(bundle.outputFiles[0]!.text);
}
