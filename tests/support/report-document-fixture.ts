/**
 * A realistic SECRET//NOFORN report document, as buildReportDocument would make it: a title page, an
 * authority block, headings, the analyst's paragraphs (some UNCLASSIFIED), a statistics table long
 * enough to run onto a second page, and one figure of each chart kind. Deterministic: no clock, no
 * randomness (a fixed linear congruential generator makes the samples).
 */
import type { ReportBlock, ReportDocument, ReportMarking } from '../../common/report/report-document';
import { REPORT_DOCUMENT_FORMAT } from '../../common/report/report-document';

export const SECRET_NOFORN: ReportMarking = { banner: 'SECRET//NOFORN', portion: '(S//NF)', level: 'SECRET' };
export const UNCLASSIFIED: ReportMarking = { banner: 'UNCLASSIFIED', portion: '(U)', level: 'UNCLASSIFIED' };

/** A repeatable stream of numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const INPUTS = [
  'Labour rate',
  'Steel price',
  'Schedule slip (weeks)',
  'Fuel cost',
  'Contingency draw',
  'Exchange rate',
  'Test failures',
  'Integration effort',
];

export const FIXTURE_TEXT = {
  summaryParagraph:
    'The programme completes within its approved budget in 78 percent of simulated outcomes. The largest single driver of cost growth is the labour rate, followed by the schedule slip of the integration phase.',
  unclassifiedParagraph: 'This report was produced with Enclave from two saved runs of the same model.',
  longTableCaption: 'Percentiles of every output, baseline run',
};

function percentileRows(count: number, next: () => number): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < count; i++) {
    const base = 1000 + i * 37.5;
    rows.push([
      `Output ${String(i + 1).padStart(2, '0')}: cost element ${i + 1}`,
      base,
      base * (1.05 + next() * 0.1),
      base * 1.3,
      next(),
    ]);
  }
  return rows;
}

/** Options for the document: a bigger one repeats the data sections (the 50-page benchmark). */
export interface FixtureOptions {
  /** How many times the statistics, charts and sensitivity sections repeat (1 for the fixture). */
  repeats?: number;
  /** Rows of the long table. */
  tableRows?: number;
}

