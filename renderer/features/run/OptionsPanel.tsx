import { useId } from 'react';
import { useRunState } from '../../state/run-state';
import { checkIterations, checkSeed, peakMemoryBytes, type OptionsText } from '../../state/run-options';

/** Iterations, seed, sampling and engine; the Run button is enabled only for a valid, permitted model and options. */
export function OptionsPanel({ busy }: { busy: boolean }) {
  const id = useId();
  const options = useRunState((s) => s.options);
  const setOption = useRunState((s) => s.setOption);
  const run = useRunState((s) => s.run);
  const ready = useRunState((s) => s.model !== null && s.verdict?.status === 'ok');
  const iterations = checkIterations(options.iterations);
  const seed = checkSeed(options.seed);
  const canRun = ready && iterations.ok && seed.ok && !busy;
  const outputs = useRunState((s) => s.model?.compiled.outputs.length ?? 0);
  const memory = iterations.ok && outputs > 0 ? peakMemoryBytes(iterations.value, outputs) : 0;

  return (
    <section className="panel panel--wide" aria-labelledby="options-title" data-testid="options-panel">
      <h2 id="options-title">Run options</h2>
      <form
        className="run-options"
        onSubmit={(event) => {
          event.preventDefault();
          if (canRun) void run();
        }}
      >
        <div className="field-group">
          <label htmlFor={`${id}-iterations`}>Iterations</label>
          <input
            id={`${id}-iterations`}
            className="field"
            inputMode="numeric"
            value={options.iterations}
            disabled={busy}
            aria-invalid={!iterations.ok}
            aria-describedby={iterations.ok ? undefined : `${id}-iterations-problem`}
            onChange={(e) => setOption('iterations', e.target.value)}
            data-testid="option-iterations"
          />
          {!iterations.ok && (
            <p id={`${id}-iterations-problem`} className="field-problem" data-testid="iterations-problem">
              {iterations.message}
            </p>
          )}
        </div>
        <div className="field-group">
          <label htmlFor={`${id}-seed`}>Seed</label>
          <input
            id={`${id}-seed`}
            className="field"
            inputMode="numeric"
            value={options.seed}
            disabled={busy}
            aria-invalid={!seed.ok}
            aria-describedby={seed.ok ? undefined : `${id}-seed-problem`}
            onChange={(e) => setOption('seed', e.target.value)}
            data-testid="option-seed"
          />
          {!seed.ok && (
            <p id={`${id}-seed-problem`} className="field-problem">
              {seed.message}
            </p>
          )}
        </div>
        <div className="field-group">
          <label htmlFor={`${id}-sampling`}>Sampling</label>
          <select
            id={`${id}-sampling`}
            className="field"
            value={options.sampling}
            disabled={busy}
            onChange={(e) => setOption('sampling', e.target.value as OptionsText['sampling'])}
            data-testid="option-sampling"
          >
            <option value="mc">Monte Carlo</option>
            <option value="lhs">Latin Hypercube</option>
          </select>
        </div>
        <div className="field-group">
          <label htmlFor={`${id}-engine`}>Engine</label>
          <select
            id={`${id}-engine`}
            className="field"
            value={options.engine}
            disabled={busy}
            onChange={(e) => setOption('engine', e.target.value as OptionsText['engine'])}
            data-testid="option-engine"
          >
            <option value="auto">Automatic (the faster on this model)</option>
            <option value="webgpu">WebGPU</option>
            <option value="cpu">CPU workers</option>
          </select>
        </div>
        <div className="field-group field-group--action">
          <button type="submit" className="button button--primary" disabled={!canRun} data-testid="run-button">
            Run
          </button>
        </div>
      </form>
      {memory >= 2 ** 30 && (
        <p className="muted run-options__memory" data-testid="memory-estimate">
          This run needs about {(memory / 2 ** 30).toFixed(1)} GiB of memory at its peak; on a smaller machine, run
          fewer iterations.
        </p>
      )}
    </section>
  );
}
