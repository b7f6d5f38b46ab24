import { expect, test, type Download, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { BANNER_PALETTE, DEFAULT_POLICY, formatBanner, parseMarking, parseMarkingOrThrow } from '../../common/markings';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { serviceCall } from './support/rpc';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';

// Issue 15's Done means, through the UI of the real browser host with a SoftHSM2 card as the
// analyst: two runs of a SECRET model are saved from the run screen, a report of both with every
// section is built, a portion above the system high is refused by the service by name, the banner
// cannot be put below the roll-up, and the PDF, workbook and CSV files are read back with the tools
// a reader would use (pdftotext, pdftoppm, exceljs). The report is saved to the library, opened
// again and regenerated from the same runs: the two PDFs' text is the same.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
let modelId = 0;
const consoleProblems: string[] = [];
const SHOTS = 'test-results/screenshots';
/** The roll-up: a classified roll-up without a release marking is NOFORN (common/markings/rollup.ts). */
const BANNER = 'SECRET//NOFORN';
const work = mkdtempSync(join(tmpdir(), 'enclave-reports-'));
let exportedPdf = '';

const bridgeCost = {
  format: 'enclave-model/1',
  name: 'Bridge cost',
  marking: 'SECRET',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 }, marking: 'SECRET' },
    { name: 'materials', dist: { type: 'triangular', min: 50, mode: 60, max: 90 }, marking: 'UNCLASSIFIED' },
  ],
  correlations: [{ a: 'labour', b: 'materials', rank: 0.3 }],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
};

