// A hand-built SECRET//NOFORN report document, as build-document.ts makes them: a title page, an
// executive summary with paragraphs at different portions, statistics of two runs, percentiles,
// sensitivity (a percent column), the model's inputs (text a spreadsheet would run as a formula),
// settings on the Summary sheet, a figure and page breaks. For the workbook and CSV tests.
import type { RunSamples } from '../../../common/engine/analysis/run-samples';
import type { ReportDocument, ReportMarking } from '../../../common/report/report-document';

export const SECRET_NF: ReportMarking = { banner: 'SECRET//NOFORN', portion: '(S//NF)', level: 'SECRET' };
export const SECRET: ReportMarking = { banner: 'SECRET', portion: '(S)', level: 'SECRET' };
export const UNCLASSIFIED: ReportMarking = { banner: 'UNCLASSIFIED', portion: '(U)', level: 'UNCLASSIFIED' };
export const CREATED_AT = '2026-11-30T09:15:42.000Z';
/** The samples the browser check's page builds its workbook with (tests/e2e/support/report-workbook-page.tsx). */
export const PAGE_SAMPLE_ITERATIONS = 500;

const statisticsColumns = [
  { label: 'Output', kind: 'text' as const },
  { label: 'Iterations', kind: 'integer' as const },
  { label: 'Mean', kind: 'number' as const, decimals: 2 },
  { label: 'Std. deviation', kind: 'number' as const, decimals: 3 },
  { label: 'Skewness', kind: 'number' as const },
];

export function exportFixture(): ReportDocument {
  return {
    format: 'enclave-report-document/1',
    title: 'Project Alder cost risk',
    author: 'J. Analyst',
    banner: SECRET_NF,
    authority: {
      classifiedBy: 'J. Analyst, Cost Office',
      derivedFrom: 'Alder SCG, 2026-03-01',
      declassifyOn: '20511130',
    },
    createdAt: CREATED_AT,
    blocks: [
      {
        type: 'title-page',
        id: 'title',
        section: 'title',
        marking: UNCLASSIFIED,
        title: 'Project Alder cost risk',
        lines: ['Model: Alder cost, version 3', 'Runs: Baseline, Mitigated'],
      },
      { type: 'page-break', id: 'title-break', section: 'title' },
      { type: 'heading', id: 'summary-h', section: 'summary', marking: SECRET_NF, level: 1, text: 'Executive summary' },
      {
        type: 'paragraph',
        id: 'summary-1',
        section: 'summary',
        marking: UNCLASSIFIED,
        text: 'This report gives the cost risk.',
      },
      {
        type: 'paragraph',
        id: 'summary-2',
        section: 'summary',
        marking: SECRET_NF,
        text: 'The P80 cost, "with" mitigation, is 14.2 M, down from 17.9 M.',
      },
      {
        type: 'table',
        id: 'stats-baseline',
        section: 'statistics',
        marking: SECRET,
        caption: 'Statistics of Baseline',
        sheet: 'Statistics',
        columns: statisticsColumns,
        rows: [
          ['Total cost', 10000, 15.123456789, 2.5, 0.4123456789012345],
          ['Schedule', 10000, 31.5, 4.25, null],
        ],
      },
      {
        type: 'table',
        id: 'stats-mitigated',
        section: 'statistics',
        marking: SECRET,
        caption: 'Statistics of Mitigated',
        sheet: 'Statistics',
        columns: statisticsColumns,
        rows: [['Total cost', 10000, 12.75, 1.875, -0.125]],
      },
      {
        type: 'table',
        id: 'percentiles',
        section: 'statistics',
        marking: SECRET,
        caption: 'Percentiles of Total cost',
        sheet: 'Percentiles',
        columns: [
          { label: 'Run', kind: 'text' },
          { label: 'P10', kind: 'number', decimals: 1 },
          { label: 'P50', kind: 'number', decimals: 1 },
          { label: 'P90', kind: 'number', decimals: 1 },
        ],
        rows: [
          ['Baseline', 12.1, 15.0, 18.6],
          ['Mitigated', 10.5, 12.7, 15.1],
        ],
      },
      {
        type: 'figure',
        id: 'histogram',
        section: 'charts',
        marking: SECRET,
        caption: 'Histogram of Total cost',
        chart: { kind: 'histogram', xLabel: 'Total cost', yLabel: 'Share', edges: [0, 1, 2], series: [] },
      },
      {
        type: 'table',
        id: 'tornado',
        section: 'sensitivity',
        marking: SECRET_NF,
        caption: 'Contribution to variance of Total cost',
        sheet: 'Sensitivity',
        columns: [
          { label: 'Input', kind: 'text' },
          { label: 'Contribution', kind: 'percent' },
          { label: 'Rank correlation', kind: 'number', decimals: 3 },
        ],
        rows: [
          ['Labour rate', 0.625, 0.79],
          ['Steel price', 0.25, -0.5],
        ],
      },
      {
        type: 'table',
        id: 'inputs',
        section: 'model',
        marking: UNCLASSIFIED,
        caption: 'Inputs: distributions, parameters',
        sheet: 'Inputs',
        columns: [
          { label: 'Input', kind: 'text' },
          { label: 'Distribution', kind: 'text' },
          { label: 'Note', kind: 'text' },
        ],
        rows: [
          ['Labour rate', 'triangular(10, 12, 18)', '=HYPERLINK("http://example.invalid")'],
          ['Steel price', 'normal(5, 0.5)', '-5 on a bad day, @risk'],
        ],
      },
      {
        type: 'table',
        id: 'settings',
        section: 'settings',
        marking: UNCLASSIFIED,
        caption: 'Run settings',
        sheet: 'Summary',
        columns: [
          { label: 'Setting', kind: 'text' },
          { label: 'Baseline', kind: 'text' },
        ],
        rows: [
          ['Seed', 42],
          ['Sampling', 'Latin hypercube'],
        ],
      },
    ],
  };
}

/** A run's kept samples: two inputs, an output, a NaN where the formula had no value. */
export function fixtureSamples(iterations: number): RunSamples {
  const labour = Float64Array.from({ length: iterations }, (_, i) => 10 + (i % 97) / 7);
  const steel = Float64Array.from({ length: iterations }, (_, i) => 5 + Math.sin(i) / 3);
  const total = Float64Array.from({ length: iterations }, (_, i) => (i === 3 ? NaN : labour[i]! + steel[i]!));
  return { iterations, inputs: { 'Labour rate': labour, 'Steel price': steel }, outputs: { 'Total cost': total } };
}
