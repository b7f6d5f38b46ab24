import { useMemo, useState } from 'react';
import type { Model } from '../../../common/model/model';
import { columnsOf, sampleOf, type PageAnalysisCall } from '../../engine/analysis-client';
import { formatNumber } from '../run/format';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { OutputChoice } from './StatisticChoice';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { AnalysesRun } from './types';
import { AnalysisOutcome, isPending, useAnalysis } from './use-analysis';

/** Scenario analysis: which inputs drive the output into a tail, by the shift of their medians there. */
export function TailDriversView({
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
  const [tail, setTail] = useState<'upper' | 'lower'>('upper');
  const [percentileText, setPercentileText] = useState('90');
  const [thresholdText, setThresholdText] = useState('0.5');
  const percentile = Number(percentileText);
  const threshold = Number(thresholdText);
  const problems = [
    percentileText.trim() !== '' && percentile > 0 && percentile < 100
      ? null
      : 'The tail boundary is a percentile between 0 and 100 (e.g. 90).',
    thresholdText.trim() !== '' && threshold >= 0 ? null : 'The significance threshold is a number of sd, 0 or more.',
  ].filter((p): p is string => p !== null);
  const call = useMemo(
    (): PageAnalysisCall<'tailDrivers'> | null =>
      problems.length > 0
        ? null
        : {
            analysis: 'tailDrivers',
            args: [
              columnsOf(run.samples, 'inputs', limit),
              sampleOf(run.samples, 'outputs', output, limit),
              { percentile, tail, threshold },
            ],
          },
    // The problems follow from these.
    [run, limit, output, percentile, tail, threshold, problems.length],
  );
  const state = useAnalysis(call);
  const marking = shownMarking(model, [output, ...Object.keys(run.samples.inputs)], banner);

  return (
    <AnalysisSection
      name="tail"
      title="Scenario analysis: what drives the tail"
      marking={marking}
      busy={isPending(state)}
      about={`The iterations whose output is at or ${tail === 'upper' ? 'above' : 'below'} its P${percentileText}: each input's median there against its median overall, as a shift in the input's standard deviations; a shift beyond ±${thresholdText} sd is flagged. From ${run.label}'s samples.`}
      controls={
        <>
          <OutputChoice outputs={outputs} value={output} onChange={setOutput} />
          <label className="field-group">
            Tail
            <select className="field" value={tail} onChange={(e) => setTail(e.target.value as 'upper' | 'lower')}>
              <option value="upper">at or above</option>
              <option value="lower">at or below</option>
            </select>
          </label>
          <label className="field-group">
            Percentile
            <input
              className="field"
              inputMode="decimal"
              value={percentileText}
              onChange={(e) => setPercentileText(e.target.value)}
            />
          </label>
          <label className="field-group">
            Significant beyond (sd)
            <input
              className="field"
              inputMode="decimal"
              value={thresholdText}
              onChange={(e) => setThresholdText(e.target.value)}
            />
          </label>
          {problems.map((p) => (
            <p key={p} className="field-problem" role="alert">
              {p}
            </p>
          ))}
        </>
      }
    >
      <AnalysisOutcome state={state}>
        {(result) =>
          result.subsetSize === 0 ? (
            <p className="muted">No tail: {output} had no finite value.</p>
          ) : (
            <>
              <ol
                className="tornado"
                aria-label={`Median shift of each input in the tail of ${output}`}
                data-testid="tail-chart"
              >
                {result.drivers.map((d) => (
                  <li
                    key={d.input}
                    className={`tornado__row${d.significant ? ' analyses-significant' : ''}`}
                    title={`${d.input}: median ${formatNumber(d.subsetMedian)} in the tail against ${formatNumber(d.overallMedian)} overall (${formatNumber(d.shift)} sd, its P${formatNumber(d.subsetMedianPercentile)})`}
                  >
                    <span className="tornado__label">
                      {d.input}
                      {d.significant ? ' ★' : ''}
                    </span>
                    <span className="tornado__track" aria-hidden="true">
                      <span
                        className={`tornado__bar ${d.shift < 0 ? 'tornado__bar--negative' : 'tornado__bar--positive'}`}
                        style={{ width: `${(50 * Math.abs(d.shift)) / shiftScale(result.drivers)}%` }}
                      />
                    </span>
                    <span className="tornado__value">{formatNumber(d.shift)}</span>
                  </li>
                ))}
              </ol>
              <table className="table" data-testid="tail-table">
                <caption className="visually-hidden">Inputs in the tail of {output}</caption>
                <thead>
                  <tr>
                    <th scope="col">Input</th>
                    <th scope="col">Median in tail</th>
                    <th scope="col">Median overall</th>
                    <th scope="col">Shift (sd)</th>
                    <th scope="col">Tail median&apos;s percentile</th>
                    <th scope="col">Significant</th>
                  </tr>
                </thead>
                <tbody>
                  {result.drivers.map((d) => (
                    <tr key={d.input} data-testid={`tail-row-${d.input}`}>
                      <th scope="row">{d.input}</th>
                      <NumberCell value={d.subsetMedian} text={formatNumber(d.subsetMedian)} />
                      <NumberCell value={d.overallMedian} text={formatNumber(d.overallMedian)} />
                      <NumberCell value={d.shift} text={formatNumber(d.shift)} />
                      <NumberCell
                        value={d.subsetMedianPercentile}
                        text={`P${formatNumber(d.subsetMedianPercentile)}`}
                      />
                      <td data-value={String(d.significant)}>{d.significant ? 'yes' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted">
                {result.subsetSize.toLocaleString('en-US')} of {result.iterations.toLocaleString('en-US')} iterations
                have {output} {tail === 'upper' ? '≥' : '≤'} {formatNumber(result.boundary)} (its P{percentileText}). ★:
                significant.
              </p>
            </>
          )
        }
      </AnalysisOutcome>
    </AnalysisSection>
  );
}

/** The bar width of the largest shift (at least 1 sd, so small shifts look small). */
function shiftScale(drivers: readonly { shift: number }[]): number {
  return Math.max(1, ...drivers.map((d) => Math.abs(d.shift)));
}
