import { useMemo, useState } from 'react';
import type { BinnedStatistics, TornadoMethod } from '../../../common/engine/analysis/tornado';
import type { Model } from '../../../common/model/model';
import { columnsOf, sampleOf, type PageAnalysisCall } from '../../engine/analysis-client';
import { formatCorrelation, formatNumber, formatShare } from '../run/format';
import { AnalysisSection, NumberCell } from './AnalysisSection';
import { OutputChoice, StatisticChoice, type BinChoice } from './StatisticChoice';
import { shownMarking, type ShownMarking } from './shown-marking';
import type { AnalysesRun } from './types';
import { AnalysisOutcome, isPending, useAnalysis } from './use-analysis';

type Method = TornadoMethod | 'statistic';

const METHODS: { value: Method; label: string; about: string }[] = [
  {
    value: 'rank-correlation',
    label: 'Rank correlation',
    about: "Spearman's rank correlation of each input with the output.",
  },
  {
    value: 'regression',
    label: 'Regression (SRC)',
    about:
      'Standardized regression coefficients: the output regressed on all inputs at once, on their values (not ranks), in standard deviations; R² says how much of the output the linear model explains.',
  },
  {
    value: 'contribution',
    label: 'Contribution to variance',
    about:
      "As @RISK computes it: each input's squared rank correlation as a share of their sum (a normalization, not an exact variance decomposition).",
  },
  {
    value: 'statistic',
    label: 'Change in output statistic',
    about:
      "Each input's iterations split into equal-count bins by its value; the bar runs from the lowest to the highest bin's output statistic, about the line of the statistic over all iterations.",
  },
];

