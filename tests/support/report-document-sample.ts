import type { ReportDocument, ReportMarking } from '../../common/report/report-document';

/** A small SECRET report document, by hand: a heading, a paragraph, a table and a histogram. */
export function sampleReportDocument(): ReportDocument {
  const secret: ReportMarking = { banner: 'SECRET', portion: '(S)', level: 'SECRET' };
  const unclassified: ReportMarking = { banner: 'UNCLASSIFIED', portion: '(U)', level: 'UNCLASSIFIED' };
  return {
    format: 'enclave-report-document/1',
    title: 'Bridge cost, quarterly',
    author: 'A. Analyst',
    banner: secret,
    authority: { classifiedBy: 'A. Analyst, J2', derivedFrom: 'Multiple Sources', declassifyOn: '20501231' },
    createdAt: '2026-12-02T14:00:00.000Z',
    blocks: [
      {
        id: 'summary-heading',
        section: 'summary',
        marking: unclassified,
        type: 'heading',
        level: 1,
        text: 'Executive summary',
      },
      { id: 'summary-p1', section: 'summary', marking: secret, type: 'paragraph', text: 'The cost is within budget.' },
      {
        id: 'statistics-table',
        section: 'statistics',
        marking: secret,
        type: 'table',
        caption: 'Statistics of Cost',
        sheet: 'Statistics',
        columns: [
          { label: 'Statistic', kind: 'text' },
          { label: 'Cost', kind: 'number', decimals: 2 },
        ],
        rows: [
          ['Mean', 101.5],
          ['Skewness', null],
        ],
      },
      {
        id: 'charts-cost-histogram',
        section: 'charts',
        marking: secret,
        type: 'figure',
        caption: 'Histogram of Cost',
        chart: {
          kind: 'histogram',
          xLabel: 'Cost',
          yLabel: 'Share of iterations',
          edges: [0, 50, 100, 150],
          series: [{ label: 'this run', values: [0.2, 0.5, 0.3] }],
        },
      },
    ],
  };
}