export function reportDocumentFixture(options: FixtureOptions = {}): ReportDocument {
  const next = lcg(20260601);
  const repeats = options.repeats ?? 1;
  const tableRows = options.tableRows ?? 60;
  const S = SECRET_NOFORN;
  const blocks: ReportBlock[] = [
    {
      id: 'title',
      type: 'title-page',
      section: 'title',
      marking: UNCLASSIFIED,
      title: 'Cost risk assessment: Harbour Bridge refit',
      lines: [
        'Prepared by: J. Analyst, Cost Analysis Division',
        'Date: 1 June 2026',
        'Model: Harbour Bridge refit cost model, version 7',
        'Runs: Baseline (100,000 iterations), Mitigated (100,000 iterations)',
      ],
    },
    { id: 'summary-h', type: 'heading', section: 'summary', level: 1, marking: S, text: 'Executive summary' },
    { id: 'summary-p1', type: 'paragraph', section: 'summary', marking: S, text: FIXTURE_TEXT.summaryParagraph },
    {
      id: 'summary-p2',
      type: 'paragraph',
      section: 'summary',
      marking: UNCLASSIFIED,
      text: FIXTURE_TEXT.unclassifiedParagraph,
    },
  ];
  for (let r = 0; r < repeats; r++) {
    const suffix = repeats > 1 ? ` (part ${r + 1})` : '';
    const at = (id: string) => (repeats > 1 ? `${id}-${r + 1}` : id);
    blocks.push(
      {
        id: at('stats-h'),
        type: 'heading',
        section: 'statistics',
        level: 1,
        marking: S,
        text: `Statistics and percentiles${suffix}`,
      },
      {
        id: at('stats-p'),
        type: 'paragraph',
        section: 'statistics',
        marking: S,
        text: 'Each row gives the fifth, fiftieth and ninety-fifth percentile of one output across the baseline run, with the probability that it stays within its budget line.',
      },
      {
        id: at('stats-table'),
        type: 'table',
        section: 'statistics',
        marking: S,
        caption: `${FIXTURE_TEXT.longTableCaption}${suffix}`,
        sheet: 'Percentiles',
        columns: [
          { label: 'Output', kind: 'text' },
          { label: 'P5', kind: 'number', decimals: 1 },
          { label: 'P50', kind: 'number', decimals: 1 },
          { label: 'P95', kind: 'number', decimals: 1 },
          { label: 'Within budget', kind: 'percent', decimals: 1 },
        ],
        rows: percentileRows(tableRows, next),
      },
      {
        id: at('charts-h'),
        type: 'heading',
        section: 'charts',
        level: 1,
        marking: S,
        text: `Histograms and S-curves${suffix}`,
      },
      {
        id: at('histogram'),
        type: 'figure',
        section: 'charts',
        marking: S,
        caption: `Distribution of total cost, both runs${suffix}`,
        chart: {
          kind: 'histogram',
          xLabel: 'Total cost ($M)',
          yLabel: 'Share of iterations',
          edges: Array.from({ length: 21 }, (_, i) => 80 + i * 4),
          series: ['Baseline', 'Mitigated'].map((label, s) => ({
            label,
            values: Array.from({ length: 20 }, (_, i) => Math.exp(-(((i - 9 + s * 2) / 4) ** 2)) * 0.12),
          })),
        },
      },
      {
        id: at('s-curve'),
        type: 'figure',
        section: 'charts',
        marking: S,
        caption: `Cumulative probability of total cost${suffix}`,
        chart: {
          kind: 'lines',
          xLabel: 'Total cost ($M)',
          yLabel: 'Probability of not exceeding',
          series: ['Baseline', 'Mitigated'].map((label, s) => ({
            label,
            points: Array.from(
              { length: 41 },
              (_, i) => [80 + i * 2, 1 / (1 + Math.exp(-(i - 20 + s * 4) / 4))] as [number, number],
            ),
          })),
        },
      },
      {
        id: at('convergence'),
        type: 'figure',
        section: 'convergence',
        marking: S,
        caption: `Convergence of the mean total cost${suffix}`,
        chart: {
          kind: 'lines',
          xLabel: 'Iterations',
          yLabel: 'Mean total cost ($M)',
          xScale: 'log',
          series: [
            {
              label: 'Baseline',
              points: Array.from({ length: 40 }, (_, i) => {
                const n = Math.round(10 ** (2 + i / 13));
                return [n, 112 + (next() - 0.5) * (40 / Math.sqrt(n))] as [number, number];
              }),
            },
          ],
        },
      },
      {
        id: at('sens-h'),
        type: 'heading',
        section: 'sensitivity',
        level: 1,
        marking: S,
        text: `Sensitivity: tornado and spider${suffix}`,
      },
      {
        id: at('tornado'),
        type: 'figure',
        section: 'sensitivity',
        marking: S,
        caption: `Swing of the mean total cost as each input moves from its P10 to its P90${suffix}`,
        chart: {
          kind: 'tornado',
          xLabel: 'Mean total cost ($M)',
          baseline: 112,
          bars: INPUTS.map((label, i) => ({ label, low: 112 - (16 - i * 1.8), high: 112 + (19 - i * 2.1) })),
        },
      },
      {
        id: at('sens-p'),
        type: 'paragraph',
        section: 'sensitivity',
        marking: S,
        text: 'The labour rate moves the mean total cost by more than any other input; the exchange rate and the test failures matter little at these ranges.',
      },
    );
  }
  blocks.push(
    { id: 'settings-break', type: 'page-break', section: 'settings' },
    { id: 'settings-h', type: 'heading', section: 'settings', level: 1, marking: UNCLASSIFIED, text: 'Run settings' },
    {
      id: 'settings-table',
      type: 'table',
      section: 'settings',
      marking: UNCLASSIFIED,
      caption: 'Settings of each run',
      sheet: 'Settings',
      columns: [
        { label: 'Setting', kind: 'text' },
        { label: 'Baseline', kind: 'text' },
        { label: 'Mitigated', kind: 'text' },
      ],
      rows: [
        ['Iterations', '100,000', '100,000'],
        ['Seed', '20260601', '20260601'],
        ['Sampling', 'Latin hypercube', 'Latin hypercube'],
        ['Engine', 'CPU (4 workers)', 'CPU (4 workers)'],
        ['Model version', '7', '7'],
        ['Application', 'Enclave 0.1.0', 'Enclave 0.1.0'],
      ],
    },
  );
  return {
    format: REPORT_DOCUMENT_FORMAT,
    title: 'Cost risk assessment: Harbour Bridge refit',
    author: 'J. Analyst',
    banner: SECRET_NOFORN,
    authority: {
      classifiedBy: 'J. Analyst, Cost Analysis Division',
      derivedFrom: 'Programme Security Classification Guide, 12 March 2025',
      declassifyOn: '20510601',
    },
    createdAt: '2026-06-01T12:00:00.000Z',
    blocks,
  };
}

/** About fifty pages (52 with Noto Sans on Letter): the statistics, charts and sensitivity repeated 14 times. */
export const FIFTY_PAGE_REPORT: FixtureOptions = { repeats: 14, tableRows: 45 };

export function fiftyPageReportDocument(): ReportDocument {
  return reportDocumentFixture(FIFTY_PAGE_REPORT);
}
