import { useRunState } from '../../state/run-state';
import { formatRate } from '../../engine/select-engine';
import { formatSeconds } from './format';
import { OutputCharts } from './OutputCharts';
import { SensitivityView } from './SensitivityView';
import { StatisticsTable } from './StatisticsTable';

/** The finished run: which engine and why, how fast, then each output's statistics, charts and sensitivity. */
export function ResultsView() {
  const result = useRunState((s) => (s.phase === 'done' ? s.result : null));
  const saved = useRunState((s) => s.saved);
  if (!result) return null;
  return (
    <section className="results" aria-labelledby="results-title" data-testid="run-results">
      <div className="panel">
        <h2 id="results-title">Results{saved && <> — saved run {saved.name || `#${saved.id}`}</>}</h2>
        {saved && (
          <p className="muted" data-testid="saved-run-facts">
            {saved.model.name}, version {saved.model.version} · {saved.banner} · saved by {saved.owner.name} · app{' '}
            {saved.appVersion}
            {saved.settings.autoStop && ` · auto-stop at ${saved.settings.autoStop.tolerance * 100}%`}
            {saved.comment && ` · ${saved.comment}`}
          </p>
        )}
        <dl className="facts" data-testid="run-summary">
          <dt>Engine</dt>
          <dd data-testid="run-engine" data-engine={result.engine}>
            {result.description}
            {result.fellBack && <strong> (fell back from WebGPU)</strong>}
          </dd>
          <dt>Why</dt>
          <dd data-testid="run-reason">{result.reason}</dd>
          <dt>Iterations</dt>
          <dd data-testid="run-iterations" data-value={result.iterations}>
            {result.iterations.toLocaleString('en-US')} ({result.sampling === 'lhs' ? 'Latin Hypercube' : 'Monte Carlo'}
            , seed {result.seed})
          </dd>
          <dt>Time</dt>
          <dd data-testid="run-seconds" data-value={result.seconds}>
            {formatSeconds(result.seconds)} simulating, {formatSeconds(result.summarySeconds)} for statistics
          </dd>
          <dt>Speed</dt>
          <dd data-testid="run-rate" data-value={result.iterationsPerSecond}>
            {formatRate(result.iterationsPerSecond)}
          </dd>
        </dl>
      </div>
      {Object.keys(result.summary.outputs).map((output) => {
        const stats = result.summary.outputs[output];
        const sensitivity = result.summary.sensitivity[output];
        if (!stats || !sensitivity) return null;
        return (
          <article
            key={output}
            className="panel output"
            aria-labelledby={`output-${output}`}
            data-testid={`output-${output}`}
          >
            <h3 id={`output-${output}`}>{output}</h3>
            <div className="output__grid">
              <StatisticsTable output={output} stats={stats} />
              <OutputCharts output={output} stats={stats} />
            </div>
            <h4>Sensitivity</h4>
            <SensitivityView output={output} sensitivity={sensitivity} />
          </article>
        );
      })}
    </section>
  );
}