/** A portion mark at the start of a line: "(S)", "(U)", "(S//NF)". */
const PORTION = /^\((?:U|C|S|TS|CUI)(?:\/\/[A-Z0-9 ,/-]+)?\) /;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst' });
  [recorded, host] = await Promise.all([
    launchRecordedBrowser(),
    startCardHost(workstation, { systemHigh: 'TOP SECRET' }),
  ]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

async function runAndSave(seed: string, name: string) {
  await page.getByTestId('option-iterations').fill('20,000');
  await page.getByTestId('option-seed').fill(seed);
  await page.getByTestId('option-engine').selectOption('cpu');
  await expect(page.getByTestId('option-keep-samples')).toBeChecked();
  await page.evaluate(() => document.querySelector('[data-testid="run-results"]')?.setAttribute('data-stale', 'true'));
  await page.getByTestId('run-button').click();
  await expect(page.locator('[data-testid="run-results"]:not([data-stale])')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('save-run-name').fill(name);
  await page.getByTestId('save-run-button').click();
  await expect(page.getByTestId('saved-run-row').filter({ hasText: name })).toBeVisible({ timeout: 60_000 });
}

/** Clicks and keeps the download that follows; without one, the problem the screen shows. */
async function download(click: () => Promise<void>): Promise<Download> {
  const problem = page.locator('[data-testid="report-builder-problem"], [data-testid="report-problem"]');
  const [file] = await Promise.all([
    Promise.race([
      page.waitForEvent('download', { timeout: 90_000 }),
      problem
        .first()
        .waitFor({ timeout: 90_000 })
        .then(async () => {
          throw new Error(`no download: ${await problem.first().innerText()}`);
        }),
    ]),
    click(),
  ]);
  return file;
}

const pdfPages = (path: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
const pdfText = (path: string, first?: number) =>
  execFileSync('pdftotext', [...(first ? ['-f', String(first), '-l', String(first)] : []), path, '-'], {
    encoding: 'utf8',
  });
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

test('an analyst saves two runs of a SECRET model from the run screen', async () => {
  test.setTimeout(240_000);
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  const pin = page.getByTestId('pin-input');
  await expect(pin).toBeEnabled();
  await pin.fill(workstation.card.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
  const created = await serviceCall<{ model: { id: number } }>(page, 'models.create', { model: bridgeCost });
  if (!created.ok) throw new Error(created.error.message);
  modelId = created.value.model.id;
  await page.getByRole('button', { name: 'Run a simulation' }).click();
  await page.getByTestId('library-select').selectOption(String(modelId));
  await expect(page.getByTestId('marking-verdict')).toHaveAttribute('data-status', 'ok');
  await runAndSave('11', 'Baseline');
  await runAndSave('12', 'Second seed');
});

test('the builder: two runs, every section, the service names a portion above system high', async () => {
  test.setTimeout(240_000);
  await page.getByTestId('home-button').click();
  await page.getByTestId('home-open-reports').click();
  await expect(page.getByTestId('report-library')).toBeVisible();
  await expect(page.getByTestId('report-empty')).toBeVisible();
  await page.getByTestId('report-new').click();
  await expect(page.getByTestId('report-builder')).toBeVisible();
  await page.getByTestId('report-model').selectOption(String(modelId));
  const run = (name: string) =>
    page.getByTestId('report-run').filter({ hasText: name }).getByTestId('report-run-check');
  await run('Baseline').check();
  await run('Second seed').check();
  await expect(page.getByTestId('report-run').filter({ hasText: 'Baseline' })).toContainText('baseline');
  await page.getByTestId('report-title-input').fill('Bridge cost risk');
  // The author starts as the signed-in user.
  await expect(page.getByTestId('report-author-input')).not.toHaveValue('');
  // Every section is on.
  for (const box of await page.locator('[data-testid^="report-section-"][data-testid$="-on"]').all())
    await expect(box).toBeChecked();
  expect(await page.locator('[data-testid^="report-section-"][data-testid$="-on"]').count()).toBe(10);

  // The sections move by keyboard: "Settings" one place up, then back down.
  await page.getByTestId('report-section-settings-up').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('report-sections').locator(':scope > li').nth(8)).toHaveAttribute(
    'data-testid',
    'report-section-settings',
  );
  await page.getByTestId('report-section-settings-down').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('report-sections').locator(':scope > li').nth(9)).toHaveAttribute(
    'data-testid',
    'report-section-settings',
  );

  // The executive summary's text, one paragraph above the system high.
  const summary = 'report-section-summary-paragraph';
  await page.getByTestId(`${summary}-add`).click();
  await page.getByTestId(`${summary}-0-text`).fill('The bridge is likely to cost more than planned.');
  await page.getByTestId(`${summary}-0-portion-text`).fill('(U)');
  await page.getByTestId(`${summary}-add`).click();
  await page.getByTestId(`${summary}-1-text`).fill('Labour rates drive most of the spread.');
  await page.getByTestId(`${summary}-1-portion-text`).fill('(TS//SI)');
  const verdict = page.getByTestId('report-verdict');
  await expect(verdict).toHaveAttribute('data-status', 'refused', { timeout: 30_000 });
  await expect(verdict).toContainText('paragraph 2 of "Executive summary"');
  await expect(verdict).toContainText('(TS//SI)');
  await expect(page.getByTestId('report-export-pdf')).toBeDisabled();
  await expect(page.getByTestId('report-save')).toBeDisabled();
  await page.getByTestId(`${summary}-1-portion-text`).fill('(S)');
  // A note on the statistics.
  await page.getByTestId('report-section-statistics-paragraph-add').click();
  await page.getByTestId('report-section-statistics-paragraph-0-text').fill('Percentiles are of 20,000 iterations.');
  await page.getByTestId('report-section-statistics-paragraph-0-portion-text').fill('(U)');

  // The scenarios, run at the baseline's seed.
  const scenarios = page.getByTestId('report-scenarios');
  await scenarios.locator('[data-testid="report-scenario-1"] td input').first().fill('120');
  await page.getByTestId('report-run-scenarios').click();
  await expect(page.getByTestId('report-run-scenarios')).toContainText('Scenarios run', { timeout: 60_000 });

  await page.getByTestId('report-authority-classifiedBy').fill('A. Analyst, Cost Office');
  await page.getByTestId('report-authority-derivedFrom').fill('Bridge SCG 2026-01');
  await page.getByTestId('report-authority-declassifyOn').fill('20511231');
  await expect(verdict).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(verdict).toHaveAttribute('data-banner', BANNER);

  // The banner: the roll-up, or above it; nothing below it is offered.
  const raise = page.getByTestId('report-banner-raise');
  const offered = await raise
    .locator('option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toEqual(['SECRET//NOFORN', 'TOP SECRET//NOFORN']);
  await expect(raise).toHaveValue(BANNER);

  const preview = page.getByTestId('report-preview');
  await expect(preview).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(preview).toHaveAttribute('data-banner', BANNER);
  await page.getByTestId('report-builder').evaluate((element) => element.scrollIntoView());
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: `${SHOTS}/report-builder.png`, fullPage: true });
  await expect(page.getByTestId('report-export-pdf')).toBeEnabled();
});

test('the PDF: the banner on every page, portion marks, the authority block on page 1, the banner colour', async () => {
  test.setTimeout(180_000);
  const file = await download(() => page.getByTestId('report-export-pdf').click());
  expect(file.suggestedFilename()).toBe('Bridge-cost-risk.pdf');
  exportedPdf = join(work, 'exported.pdf');
  await file.saveAs(exportedPdf);
  const pages = pdfPages(exportedPdf);
  expect(pages).toBeGreaterThan(3);
  for (let n = 1; n <= pages; n++) {
    const text = lines(pdfText(exportedPdf, n));
    expect(text[0], `page ${n} starts with the banner`).toBe(BANNER);
    expect(text.at(-1), `page ${n} ends with the banner`).toContain(BANNER);
    expect(text.join('\n')).toContain(`Page ${n} of ${pages}`);
  }
  const first = pdfText(exportedPdf, 1);
  for (const words of [
    'Classified By: A. Analyst, Cost Office',
    'Derived From: Bridge SCG 2026-01',
    'Declassify On: 20511231',
  ])
    expect(first.replace(/\s+/g, ' ')).toContain(words);
  // Every paragraph, table caption and figure caption of the preview starts with its portion mark in the PDF.
  const all = pdfText(exportedPdf).replace(/\s+/g, ' ');
  const marked = await page
    .getByTestId('report-preview')
    .locator('p.report-paragraph, caption.report-caption, figcaption.report-caption')
    .evaluateAll((nodes) => nodes.map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim()).filter(Boolean));
  expect(marked.length).toBeGreaterThan(10);
  for (const text of marked) {
    expect(text, `"${text}" starts with a portion mark`).toMatch(PORTION);
    expect(all).toContain(text.slice(0, 60));
  }
  expect(all).toContain('(S) Labour rates drive most of the spread.');
  expect(all).toContain('(U) The bridge is likely to cost more than planned.');
  // Page 1 drawn: its top rows are the SECRET banner's red.
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '50', exportedPdf, join(work, 'page')]);
  const ppm = readFileSync(
    join(
      work,
      readdirSync(work).find((name) => name.startsWith('page') && name.endsWith('.ppm'))!,
    ),
  );
  const head = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [width, height, header] = [Number(head[1]), Number(head[2]), head[0].length];
  const red = BANNER_PALETTE.SECRET.background;
  const want = [1, 3, 5].map((i) => Number.parseInt(red.slice(i, i + 2), 16));
  const isRed = (x: number, y: number) => {
    const at = header + 3 * (y * width + x);
    return want.every((c, k) => Math.abs(ppm[at + k]! - c) < 24);
  };
  const redRows = (from: number, to: number) => {
    let rows = 0;
    for (let y = from; y < to; y++) {
      let count = 0;
      for (let x = 0; x < width; x++) if (isRed(x, y)) count++;
      if (count > 20) rows++;
    }
    return rows;
  };
  expect(redRows(0, Math.round(height / 8)), 'the top banner in red').toBeGreaterThan(2);
  expect(redRows(Math.round((height * 7) / 8), height), 'the bottom banner in red').toBeGreaterThan(2);
});

