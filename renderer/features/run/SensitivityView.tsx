import type { OutputSensitivity } from '../../../common/engine/sensitivity';
import { formatCorrelation, formatNumber, formatShare } from './format';

/**
 * Sensitivity of one output: a tornado of rank correlations (largest effect on top, bars left for
 * negative, right for positive) and the table behind it (rank correlation, SRC, contribution to
 * variance). The bars are sized through the CSSOM (React's style prop), which the CSP allows.
 */
export function SensitivityView({ output, sensitivity }: { output: string; sensitivity: OutputSensitivity }) {
  if (sensitivity.inputs.length === 0)
    return (
      <p className="muted sensitivity" data-testid={`sensitivity-${output}`} data-none="true">
        No sensitivity: {output} had {sensitivity.iterations === 0 ? 'no' : 'too few'} finite values to rank.
      </p>
    );
  const rows = [...sensitivity.inputs].sort((a, b) => Math.abs(b.rankCorrelation) - Math.abs(a.rankCorrelation));
  return (
    <div className="sensitivity" data-testid={`sensitivity-${output}`}>
      <ol className="tornado" aria-label={`Tornado of rank correlations with ${output}`}>
        {rows.map((row) => {
          const r = row.rankCorrelation;
          return (
            <li key={row.input} className="tornado__row">
              <span className="tornado__label">{row.input}</span>
              <span className="tornado__track" aria-hidden="true">
                <span
                  className={`tornado__bar ${r < 0 ? 'tornado__bar--negative' : 'tornado__bar--positive'}`}
                  style={{ width: `${Math.min(50, Math.abs(r) * 50)}%` }}
                />
              </span>
              <span className="tornado__value">{formatCorrelation(r)}</span>
            </li>
          );
        })}
      </ol>
      <table className="table">
        <caption className="visually-hidden">Sensitivity of {output} to each input</caption>
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">Rank correlation</th>
            <th scope="col">SRC</th>
            <th scope="col">Contribution to variance</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.input} data-testid={`sensitivity-row-${output}-${row.input}`}>
              <th scope="row">{row.input}</th>
              <td data-value={String(row.rankCorrelation)}>{formatNumber(row.rankCorrelation)}</td>
              <td data-value={String(row.src)}>{formatNumber(row.src)}</td>
              <td data-value={String(row.contributionToVariance)}>{formatShare(row.contributionToVariance)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        R² of the linear model {formatNumber(sensitivity.rSquared)} (on {sensitivity.iterations.toLocaleString('en-US')}{' '}
        iterations, the first whose {output} is a finite number)
        {sensitivity.rSquared < 0.6 ? ': low, so the SRCs explain less of the variance' : ''}.
      </p>
    </div>
  );
}
