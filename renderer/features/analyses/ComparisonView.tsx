import { useMemo, useState } from 'react';
import uPlot from 'uplot';
import type { Model } from '../../../common/model/model';
import { sampleOf, type PageAnalysisCall } from '../../engine/analysis-client';
import { Chart, themedAxes } from '../run/Chart';
import { formatNumber } from '../run/format';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { seriesColor } from './series-colors';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { AnalysesRun } from './types';
import { AnalysisOutcome, isPending, useAnalysis } from './use-analysis';

const HOVER = { cursor: { show: true }, legend: { show: true, live: true } } as const;

/** Overlaid S-curves and histograms of several runs or outputs, and the table of their statistics' differences. */
export function ComparisonView({
  model,
  runs,
  banner,
}: {
  model: Model;
  runs: readonly AnalysesRun[];
  banner: ShownMarking;
}) {
  const pairs = useMemo(
    () =>
      runs.flatMap((run, r) =>
        Object.keys(run.samples.outputs).map((output) => ({
          key: `${r}:${output}`,
          label: runs.length > 1 ? `${run.label} · ${output}` : output,
          run,
          output,
        })),
      ),
    [runs],
  );
  // Several runs: one output across them. One run: its outputs side by side. A run added to or
  // taken from the comparison starts the choice again (the keys name runs by their place).
  const defaultChoice = () =>
    runs.length > 1
      ? runs.map((_, r) => `${r}:${model.outputs[0]}`)
      : pairs.slice(0, Math.min(2, pairs.length)).map((p) => p.key);
  const [choice, setChoice] = useState<{ runs: readonly AnalysesRun[]; keys: string[] }>(() => ({
    runs,
    keys: defaultChoice(),
  }));
  // The same array from render to render, so the request to the worker stays the same one.
  const chosen = useMemo(() => (choice.runs === runs ? choice.keys : defaultChoice()), [choice, runs, pairs]);
  const setChosen = (keys: string[]) => setChoice({ runs, keys });
  const [thresholdText, setThresholdText] = useState('');
  const threshold = thresholdText.trim() === '' ? null : Number(thresholdText);
  const thresholdProblem = threshold !== null && !Number.isFinite(threshold) ? 'Type a number, e.g. 4500.' : null;
  const selected = useMemo(() => pairs.filter((p) => chosen.includes(p.key)), [pairs, chosen]);
  const call = useMemo(
    (): PageAnalysisCall<'compareSeries'> | null =>
      selected.length === 0
        ? null
        : {
            analysis: 'compareSeries',
            args: [
              selected.map((p) => ({ label: p.label, values: sampleOf(p.run.samples, 'outputs', p.output) })),
              { thresholds: threshold !== null && Number.isFinite(threshold) ? [threshold] : [] },
            ],
          },
    [selected, threshold],
  );
  const state = useAnalysis(call);
  const comparison = state?.status === 'done' ? state.result : null;
  const marking = shownMarking(
    model,
    selected.map((p) => p.output),
    banner,
  );

  const charts = useMemo(() => {
    if (!comparison) return null;
    const series = comparison.labels.map((label, i): uPlot.Series => ({
      label,
      stroke: seriesColor(i),
      width: 2,
      points: { show: false },
    }));
    // Steps over the common bins: each bin's share from its left edge to the next (the last repeated to close it).
    const { edges, shares } = comparison.histogram;
    const steps = shares.map((s) => (s.length ? [...s, s[s.length - 1]!] : []).map((v) => 100 * v));
    return {
      curve: {
        data: [
          comparison.sCurves.x,
          ...comparison.sCurves.cumulative.map((c) => c.map((v) => 100 * v)),
        ] as uPlot.AlignedData,
        options: {
          ...HOVER,
          scales: { x: { time: false }, y: { range: [0, 100] as [number, number] } },
          axes: themedAxes('value', 'cumulative %'),
          series: [{ label: 'value' }, ...series],
        },
      },
      histogram: {
        data: [edges, ...steps] as uPlot.AlignedData,
        options: {
          ...HOVER,
          scales: { x: { time: false } },
          axes: themedAxes('value (bins start at each step)', '% of iterations'),
          series: [
            { label: 'bin from' },
            ...series.map((s) => ({ ...s, width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }) })),
          ],
        },
      },
    };
  }, [comparison]);

  const toggle = (key: string) => setChosen(chosen.includes(key) ? chosen.filter((k) => k !== key) : [...chosen, key]);
  const kept = runs.filter((run) => {
    const first = Object.values(run.summary.outputs)[0];
    return first !== undefined && first.count + first.nonFinite > run.samples.iterations;
  });

  return (
    <AnalysisSection
      name="comparison"
      title="Run comparison"
      marking={marking}
      busy={isPending(state)}
      about="The S-curves and histograms of the chosen runs or outputs on one chart (histograms on common bins), and each statistic's difference from the first chosen, the baseline."
      controls={
        <>
          <fieldset className="analysis__choices">
            <legend>Compare (the first chosen is the baseline)</legend>
            {pairs.map((p) => (
              <label key={p.key} className="choice">
                <input type="checkbox" checked={chosen.includes(p.key)} onChange={() => toggle(p.key)} />
                {p.label}
              </label>
            ))}
          </fieldset>
          <label className="field-group">
            P(value &gt; x) for x =
            <input
              className="field"
              inputMode="decimal"
              value={thresholdText}
              aria-invalid={thresholdProblem ? true : undefined}
              onChange={(e) => setThresholdText(e.target.value)}
              aria-label="Threshold x for P(value > x)"
            />
          </label>
          {thresholdProblem ? <p className="field-problem">{thresholdProblem}</p> : null}
        </>
      }
    >
      {!call ? (
        <p className="muted">Choose at least one run or output to compare.</p>
      ) : (
        <AnalysisOutcome state={state}>
          {(comparison) =>
            !charts ? null : (
              <>
                <div className="charts">
                  <figure className="chart-figure">
                    <figcaption>S-curves</figcaption>
                    <Chart
                      label={`Cumulative distributions of ${comparison.labels.join(', ')}`}
                      testId="comparison-scurves"
                      data={charts.curve.data}
                      options={charts.curve.options}
                    />
                  </figure>
                  <figure className="chart-figure">
                    <figcaption>Histograms on common bins</figcaption>
                    <Chart
                      label={`Histograms of ${comparison.labels.join(', ')} on ${comparison.histogram.edges.length - 1} common bins`}
                      testId="comparison-histograms"
                      data={charts.histogram.data}
                      options={charts.histogram.options}
                    />
                  </figure>
                </div>
                <table className="table" data-testid="comparison-table">
                  <caption className="visually-hidden">
                    Statistics of each compared series and their differences
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Statistic</th>
                      {comparison.labels.map((label, i) => (
                        <th key={label} scope="col">
                          {label}
                          {i === 0 ? ' (baseline)' : ''}
                        </th>
                      ))}
                      {comparison.labels.slice(1).map((label) => (
                        <th key={`d-${label}`} scope="col">
                          Δ {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {comparison.rows.map((row) => (
                      <tr key={row.statistic} data-testid={`comparison-row-${row.statistic}`}>
                        <th scope="row">{row.statistic}</th>
                        {row.values.map((v, i) => (
                          <NumberCell key={i} value={v} text={formatNumber(v)} />
                        ))}
                        {row.differences.slice(1).map((v, i) => (
                          <NumberCell key={`d${i}`} value={v} text={formatNumber(v)} />
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted">
                  Finite values:{' '}
                  {comparison.labels.map((l, i) => `${l} ${comparison.counts[i]!.toLocaleString('en-US')}`).join('; ')}.
                  {kept.length > 0
                    ? ` ${kept.map((r) => r.label).join(', ')} kept fewer samples than it ran: computed from the kept samples.`
                    : ''}
                </p>
              </>
            )
          }
        </AnalysisOutcome>
      )}
    </AnalysisSection>
  );
}
