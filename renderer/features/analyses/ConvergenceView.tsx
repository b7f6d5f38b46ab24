import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { Model } from '../../../common/model/model';
import { sampleOf, type PageAnalysisCall } from '../../engine/analysis-client';
import { Chart, themedAxes } from '../run/Chart';
import { formatNumber } from '../run/format';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { seriesColor } from './series-colors';
import { OutputChoice } from './StatisticChoice';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { AnalysesRun } from './types';
import { AnalysisOutcome, isPending, useAnalysis } from './use-analysis';

/** Reads "5, 50, 95" into percentiles; null with a plain-words problem when it cannot. */
export function readPercentiles(text: string): { ok: true; values: number[] } | { ok: false; problem: string } {
  const parts = text
    .split(/[,\s]+/)
    .map((p) => p.trim().replace(/^P/i, ''))
    .filter((p) => p !== '');
  const values = parts.map(Number);
  if (values.length > 6) return { ok: false, problem: 'At most 6 percentiles.' };
  const bad = parts.find((_, i) => !(values[i]! > 0 && values[i]! < 100));
  if (bad !== undefined) return { ok: false, problem: `"${bad}" is not a percentile between 0 and 100.` };
  return { ok: true, values: [...new Set(values)].sort((a, b) => a - b) };
}

/** The mean and chosen percentiles against iterations, with 95% confidence bands. */
export function ConvergenceView({ model, run, banner }: { model: Model; run: AnalysesRun; banner: ShownMarking }) {
  const outputs = Object.keys(run.samples.outputs);
  const [output, setOutput] = useState(outputs[0]!);
  const [text, setText] = useState('5, 50, 95');
  const read = readPercentiles(text);
  const percentiles = read.ok ? read.values.join(',') : null;
  const call = useMemo(
    (): PageAnalysisCall<'convergence'> | null =>
      percentiles === null
        ? null
        : {
            analysis: 'convergence',
            args: [
              sampleOf(run.samples, 'outputs', output),
              percentiles === '' ? [] : percentiles.split(',').map(Number),
            ],
          },
    [run, output, percentiles],
  );
  const state = useAnalysis(call);
  const result = state?.status === 'done' ? state.result : null;
  const marking = shownMarking(model, [output], banner);
  const chart = useMemo(() => {
    if (!result) return null;
    const data: uPlot.AlignedData = [result.checkpoints, ...result.series.flatMap((s) => [s.value, s.low, s.high])];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      cursor: { show: true },
      legend: { show: true, live: true },
      // From the first checkpoint to the last, not padded out to whole decades.
      scales: {
        x: {
          time: false,
          distr: 3,
          range: () => [result.checkpoints[0]!, result.checkpoints[result.checkpoints.length - 1]!],
        },
      },
      axes: themedAxes('iterations (log scale)', output),
      series: [
        { label: 'iterations' },
        ...result.series.flatMap((s, i) => [
          { label: s.label, stroke: seriesColor(i), width: 2, points: { show: false } },
          { label: `${s.label} 95% low`, stroke: seriesColor(i), width: 1, dash: [4, 4], points: { show: false } },
          { label: `${s.label} 95% high`, stroke: seriesColor(i), width: 1, dash: [4, 4], points: { show: false } },
        ]),
      ],
    };
    return { data, options };
  }, [result, output]);

  return (
    <AnalysisSection
      name="convergence"
      title="Convergence"
      marking={marking}
      busy={isPending(state)}
      about={`The mean and percentiles of ${output} over the first n iterations of ${run.label}, at log-spaced n, with 95% confidence bands: the mean's ±1.96·s/√n, and for a percentile the distribution-free interval between two order statistics. Bands that narrow and settle mean enough iterations.`}
      controls={
        <>
          <OutputChoice outputs={outputs} value={output} onChange={setOutput} />
          <label className="field-group">
            Percentiles
            <input
              className="field"
              value={text}
              aria-invalid={read.ok ? undefined : true}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          {read.ok ? null : (
            <p className="field-problem" role="alert">
              {read.problem}
            </p>
          )}
        </>
      }
    >
      <AnalysisOutcome state={state}>
        {(result) =>
          !chart ? null : result.checkpoints.length === 0 ? (
            <p className="muted">No samples kept.</p>
          ) : (
            <>
              <figure className="chart-figure">
                <figcaption>
                  {result.series.map((s) => s.label).join(', ')} of {output} against iterations
                </figcaption>
                <Chart
                  label={`Convergence of ${result.series.map((s) => s.label).join(', ')} of ${output} over ${result.checkpoints[result.checkpoints.length - 1]!.toLocaleString('en-US')} iterations, with 95% bands`}
                  testId="convergence-chart"
                  data={chart.data}
                  options={chart.options}
                  height={300}
                />
              </figure>
              <div className="analysis__scroll analysis__scroll--tall">
                <table className="table" data-testid="convergence-table">
                  <caption className="visually-hidden">Convergence of {output}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Iterations</th>
                      {result.series.map((s) => (
                        <th key={s.label} scope="col">
                          {s.label} (95% band)
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {result.checkpoints.map((k, i) => (
                      <tr key={k} data-testid={`convergence-row-${k}`}>
                        <th scope="row">{k.toLocaleString('en-US')}</th>
                        {result.series.map((s) => (
                          <NumberCell
                            key={s.label}
                            value={s.value[i]!}
                            text={`${formatNumber(s.value[i]!)} (${formatNumber(s.low[i]!)} to ${formatNumber(s.high[i]!)})`}
                          />
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </AnalysisOutcome>
    </AnalysisSection>
  );
}
