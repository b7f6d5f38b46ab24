import type { OutputStatistics } from '../../../common/engine/statistics';
import { formatNumber } from './format';

const PERCENTILES = ['p1', 'p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99'] as const;

function Row({ label, id, value }: { label: string; id: string; value: number }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-testid={`stat-${id}`} data-value={String(value)}>
        {formatNumber(value)}
      </td>
    </tr>
  );
}

/** One output's statistics; every cell carries its exact value in data-value (full precision). */
export function StatisticsTable({ output, stats }: { output: string; stats: OutputStatistics }) {
  return (
    <div className="stats">
      <table className="table table--stats" data-testid={`stats-${output}`}>
        <caption className="visually-hidden">Statistics of {output}</caption>
        <tbody>
          <Row label="Mean" id="mean" value={stats.mean} />
          <Row label="Standard deviation" id="sd" value={stats.sd} />
          <Row label="Minimum" id="min" value={stats.min} />
          <Row label="Maximum" id="max" value={stats.max} />
          <Row label="Skewness" id="skewness" value={stats.skewness} />
          <Row label="Excess kurtosis" id="kurtosis" value={stats.kurtosis} />
          <Row label="95% CI of the mean, low" id="ci95-low" value={stats.ci95[0]} />
          <Row label="95% CI of the mean, high" id="ci95-high" value={stats.ci95[1]} />
        </tbody>
      </table>
      <table className="table table--stats" data-testid={`percentiles-${output}`}>
        <caption className="visually-hidden">Percentiles of {output}</caption>
        <tbody>
          {PERCENTILES.map((p) => (
            <Row key={p} label={`P${p.slice(1)}`} id={p} value={stats.percentiles[p]} />
          ))}
        </tbody>
      </table>
      <p className="muted stats__count">
        {stats.count.toLocaleString('en-US')} finite values
        {stats.nonFinite > 0 && (
          <span data-testid="stat-non-finite">
            ; {stats.nonFinite.toLocaleString('en-US')} iterations were not finite numbers and are left out
          </span>
        )}
      </p>
    </div>
  );
}
