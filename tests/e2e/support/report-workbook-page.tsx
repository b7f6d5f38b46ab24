// Builds the report workbook in the page, as the renderer would: common/report/report-workbook.ts
// with exceljs's browser bundle (package.json "browser"), over the export fixture. Bundled and
// served under the app's CSP by ./report-workbook-server.ts for tests/e2e/report-workbook-browser.spec.ts;
// type-checked with the renderer (tsconfig.renderer.json). No JSX: the page needs no React. zod
// (which the marking parser brings) runs jitless, as in the app, before any schema is built.
import '../../../renderer/app/zod-config';
import { DEFAULT_POLICY } from '../../../common/markings';
import { buildReportWorkbook } from '../../../common/report/report-workbook';
import { exportFixture, fixtureSamples, PAGE_SAMPLE_ITERATIONS, SECRET } from '../../unit/report/export-fixture';

/** What the spec reads: the workbook's bytes in base64, or the error the build threw. */
const harness = window as unknown as { workbookResult?: { base64: string } | { error: string } };

buildReportWorkbook(exportFixture(), {
  appVersion: 'page',
  policy: DEFAULT_POLICY,
  samples: [{ label: 'Baseline', marking: SECRET, samples: fixtureSamples(PAGE_SAMPLE_ITERATIONS) }],
}).then(
  (bytes) => {
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    harness.workbookResult = { base64: btoa(binary) };
    document.getElementById('root')!.textContent = `Workbook built: ${bytes.length} bytes`;
  },
  (error: unknown) => {
    harness.workbookResult = { error: error instanceof Error ? error.message : String(error) };
    document.getElementById('root')!.textContent = 'The workbook failed';
  },
);
