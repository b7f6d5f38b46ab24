import { describe, expect, it } from 'vitest';
import {
  checkPrintRequest,
  MAX_REPORT_BLOCKS,
  MAX_TABLE_ROWS,
  ReportDocumentSchema,
} from '../../../common/report/report-document-schema';
import type { ReportBlock, ReportDocument } from '../../../common/report/report-document';
import { sampleReportDocument } from '../../support/report-document-sample';

// The print request as the page sends it (JSON): what Electron's main process and the browser host
// accept before they print, and the plain message they refuse the rest with.
const overJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function withBlocks(blocks: ReportBlock[]): ReportDocument {
  return { ...sampleReportDocument(), blocks };
}

describe('the print request check', () => {
  it('takes a report to print as PDF, and one of its figures as PNG', () => {
    const document = sampleReportDocument();
    expect(checkPrintRequest(overJson({ kind: 'pdf', document }))).toEqual({
      ok: true,
      request: { kind: 'pdf', document },
    });
    expect(checkPrintRequest(overJson({ kind: 'png', document, figure: 'charts-cost-histogram' })).ok).toBe(true);
  });

  it('takes back a NaN that JSON carried as null, in a chart and in a cell', () => {
    const document = sampleReportDocument();
    const figure = document.blocks[3] as Extract<ReportBlock, { type: 'figure' }>;
    if (figure.chart.kind === 'histogram') figure.chart.series[0]!.values[1] = Number.NaN;
    const checked = checkPrintRequest(overJson({ kind: 'pdf', document }));
    expect(checked.ok).toBe(true);
    if (checked.ok) {
      const chart = (checked.request.document.blocks[3] as typeof figure).chart;
      expect(chart.kind === 'histogram' && chart.series[0]!.values[1]).toBeNaN();
      expect((checked.request.document.blocks[2] as Extract<ReportBlock, { type: 'table' }>).rows[1]).toEqual([
        'Skewness',
        null,
      ]);
    }
  });

  it("takes NaN and Infinity as Electron's IPC carries them (no JSON), the same as the browser host's nulls", () => {
    const document = sampleReportDocument();
    const figure = document.blocks[3] as Extract<ReportBlock, { type: 'figure' }>;
    if (figure.chart.kind === 'histogram') figure.chart.series[0]!.values = [Number.NaN, Infinity, 0.3];
    const table = document.blocks[2] as Extract<ReportBlock, { type: 'table' }>;
    table.rows[1] = ['Skewness', Number.NaN];
    const cloned = checkPrintRequest(structuredClone({ kind: 'pdf', document }));
    const json = checkPrintRequest(overJson({ kind: 'pdf', document }));
    expect(cloned.ok && json.ok).toBe(true);
    expect(cloned).toEqual(json);
  });

  const base = sampleReportDocument();
  const table = base.blocks[2] as Extract<ReportBlock, { type: 'table' }>;
  it.each([
    ['no document', { kind: 'pdf' }, /document/],
    ['an unknown kind', { kind: 'svg', document: base }, /kind/],
    [
      'a figure the document does not have',
      { kind: 'png', document: base, figure: 'summary-p1' },
      /not in the document/,
    ],
    ['an extra field', { kind: 'pdf', document: { ...base, script: 'alert(1)' } }, /script|unrecognized/i],
    ['another format', { kind: 'pdf', document: { ...base, format: 'enclave-report-document/9' } }, /format/],
    [
      'a colour the banners do not have',
      { kind: 'pdf', document: { ...base, banner: { ...base.banner, level: 'PLAID' } } },
      /level/,
    ],
    ['a date that is not one', { kind: 'pdf', document: { ...base, createdAt: 'yesterday' } }, /createdAt/],
    ['two blocks with one id', { kind: 'pdf', document: withBlocks([base.blocks[0]!, base.blocks[0]!]) }, /own id/],
    [
      'a row short of a cell',
      { kind: 'pdf', document: withBlocks([{ ...table, rows: [['Mean']] }]) },
      /one cell per column/,
    ],
    [
      `more than ${MAX_REPORT_BLOCKS} blocks`,
      {
        kind: 'pdf',
        document: withBlocks(
          Array.from({ length: MAX_REPORT_BLOCKS + 1 }, (_, i) => ({ ...base.blocks[1]!, id: `p${i}` }) as ReportBlock),
        ),
      },
      /blocks/,
    ],
    [
      `a table of more than ${MAX_TABLE_ROWS} rows`,
      {
        kind: 'pdf',
        document: withBlocks([{ ...table, rows: Array.from({ length: MAX_TABLE_ROWS + 1 }, () => ['x', 1]) }]),
      },
      /rows/,
    ],
  ])('refuses %s with one plain line', (_what, payload, where) => {
    const checked = checkPrintRequest(overJson(payload));
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.message).toMatch(/^The report to print is invalid: /);
      expect(checked.message).toMatch(where);
      expect(checked.message).not.toMatch(/\n|at .*\.ts:\d+/);
    }
  });

  it('keeps the document type and its schema the same shape (a page-break has no marking)', () => {
    const parsed = ReportDocumentSchema.safeParse(
      overJson(withBlocks([{ type: 'page-break', id: 'break-1', section: 'charts' }])),
    );
    expect(parsed.success).toBe(true);
    const marked = ReportDocumentSchema.safeParse(
      overJson(withBlocks([{ type: 'page-break', id: 'break-1', section: 'charts', marking: base.banner } as never])),
    );
    expect(marked.success).toBe(false);
  });
});
