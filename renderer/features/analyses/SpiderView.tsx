import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { describeStatistic } from '../../../common/engine/analysis/sample-math';
import type { Model } from '../../../common/model/model';
import { columnsOf, sampleOf, type PageAnalysisCall } from '../../engine/analysis-client';
import { Chart, themedAxes } from '../run/Chart';
import { formatNumber } from '../run/format';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { seriesColor } from './series-colors';
import { OutputChoice, StatisticChoice, type BinChoice } from './StatisticChoice';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { AnalysesRun } from './types';
import { AnalysisOutcome, isPending, useAnalysis } from './use-analysis';

/** The spider plot: the output statistic in each input bin, every input on one chart against the input percentile. */
export function SpiderView({
  model,
  run,
  limit,
  banner,
}: {
  model: Model;
  run: AnalysesRun;
  /** Read at most the first this many iterations. */
  limit?: number;
  banner: ShownMarking;
}) {
  const outputs = Object.keys(run.samples.outputs);
  const [output, setOutput] = useState(outputs[0]!);
  const [choice, setChoice] = useState<BinChoice>({ statistic: { kind: 'mean' }, bins: 10 });
  const call = useMemo(
    (): PageAnalysisCall<'binnedStatistics'> => ({
      analysis: 'binnedStatistics',
      args: [
        columnsOf(run.samples, 'inputs', limit),
        sampleOf(run.samples, 'outputs', output, limit),
        choice.statistic,
        choice.bins,
      ],
    }),
    [run, limit, output, choice],
  );
  const state = useAnalysis(call);
  const binned = state?.status === 'done' ? state.result : null;
  const shownInputs = binned ? binned.inputs.map((r) => r.input) : Object.keys(run.samples.inputs);
  const marking = shownMarking(model, [output, ...shownInputs], banner);
  const label = describeStatistic(choice.statistic);
  const chart = useMemo(() => {
    if (!binned) return null;
    const data: uPlot.AlignedData = [binned.binCenters, ...binned.inputs.map((r) => r.statistic)];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      cursor: { show: true },
      legend: { show: true, live: true },
      scales: { x: { time: false, range: [0, 100] } },
      axes: themedAxes('input percentile (bin centre)', `${binned.label} of ${output}`),
      series: [
        { label: 'input percentile' },
        ...binned.inputs.map((r, i) => ({ label: r.input, stroke: seriesColor(i), width: 2, points: { show: true } })),
      ],
    };
    return { data, options };
  }, [binned, output]);

  return (
    <AnalysisSection
      name="spider"
      title="Spider plot"
      marking={marking}
      busy={isPending(state)}
      about={`The ${label} of the output in each of ${choice.bins} equal-count bins of every input, plotted at the bin's middle percentile of that input: steep lines are the inputs that move the output. From ${run.label}'s samples.`}
      controls={
        <>
          <OutputChoice outputs={outputs} value={output} onChange={setOutput} />
          <StatisticChoice value={choice} onChange={setChoice} />
        </>
      }
    >
      <AnalysisOutcome state={state}>
        {(binned) =>
          !chart ? null : binned.inputs.length === 0 ? (
            <p className="muted">No spider plot: {output} had too few finite values.</p>
          ) : (
            <>
              <figure className="chart-figure">
                <figcaption>
                  {binned.label} of {output} by input percentile
                </figcaption>
                <Chart
                  label={`Spider plot of the ${binned.label} of ${output} against the percentile of ${binned.inputs.map((r) => r.input).join(', ')}`}
                  testId="spider-chart"
                  data={chart.data}
                  options={chart.options}
                  height={300}
                />
              </figure>
              <div className="analysis__scroll">
                <table className="table" data-testid="spider-table">
                  <caption className="visually-hidden">
                    {binned.label} of {output} in each input bin
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Input</th>
                      {binned.binCenters.map((c) => (
                        <th key={c} scope="col">
                          P{formatNumber(c)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {binned.inputs.map((row) => (
                      <tr key={row.input} data-testid={`spider-row-${row.input}`}>
                        <th scope="row">{row.input}</th>
                        {row.statistic.map((v, k) => (
                          <NumberCell key={k} value={v} text={formatNumber(v)} />
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
