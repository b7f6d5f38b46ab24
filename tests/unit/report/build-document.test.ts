import { beforeAll, describe, expect, it } from 'vitest';
import { binnedStatistics } from '../../../common/engine/analysis/tornado';
import { applyScenario } from '../../../common/engine/analysis/scenarios';
import { compileModel } from '../../../common/engine/compile-model';
import { simulateCpu } from '../../../common/engine/simulate-cpu';
import { summarizeSimulation } from '../../../common/engine/summary';
import { formatBanner, parseMarkingOrThrow, rollup } from '../../../common/markings';
import type { Model } from '../../../common/model/model';
import { ReportDocumentSchema } from '../../../common/report/report-document-schema';
import { ReportBuildError, buildReportDocument } from '../../../common/report/build-document';
import type { ReportData } from '../../../common/report/report-data';
import { REPORT_FORMAT, SECTION_KINDS, type ReportDefinition } from '../../../common/report/report-definition';
import type { ReportBlock, ReportDocument } from '../../../common/report/report-document';
import { SpiderBins } from '../../../common/report/sections/spider-bins';
import { exampleModel, realRun, reportData } from './report-fixture';

/** The project example, SECRET//NOFORN, with the schedule inputs unclassified. */
function markedModel(): Model {
  const model = exampleModel();
  return {
    ...model,
    marking: 'SECRET//NOFORN',
    inputs: model.inputs.map((i) => (i.name === 'delay_weeks' || i.name === 'sitework' ? { ...i, marking: '(U)' } : i)),
  };
}

const authority = { classifiedBy: 'J. Smith', derivedFrom: 'Project SCG', declassifyOn: '20510101' };
const PORTIONS: Record<string, string> = { summary: '(U)' };

function everySection(over: Partial<ReportDefinition> = {}): ReportDefinition {
  return {
    format: REPORT_FORMAT,
    title: 'Project cost risk',
    author: 'J. Smith',
    model: { id: 4, version: 3 },
    runs: [11, 12],
    outputs: null,
    banner: null,
    authority,
    sections: SECTION_KINDS.map((kind) => ({
      kind,
      portion: PORTIONS[kind] ?? '(S//NF)',
      paragraphs:
        kind === 'summary'
          ? [
              { portion: '(U)', text: 'Cost risk is dominated by the structure package.' },
              { portion: '(S//NF)', text: 'The P95 exceeds the budget.' },
            ]
          : [],
    })),
    scenarios: {
      parameters: [{ input: 'structure', parameter: 'max' }],
      scenarios: [
        { name: 'As planned', values: [null] },
        { name: 'Steel shortage', values: [4000] },
      ],
    },
    ...over,
  };
}

let model: Model;
let data: ReportData;

beforeAll(() => {
  model = markedModel();
  const table = everySection().scenarios!;
  const scenarioSummaries = table.scenarios.map((scenario) => {
    const applied = applyScenario(model, table, scenario);
    if (!applied.ok) throw new Error(applied.errors.join('; '));
    const compiled = compileModel(applied.model);
    if (!compiled.ok) throw new Error(compiled.errors.join('; '));
    const values = simulateCpu(compiled.compiled, { iterations: 5000, seed: 7, keepInputs: 5000 });
    return summarizeSimulation({ outputs: values.outputs, inputs: values.inputs! });
  });
  data = reportData(model, [realRun(model, 7, 5000, 'Baseline', true), realRun(model, 8, 8000, 'Second look', false)], {
    scenarioSummaries,
  });
});

const byId = (doc: ReportDocument, id: string) => {
  const block = doc.blocks.find((b) => b.id === id);
  if (!block) throw new Error(`no block ${id}: ${doc.blocks.map((b) => b.id).join(', ')}`);
  return block;
};
const tableOf = (doc: ReportDocument, id: string) => byId(doc, id) as Extract<ReportBlock, { type: 'table' }>;
const figureOf = (doc: ReportDocument, id: string) => byId(doc, id) as Extract<ReportBlock, { type: 'figure' }>;
const paragraphOf = (doc: ReportDocument, id: string) => byId(doc, id) as Extract<ReportBlock, { type: 'paragraph' }>;

