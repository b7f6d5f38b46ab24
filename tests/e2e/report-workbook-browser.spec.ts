import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { DEFAULT_POLICY } from '../../common/markings';
import { buildReportWorkbook } from '../../common/report/report-workbook';
import { exportFixture, fixtureSamples, PAGE_SAMPLE_ITERATIONS, SECRET } from '../unit/report/export-fixture';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { startReportWorkbookServer, type ReportWorkbookServer } from './support/report-workbook-server';

// exceljs in the renderer: the report workbook is built in a page under the app's CSP (no eval,
// Trusted Types required), by the same code the service runs, and is the same file.
let recorded: RecordedBrowser;
let server: ReportWorkbookServer;

test.beforeAll(async () => {
  [recorded, server] = await Promise.all([launchRecordedBrowser(), startReportWorkbookServer()]);
});

test.afterAll(async () => {
  await Promise.all([recorded?.browser.close(), server?.close()]);
});

/** Records every CSP violation (eval, Trusted Types, anything else) from before the page's first script. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.effectiveDirective}: ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('a report workbook builds in a page under the app’s CSP, with no violation, the same file as in Node', async () => {
  const page = await recorded.newPage();
  const problems: string[] = [];
  recordConsoleProblems(page, problems);
  const violations = await watchViolations(page);
  const response = await page.goto(server.url);
  expect(response!.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
  await expect(page.locator('#root')).toHaveText(/Workbook built: \d+ bytes|The workbook failed/);
  const result = await page.evaluate(
    () => (window as unknown as { workbookResult: { base64: string } | { error: string } }).workbookResult,
  );
  expect(result).not.toHaveProperty('error');
  const bytes = Buffer.from((result as { base64: string }).base64, 'base64');

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  expect(workbook.worksheets.map((s) => s.name)).toEqual([
    'Summary',
    'Statistics',
    'Percentiles',
    'Sensitivity',
    'Inputs',
    'Samples',
  ]);
  for (const sheet of workbook.worksheets) {
    expect(sheet.getCell('A1').value).toBe('SECRET//NOFORN');
    expect(sheet.headerFooter.oddHeader).toContain('SECRET//NOFORN');
  }
  expect(workbook.getWorksheet('Samples')!.rowCount).toBe(3 + PAGE_SAMPLE_ITERATIONS);

  const inNode = await buildReportWorkbook(exportFixture(), {
    appVersion: 'page',
    policy: DEFAULT_POLICY,
    samples: [{ label: 'Baseline', marking: SECRET, samples: fixtureSamples(PAGE_SAMPLE_ITERATIONS) }],
  });
  expect(bytes.equals(Buffer.from(inNode)), 'the page’s workbook is byte for byte the service’s').toBe(true);

  expect(await violations()).toEqual([]);
  expect(problems).toEqual([]);
});
