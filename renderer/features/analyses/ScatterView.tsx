import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { SCATTER_POINTS } from '../../../common/engine/analysis/scatter';
import type { Model } from '../../../common/model/model';
import { sampleOf, type PageAnalysisCall } from '../../engine/analysis-client';
import { Chart, themedAxes } from '../run/Chart';
import { formatCorrelation } from '../run/format';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { OutputChoice } from './StatisticChoice';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { AnalysesRun } from './types';
import { AnalysisOutcome, isPending, useAnalysis } from './use-analysis';

/** An output against an input: the points (a bounded subsample) and the rank correlation (from all iterations). */
export function ScatterView({ model, run, banner }: { model: Model; run: AnalysesRun; banner: ShownMarking }) {
  const outputs = Object.keys(run.samples.outputs);
  const inputs = Object.keys(run.samples.inputs);
  const [output, setOutput] = useState(outputs[0]!);
  const [input, setInput] = useState(inputs[0]!);
  const call = useMemo(
    (): PageAnalysisCall<'scatter'> => ({
      analysis: 'scatter',
      args: [sampleOf(run.samples, 'inputs', input), sampleOf(run.samples, 'outputs', output)],
    }),
    [run, input, output],
  );
  const state = useAnalysis(call);
  const marking = shownMarking(model, [input, output], banner);
  const result = state?.status === 'done' ? state.result : null;
  const chart = useMemo(() => {
    if (!result) return null;
    // uPlot finds the hovered point by x: the points go to it in x order (the same set of points).
    const order = result.x.map((_, i) => i).sort((a, b) => result.x[a]! - result.x[b]!);
    const data: uPlot.AlignedData = [order.map((i) => result.x[i]!), order.map((i) => result.y[i]!)];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      cursor: { show: true },
      legend: { show: true, live: true },
      scales: { x: { time: false } },
      axes: themedAxes(input, output),
      series: [
        { label: input },
        {
          label: output,
          stroke: '#56b4e9',
          fill: '#56b4e9',
          width: 0,
          paths: () => null,
          points: { show: true, size: 3 },
        },
      ],
    };
    return { data, options };
  }, [result, input, output]);

  return (
    <AnalysisSection
      name="scatter"
      title="Scatter"
      marking={marking}
      busy={isPending(state)}
      about={`${output} against ${input} in ${run.label}. The rank correlation is from every iteration where both are finite numbers; at most ${SCATTER_POINTS.toLocaleString('en-US')} points, evenly spread over the run, are drawn.`}
      controls={
        <>
          <OutputChoice outputs={outputs} value={output} onChange={setOutput} />
          <OutputChoice outputs={inputs} value={input} onChange={setInput} label="Input" />
        </>
      }
    >
      <AnalysisOutcome state={state}>
        {(result) =>
          !chart ? null : result.iterations === 0 ? (
            <p className="muted">No points: no iteration has both as finite numbers.</p>
          ) : (
            <>
              <figure className="chart-figure">
                <figcaption>
                  {output} against {input}
                </figcaption>
                <Chart
                  label={`Scatter of ${output} against ${input}: ${result.x.length} points; rank correlation ${formatCorrelation(result.rankCorrelation)}`}
                  testId="scatter-chart"
                  data={chart.data}
                  options={chart.options}
                  height={300}
                />
              </figure>
              <table className="table" data-testid="scatter-table">
                <caption className="visually-hidden">The scatter&apos;s numbers</caption>
                <tbody>
                  <tr data-testid="scatter-row-rank-correlation">
                    <th scope="row">Rank correlation (Spearman)</th>
                    <NumberCell value={result.rankCorrelation} text={formatCorrelation(result.rankCorrelation)} />
                  </tr>
                  <tr data-testid="scatter-row-iterations">
                    <th scope="row">Iterations it is from</th>
                    <NumberCell value={result.iterations} text={result.iterations.toLocaleString('en-US')} />
                  </tr>
                  <tr data-testid="scatter-row-points">
                    <th scope="row">Points drawn</th>
                    <NumberCell value={result.x.length} text={result.x.length.toLocaleString('en-US')} />
                  </tr>
                </tbody>
              </table>
            </>
          )
        }
      </AnalysisOutcome>
    </AnalysisSection>
  );
}