test('the workbook: the banner in every sheet’s header, footer and first row; numbers as numbers', async () => {
  test.setTimeout(120_000);
  const file = await download(() => page.getByTestId('report-export-xlsx').click());
  expect(file.suggestedFilename()).toBe('Bridge-cost-risk.xlsx');
  const path = join(work, 'report.xlsx');
  await file.saveAs(path);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const names = workbook.worksheets.map((sheet) => sheet.name);
  for (const name of ['Summary', 'Statistics', 'Percentiles', 'Sensitivity', 'Inputs']) expect(names).toContain(name);
  for (const sheet of workbook.worksheets) {
    expect(sheet.headerFooter.oddHeader ?? '', `${sheet.name} header`).toContain(BANNER);
    expect(sheet.headerFooter.oddFooter ?? '', `${sheet.name} footer`).toContain(BANNER);
    expect(String(sheet.getRow(1).getCell(1).value), `${sheet.name} first row`).toContain(BANNER);
  }
  const statistics = workbook.getWorksheet('Statistics')!;
  let numbers = 0;
  statistics.eachRow((row) =>
    row.eachCell((cell) => {
      if (typeof cell.value === 'number') numbers++;
    }),
  );
  expect(numbers).toBeGreaterThan(10);
});

test('the CSV files: one per table, each starting with the marking', async () => {
  test.setTimeout(120_000);
  const files: Download[] = [];
  const collect = (d: Download) => void files.push(d);
  page.on('download', collect);
  await page.getByTestId('report-export-csv').click();
  await expect(page.getByTestId('report-builder-notice')).toContainText('Saved', { timeout: 60_000 });
  page.off('download', collect);
  expect(files.length).toBeGreaterThan(3);
  const banners = new Set<string>();
  for (const file of files) {
    expect(file.suggestedFilename()).toMatch(/^Bridge-cost-risk-.+\.csv$/);
    const text = readFileSync((await file.path())!, 'utf8');
    // The table's own marking, in banner form (a table of UNCLASSIFIED outputs is UNCLASSIFIED).
    const marking = text.split('\r\n')[0]!;
    expect(parseMarking(marking, DEFAULT_POLICY), `${file.suggestedFilename()}: ${marking}`).toMatchObject({
      ok: true,
    });
    expect(formatBanner(parseMarkingOrThrow(marking, DEFAULT_POLICY))).toBe(marking);
    banners.add(marking);
  }
  expect(banners).toContain(BANNER);
});

