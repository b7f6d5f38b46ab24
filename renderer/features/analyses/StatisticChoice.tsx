import type { OutputStatistic } from '../../../common/engine/analysis/sample-math';

/** The output statistic binned analyses show: the mean or a percentile, and the number of input bins. */
export interface BinChoice {
  statistic: OutputStatistic;
  bins: number;
}

export function StatisticChoice({ value, onChange }: { value: BinChoice; onChange: (next: BinChoice) => void }) {
  const { statistic, bins } = value;
  return (
    <>
      <label className="field-group">
        Output statistic
        <select
          className="field"
          value={statistic.kind === 'mean' ? 'mean' : `p${statistic.p}`}
          onChange={(e) =>
            onChange({
              bins,
              statistic:
                e.target.value === 'mean'
                  ? { kind: 'mean' }
                  : { kind: 'percentile', p: Number(e.target.value.slice(1)) },
            })
          }
        >
          <option value="mean">mean</option>
          {[5, 10, 25, 50, 75, 90, 95].map((p) => (
            <option key={p} value={`p${p}`}>
              P{p}
            </option>
          ))}
        </select>
      </label>
      <label className="field-group">
        Input bins
        <select className="field" value={bins} onChange={(e) => onChange({ statistic, bins: Number(e.target.value) })}>
          {[5, 10, 20].map((b) => (
            <option key={b} value={b}>
              {b} (equal counts)
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

export function OutputChoice({
  outputs,
  value,
  onChange,
  label = 'Output',
}: {
  outputs: readonly string[];
  value: string;
  onChange: (output: string) => void;
  label?: string;
}) {
  return (
    <label className="field-group">
      {label}
      <select className="field" value={value} onChange={(e) => onChange(e.target.value)}>
        {outputs.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