describe('buildReportDocument', () => {
  it('marks every block but page breaks; the banner is the roll-up of every portion', () => {
    const definition = everySection();
    const doc = buildReportDocument(definition, data);
    for (const block of doc.blocks)
      if (block.type !== 'page-break') expect(block.marking.portion, block.id).toMatch(/^\(.+\)$/);
    const portions = definition.sections.flatMap((s) => [s.portion, ...s.paragraphs.map((p) => p.portion)]);
    expect(doc.banner.banner).toBe(formatBanner(rollup(portions.map((p) => parseMarkingOrThrow(p)))));
    expect(doc.banner).toEqual({ banner: 'SECRET//NOFORN', portion: '(S//NF)', level: 'SECRET' });
    expect(doc.authority).toEqual(authority);
    // Paragraphs carry their own portions, not the section's.
    expect(paragraphOf(doc, 'summary-paragraph-1').marking.portion).toBe('(U)');
    expect(paragraphOf(doc, 'summary-paragraph-2').marking.portion).toBe('(S//NF)');
  });

  it('runs the sections in order, each on new page, each opening with its heading', () => {
    const definition = everySection();
    definition.sections.reverse();
    const doc = buildReportDocument(definition, data);
    const opened = doc.blocks.filter((_, i) => i === 0 || doc.blocks[i - 1]!.type === 'page-break');
    expect(opened.map((b) => b.section)).toEqual(definition.sections.map((s) => s.kind));
    expect(opened.map((b) => b.type)).toEqual(
      definition.sections.map((s) => (s.kind === 'title' ? 'title-page' : 'heading')),
    );
    expect(doc.blocks.filter((b) => b.type === 'page-break')).toHaveLength(definition.sections.length - 1);
    expect(new Set(doc.blocks.map((b) => b.id)).size).toBe(doc.blocks.length);
  });

  it('is deterministic and plain data: the same inputs give a deep-equal document', () => {
    const a = buildReportDocument(everySection(), data);
    const b = buildReportDocument(everySection(), data);
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it("tables hold the summaries' numbers as numbers, captions numbered", () => {
    const doc = buildReportDocument(everySection(), data);
    const stats = tableOf(doc, 'statistics-table-1');
    expect(stats.caption).toMatch(/^Table \d+\. Statistics of each output, by run$/);
    expect(stats.sheet).toBe('Statistics');
    const labels = stats.columns.map((c) => c.label);
    for (const [r, run] of data.runs.entries()) {
      const row = stats.rows.find((cells) => cells[0] === 'total_cost' && cells[1] === run.label)!;
      const s = run.summary.outputs.total_cost!;
      expect(row[labels.indexOf('Mean')]).toBe(s.mean);
      expect(row[labels.indexOf('SD')]).toBe(s.sd);
      expect(row[labels.indexOf('Count')]).toBe([5000, 8000][r]);
      expect(row[labels.indexOf('95% CI high')]).toBe(s.ci95[1]);
    }
    const percentiles = tableOf(doc, 'statistics-table-2');
    expect(percentiles.sheet).toBe('Percentiles');
    const p95 = percentiles.columns.findIndex((c) => c.label === 'P95');
    expect(percentiles.rows[0]![p95]).toBe(data.runs[0]!.summary.outputs.total_cost!.percentiles.p95);
    const captions = doc.blocks.flatMap((b) => (b.type === 'table' ? [b.caption] : []));
    expect(captions.map((c) => Number(/^Table (\d+)\./.exec(c)?.[1]))).toEqual(captions.map((_, i) => i + 1));
  });

  it('the title page names the model version, its hash and the runs', () => {
    const doc = buildReportDocument(everySection(), data);
    const title = byId(doc, 'title-page') as Extract<ReportBlock, { type: 'title-page' }>;
    expect(title.title).toBe('Project cost risk');
    expect(title.lines).toEqual([
      'Author: J. Smith',
      'Date: 2 December 2026',
      'Model: Project cost and schedule risk, version 3',
      `Model SHA-256: ${'ab'.repeat(32)}`,
      'Baseline run: Baseline (seed 7, 5,000 iterations)',
      'Run: Second look (seed 8, 8,000 iterations)',
    ]);
  });

  it('the model description lists inputs with their parameters and portion marks', () => {
    const doc = buildReportDocument(everySection(), data);
    const inputs = tableOf(doc, 'model-inputs');
    expect(inputs.sheet).toBe('Inputs');
    expect(inputs.rows.find((r) => r[0] === 'sitework')).toEqual([
      'sitework',
      'triangular',
      'min 800, mode 950, max 1,400',
      '',
      null,
      '',
      '',
      '(U)',
    ]);
    expect(inputs.rows.find((r) => r[0] === 'delay_weeks')![3]).toBe('[0, 52]');
    expect(inputs.rows.find((r) => r[0] === 'structure')!.at(-1)).toBe('(S//NF)');
    expect(tableOf(doc, 'model-formulas').rows.map((r) => r[0])).toEqual(model.formulas.map((f) => f.name));
    expect(tableOf(doc, 'model-outputs').sheet).toBe('Model');
  });

  it('histograms share edges across runs, each run a share of its iterations; S-curves from the saved CDF', () => {
    const doc = buildReportDocument(everySection(), data);
    const histogram = figureOf(doc, 'charts-histogram-total_cost').chart;
    if (histogram.kind !== 'histogram') throw new Error('expected a histogram');
    expect(histogram.series.map((s) => s.label)).toEqual(['Baseline', 'Second look']);
    for (const series of histogram.series) {
      expect(series.values).toHaveLength(histogram.edges.length - 1);
      expect(series.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const mins = data.runs.map((r) => r.summary.outputs.total_cost!.min);
    expect(histogram.edges[0]).toBe(Math.min(...mins));
    const curve = figureOf(doc, 'charts-scurve-total_cost').chart;
    if (curve.kind !== 'lines') throw new Error('expected lines');
    expect(curve.series[1]!.points[50]).toEqual([data.runs[1]!.summary.outputs.total_cost!.percentiles.p50, 0.5]);
  });

  it('sensitivity: tornado, table and spider from the kept samples; without samples, a paragraph says why', () => {
    const doc = buildReportDocument(everySection(), data);
    const table = tableOf(doc, 'sensitivity-table-total_cost');
    const saved = data.runs[0]!.summary.sensitivity.total_cost!;
    const top = [...saved.inputs].sort((a, b) => Math.abs(b.src) - Math.abs(a.src))[0]!;
    expect(table.rows[0]!.slice(0, 3)).toEqual(['total_cost', top.input, top.src]);
    const spider = figureOf(doc, 'sensitivity-spider-total_cost').chart;
    expect(spider.kind === 'lines' && spider.series[0]!.points.map((p) => p[0])).toEqual([
      5, 15, 25, 35, 45, 55, 65, 75, 85, 95,
    ]);
    // With samples, the tornado is the change in the mean across each input's tenths, around the overall mean.
    const binned = binnedStatistics(data.runs[0]!.samples!.inputs, data.runs[0]!.samples!.outputs.total_cost!, {
      kind: 'mean',
    });
    const tornado = figureOf(doc, 'sensitivity-tornado-total_cost').chart;
    expect(tornado).toMatchObject({ kind: 'tornado' });
    if (tornado.kind !== 'tornado') throw new Error('expected a tornado');
    expect(tornado.baseline).toBeCloseTo(binned.overall, 9);
    expect(tornado.bars[0]!.label).toBe('structure');
    expect(tornado.bars[0]!.low).toBeCloseTo(binned.inputs[0]!.low, 9);
    expect(tornado.bars[0]!.high).toBeCloseTo(binned.inputs[0]!.high, 9);

    const unkept = { ...data, runs: [{ ...data.runs[0]!, samples: null }, data.runs[1]!] };
    const without = buildReportDocument(everySection(), unkept);
    expect(without.blocks.some((b) => b.id === 'sensitivity-spider-total_cost')).toBe(false);
    expect(paragraphOf(without, 'sensitivity-no-samples').text).toMatch(/spider plots need the run's kept samples/);
    const savedTornado = figureOf(without, 'sensitivity-tornado-total_cost').chart;
    const rho = saved.inputs.find((i) => i.input === 'structure')!.rankCorrelation;
    expect(savedTornado).toMatchObject({ kind: 'tornado', baseline: 0 });
    expect(savedTornado.kind === 'tornado' && savedTornado.bars[0]).toEqual({ label: 'structure', low: 0, high: rho });
  });

  it("the spider's bins are binnedStatistics' own (to rounding: the sums run in another order)", () => {
    const samples = data.runs[0]!.samples!;
    const bins = new SpiderBins(samples.inputs);
    /** Every number rounded to 12 significant digits, so two sums of the same values in another order compare equal. */
    const rounded = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)),
      ) as unknown;
    for (const output of model.outputs) {
      const ours = bins.of(samples.outputs[output]!);
      const library = binnedStatistics(samples.inputs, samples.outputs[output]!, { kind: 'mean' });
      expect(ours.inputs.map((r) => r.input)).toEqual(library.inputs.map((r) => r.input));
      expect(rounded(ours)).toEqual(rounded(library));
    }
    const withNaN = Float64Array.from(samples.outputs.total_cost!, (v, i) => (i % 7 === 0 ? Number.NaN : v));
    expect(bins.of(withNaN)).toEqual(binnedStatistics(samples.inputs, withNaN, { kind: 'mean' }));
  });

  it('scenarios: the table and the results side by side; none defined, a paragraph', () => {
    const doc = buildReportDocument(everySection(), data);
    const results = tableOf(doc, 'scenarios-table-2');
    const mean = results.rows.find((r) => r[0] === 'total_cost' && r[1] === 'mean')!;
    expect(mean.slice(2)).toEqual([
      data.scenarioSummaries![0]!.outputs.total_cost!.mean,
      data.scenarioSummaries![1]!.outputs.total_cost!.mean,
      data.scenarioSummaries![1]!.outputs.total_cost!.mean - data.scenarioSummaries![0]!.outputs.total_cost!.mean,
    ]);
    expect(tableOf(doc, 'scenarios-table-1').rows).toEqual([
      ['As planned', null],
      ['Steel shortage', 4000],
    ]);
    const none = buildReportDocument(everySection({ scenarios: null }), { ...data, scenarioSummaries: null });
    expect(paragraphOf(none, 'scenarios-none').text).toBe('No scenarios were defined for this report.');
  });

  it('comparison: each run against the baseline; one run, nothing to compare', () => {
    const doc = buildReportDocument(everySection(), data);
    const table = tableOf(doc, 'comparison-table-1');
    const delta = table.columns.findIndex((c) => c.label === 'Mean − baseline');
    const second = table.rows.find((r) => r[0] === 'total_cost' && r[1] === 'Second look')!;
    const [a, b] = data.runs.map((r) => r.summary.outputs.total_cost!.mean);
    expect(second[delta]).toBe(b! - a!);
    const one = buildReportDocument(everySection({ runs: [11] }), { ...data, runs: [data.runs[0]!] });
    expect(byId(one, 'comparison-one-run').type).toBe('paragraph');
  });

  it('convergence on a log scale from the saved trace; settings per run', () => {
    const doc = buildReportDocument(everySection(), data);
    const trace = figureOf(doc, 'convergence-trace-total_cost').chart;
    if (trace.kind !== 'lines') throw new Error('expected lines');
    expect(trace.xScale).toBe('log');
    expect(trace.series[0]!.points.at(-1)).toEqual([5000, data.runs[0]!.trace.total_cost!.mean.at(-1)]);
    expect(tableOf(doc, 'settings-table-2').rows).toContainEqual(['Seed', 8]);
  });

  it('refuses a report whose markings do not check, with the problem in plain words', () => {
    const definition = everySection();
    definition.sections.find((s) => s.kind === 'statistics')!.portion = '(U)';
    expect(() => buildReportDocument(definition, data)).toThrow(ReportBuildError);
    expect(() => buildReportDocument(definition, data)).toThrow(
      /section "Statistics and percentiles" \(U\): the section is marked \(U\) but shows data marked SECRET\/\/NOFORN/,
    );
  });

  it('is what the printer accepts (ReportDocumentSchema), a formula longer than a cell cut and said so', () => {
    const long: Model = {
      ...model,
      formulas: [...model.formulas, { name: 'long', expr: Array.from({ length: 1500 }, () => 'sitework').join(' + ') }],
    };
    const doc = buildReportDocument(everySection(), { ...data, model: long });
    expect(ReportDocumentSchema.safeParse(doc).error?.issues ?? []).toEqual([]);
    const row = tableOf(doc, 'model-formulas').rows.find((r) => r[0] === 'long')!;
    expect(row[1]).toHaveLength(5000);
    expect(row[1]).toMatch(/ … \(16,497 characters in all\)$/);
  });

  it('refuses data that does not match the definition: its runs, its scenarios', () => {
    expect(() => buildReportDocument(everySection({ runs: [11] }), data)).toThrow(
      'The report names 1 run(s) but 2 were loaded: reload the report.',
    );
    expect(() => buildReportDocument(everySection({ scenarios: null }), data)).toThrow(
      'The report has 0 scenario(s) but results for 2: run the scenarios again.',
    );
  });

  it('a 30-output model builds well under a second', () => {
    const wide: Model = {
      format: 'enclave-model/1',
      name: 'Thirty outputs',
      marking: 'UNCLASSIFIED',
      inputs: Array.from({ length: 10 }, (_, i) => ({
        name: `x${i}`,
        dist: { type: 'normal' as const, mean: i, sd: 1 },
      })),
      correlations: [],
      formulas: Array.from({ length: 30 }, (_, k) => ({
        name: `y${k}`,
        expr: `x${k % 10} * ${k + 1} + x${(k + 3) % 10}`,
      })),
      outputs: Array.from({ length: 30 }, (_, k) => `y${k}`),
    };
    const runs = [realRun(wide, 1, 10_000, 'First', true), realRun(wide, 2, 10_000, 'Second', false)];
    const definition = everySection({ scenarios: null, authority: null });
    definition.sections.forEach((s) => {
      s.portion = '(U)';
      s.paragraphs.forEach((p) => (p.portion = '(U)'));
    });
    const start = performance.now();
    const doc = buildReportDocument(definition, reportData(wide, runs));
    const ms = performance.now() - start;
    console.log(
      `report document of 30 outputs, 2 runs (10,000 iterations each, samples kept): ${ms.toFixed(0)} ms, ${doc.blocks.length} blocks`,
    );
    expect(doc.blocks.filter((b) => b.type === 'figure' && b.id.startsWith('charts-histogram-'))).toHaveLength(30);
    expect(doc.authority).toBeNull();
  });
});