test('a figure as PNG: the chosen chart, a PNG image', async () => {
  test.setTimeout(120_000);
  const figure = page.getByTestId('report-figure');
  const options = await figure.locator('option').evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
  expect(options.length).toBeGreaterThan(3);
  await figure.selectOption(options[1]!);
  const file = await download(() => page.getByTestId('report-export-png').click());
  expect(file.suggestedFilename()).toBe(`Bridge-cost-risk-${options[1]}.png`);
  const png = readFileSync((await file.path())!);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.readUInt32BE(16)).toBeGreaterThan(200); // width
  expect(png.readUInt32BE(20)).toBeGreaterThan(100); // height
});

test('saved to the library, opened again and regenerated from the same runs: the same PDF text', async () => {
  test.setTimeout(180_000);
  await page.getByTestId('report-save-comment').fill('first issue');
  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('report-builder-notice')).toContainText('as version 1', { timeout: 60_000 });
  await page.getByTestId('report-library-link').click();
  const row = page.getByTestId('report-row').filter({ hasText: 'Bridge cost risk' });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('model-banner')).toHaveText(BANNER);
  await expect(row.getByTestId('report-versions-count')).toHaveText('1');
  await row.getByTestId('report-open').click();
  const version = page.getByTestId('report-version').first();
  await expect(version).toContainText('first issue');
  await page.screenshot({ path: `${SHOTS}/report-library.png`, fullPage: true });
  const stored = await download(() => version.getByTestId('report-version-pdf').click());
  const storedPdf = join(work, 'stored.pdf');
  await stored.saveAs(storedPdf);
  expect(pdfText(storedPdf)).toBe(pdfText(exportedPdf));

  // Regenerated: the stored definition in the builder, the same runs, the PDF again.
  await row.getByTestId('report-new-version').click();
  await expect(page.getByTestId('report-builder')).toBeVisible();
  await expect(page.getByTestId('report-title-input')).toHaveValue('Bridge cost risk');
  await page.getByTestId('report-run-scenarios').click();
  await expect(page.getByTestId('report-run-scenarios')).toContainText('Scenarios run', { timeout: 60_000 });
  await expect(page.getByTestId('report-preview')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  const again = await download(() => page.getByTestId('report-export-pdf').click());
  const regenerated = join(work, 'regenerated.pdf');
  await again.saveAs(regenerated);
  expect(pdfText(regenerated)).toBe(pdfText(storedPdf));
  await page.getByTestId('report-save-comment').fill('regenerated');
  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('report-builder-notice')).toContainText('as version 2', { timeout: 60_000 });
});

test('from the model library: a report of the model’s saved runs; the owner deletes a report after asking', async () => {
  test.setTimeout(120_000);
  await page.getByTestId('home-button').click();
  await page.getByTestId('home-open-library').click();
  await page.locator(`[data-testid="model-row"][data-model-id="${modelId}"]`).getByTestId('model-show-runs').click();
  await page.getByTestId('runs-report').click();
  await expect(page.getByTestId('report-builder')).toBeVisible();
  await expect(page.getByTestId('report-model')).toHaveValue(String(modelId));
  const checks = page.getByTestId('report-run-check');
  await expect(checks).toHaveCount(2);
  for (const check of await checks.all()) await expect(check).toBeChecked();
  // The newest run first: the baseline.
  await expect(page.getByTestId('report-run').filter({ hasText: 'Second seed' })).toContainText('baseline');

  await page.getByTestId('report-library-link').click();
  const row = page.getByTestId('report-row').filter({ hasText: 'Bridge cost risk' });
  await expect(row.getByTestId('report-versions-count')).toHaveText('2');
  await row.getByTestId('report-delete').click();
  await expect(row.getByTestId('report-delete-confirm')).toContainText(
    'Delete “Bridge cost risk” and all 2 of its versions?',
  );
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByTestId('report-empty')).toBeVisible();
  await expect(page.getByTestId('report-notice')).toContainText('“Bridge cost risk” and all its versions are deleted.');
  expect(consoleProblems).toEqual([]);
});