/** Tornadoes of one output from one run's samples (no re-simulation): the chart and its table. */
export function TornadoView({
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
  const [method, setMethod] = useState<Method>('rank-correlation');
  const [binChoice, setBinChoice] = useState<BinChoice>({ statistic: { kind: 'mean' }, bins: 10 });
  const barsCall = useMemo(
    (): PageAnalysisCall<'tornado'> | null =>
      method === 'statistic'
        ? null
        : {
            analysis: 'tornado',
            args: [columnsOf(run.samples, 'inputs', limit), sampleOf(run.samples, 'outputs', output, limit), method],
          },
    [run, limit, output, method],
  );
  const binnedCall = useMemo(
    (): PageAnalysisCall<'binnedStatistics'> | null =>
      method === 'statistic'
        ? {
            analysis: 'binnedStatistics',
            args: [
              columnsOf(run.samples, 'inputs', limit),
              sampleOf(run.samples, 'outputs', output, limit),
              binChoice.statistic,
              binChoice.bins,
            ],
          }
        : null,
    [run, limit, output, method, binChoice],
  );
  const bars = useAnalysis(barsCall);
  const binned = useAnalysis(binnedCall);
  const marking = shownMarking(model, [output, ...Object.keys(run.samples.inputs)], banner);
  const about = METHODS.find((m) => m.value === method)!.about;
  const format = method === 'contribution' ? formatShare : formatCorrelation;

  return (
    <AnalysisSection
      name="tornado"
      title="Tornado"
      marking={marking}
      busy={isPending(bars) || isPending(binned)}
      about={`${about} From ${run.label}'s samples; iterations whose output is not a finite number are left out.`}
      controls={
        <>
          <OutputChoice outputs={outputs} value={output} onChange={setOutput} />
          <label className="field-group">
            Tornado by
            <select className="field" value={method} onChange={(e) => setMethod(e.target.value as Method)}>
              {METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          {method === 'statistic' ? <StatisticChoice value={binChoice} onChange={setBinChoice} /> : null}
        </>
      }
    >
      <AnalysisOutcome state={bars}>
        {(bars) =>
          bars.bars.length === 0 ? (
            <p className="muted">No tornado: {output} had too few finite values.</p>
          ) : (
            <>
              <ol className="tornado" aria-label={`Tornado of ${output} by ${method}`} data-testid="tornado-chart">
                {bars.bars.map((bar) => (
                  <li key={bar.input} className="tornado__row" title={`${bar.input}: ${format(bar.value)}`}>
                    <span className="tornado__label">{bar.input}</span>
                    <span className="tornado__track" aria-hidden="true">
                      <span
                        className={`tornado__bar ${bar.value < 0 ? 'tornado__bar--negative' : 'tornado__bar--positive'}`}
                        style={{ width: `${Math.min(50, Math.abs(bar.value) * 50)}%` }}
                      />
                    </span>
                    <span className="tornado__value">{format(bar.value)}</span>
                  </li>
                ))}
              </ol>
              <table className="table" data-testid="tornado-table">
                <caption className="visually-hidden">Tornado values of {output}</caption>
                <thead>
                  <tr>
                    <th scope="col">Input</th>
                    <th scope="col">{METHODS.find((m) => m.value === method)!.label}</th>
                  </tr>
                </thead>
                <tbody>
                  {bars.bars.map((bar) => (
                    <tr key={bar.input} data-testid={`tornado-row-${bar.input}`}>
                      <th scope="row">{bar.input}</th>
                      <NumberCell value={bar.value} text={format(bar.value)} />
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted">
                On {bars.iterations.toLocaleString('en-US')} iterations.
                {method === 'regression' ? ` R² of the linear model ${formatNumber(bars.rSquared)}.` : ''}
              </p>
            </>
          )
        }
      </AnalysisOutcome>
      <AnalysisOutcome state={binned}>
        {(binned) => <StatisticTornado output={output} binned={binned} />}
      </AnalysisOutcome>
    </AnalysisSection>
  );
}

function StatisticTornado({ output, binned }: { output: string; binned: BinnedStatistics }) {
  if (binned.inputs.length === 0) return <p className="muted">No tornado: {output} had too few finite values.</p>;
  const lo = Math.min(binned.overall, ...binned.inputs.map((r) => r.low));
  const hi = Math.max(binned.overall, ...binned.inputs.map((r) => r.high));
  const at = (v: number) => (hi > lo ? (100 * (v - lo)) / (hi - lo) : 50);
  const binText = (k: number) => `bin ${k + 1} of ${binned.bins}`;
  return (
    <>
      <ol
        className="tornado"
        aria-label={`Change in ${binned.label} of ${output} across input bins`}
        data-testid="tornado-chart"
      >
        {binned.inputs.map((row) => (
          <li
            key={row.input}
            className="tornado__row"
            title={`${row.input}: ${binned.label} of ${output} from ${formatNumber(row.low)} (${binText(row.lowBin)}) to ${formatNumber(row.high)} (${binText(row.highBin)})`}
          >
            <span className="tornado__label">{row.input}</span>
            <span className="tornado__track analyses-range" aria-hidden="true">
              <span
                className="analyses-range__bar"
                style={{ left: `${at(row.low)}%`, width: `${Math.max(0.5, at(row.high) - at(row.low))}%` }}
              />
              <span className="analyses-range__overall" style={{ left: `${at(binned.overall)}%` }} />
            </span>
            <span className="tornado__value">{formatNumber(row.high - row.low)}</span>
          </li>
        ))}
      </ol>
      <table className="table" data-testid="tornado-table">
        <caption className="visually-hidden">
          {binned.label} of {output} in the lowest and highest input bin
        </caption>
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">Lowest {binned.label}</th>
            <th scope="col">Highest {binned.label}</th>
            <th scope="col">Range</th>
          </tr>
        </thead>
        <tbody>
          {binned.inputs.map((row) => (
            <tr key={row.input} data-testid={`tornado-row-${row.input}`}>
              <th scope="row">{row.input}</th>
              <NumberCell value={row.low} text={`${formatNumber(row.low)} (${binText(row.lowBin)})`} />
              <NumberCell value={row.high} text={`${formatNumber(row.high)} (${binText(row.highBin)})`} />
              <NumberCell value={row.high - row.low} text={formatNumber(row.high - row.low)} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {binned.label} of {output} over all {binned.iterations.toLocaleString('en-US')} iterations:{' '}
        {formatNumber(binned.overall)} (the line in each bar).
      </p>
    </>
  );
}
