import { useId } from 'react';
import { useRunState } from '../../state/run-state';
import { keptIterationsFor } from '../../engine/run-samples';
import { checkAutoStop, checkIterations, checkSeed, peakMemoryBytes, type OptionsText } from '../../state/run-options';

/** A whole-number option with its problem, in plain words, under the field while it is invalid. */
function NumberField(props: {
  id: string;
  label: string;
  value: string;
  check: { ok: true } | { ok: false; message: string };
  disabled: boolean;
  onChange: (value: string) => void;
  testId: string;
  problemTestId?: string;
}) {
  const problemId = `${props.id}-problem`;
  return (
    <div className="field-group">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        className="field"
        inputMode="numeric"
        value={props.value}
        disabled={props.disabled}
        aria-invalid={!props.check.ok}
        aria-describedby={props.check.ok ? undefined : problemId}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
      {!props.check.ok && (
        <p id={problemId} className="field-problem" data-testid={props.problemTestId}>
          {props.check.message}
        </p>
      )}
    </div>
  );
}

/** Iterations, seed, sampling and engine; the Run button is enabled only for a valid, permitted model and options. */
export function OptionsPanel({ busy }: { busy: boolean }) {
  const id = useId();
  const options = useRunState((s) => s.options);
  const setOption = useRunState((s) => s.setOption);
  const run = useRunState((s) => s.run);
  const ready = useRunState((s) => s.model !== null && s.verdict?.status === 'ok');
  const iterations = checkIterations(options.iterations);
  const seed = options.randomSeed ? ({ ok: true } as const) : checkSeed(options.seed);
  const autoStop = checkAutoStop(options);
  const canRun = ready && iterations.ok && seed.ok && autoStop.ok && !busy;
  const outputs = useRunState((s) => s.model?.compiled.outputs.length ?? 0);
  const columns = useRunState((s) => (s.model ? s.model.compiled.inputs.length + s.model.compiled.outputs.length : 0));
  const kept = iterations.ok && columns > 0 ? keptIterationsFor(iterations.value, columns) : 0;
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
        <NumberField
          id={`${id}-iterations`}
          label="Iterations"
          value={options.iterations}
          check={iterations}
          disabled={busy}
          onChange={(value) => setOption('iterations', value)}
          testId="option-iterations"
          problemTestId="iterations-problem"
        />
        <NumberField
          id={`${id}-seed`}
          label="Seed"
          value={options.seed}
          check={seed}
          disabled={busy || options.randomSeed}
          onChange={(value) => setOption('seed', value)}
          testId="option-seed"
        />
        <label className="run-options__check">
          <input
            type="checkbox"
            checked={options.randomSeed}
            disabled={busy}
            onChange={(e) => setOption('randomSeed', e.target.checked)}
            data-testid="option-random-seed"
          />
          Random, new each run
        </label>
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
        <label className="run-options__check">
          <input
            type="checkbox"
            checked={options.autoStop}
            disabled={busy}
            onChange={(e) => setOption('autoStop', e.target.checked)}
            data-testid="option-auto-stop"
          />
          Stop when converged
        </label>
        {options.autoStop && (
          <div className="field-group">
            <label htmlFor={`${id}-tolerance`}>Tolerance (%)</label>
            <input
              id={`${id}-tolerance`}
              className="field"
              inputMode="decimal"
              value={options.tolerance}
              disabled={busy}
              aria-invalid={!autoStop.ok}
              aria-describedby={autoStop.ok ? undefined : `${id}-tolerance-problem`}
              onChange={(e) => setOption('tolerance', e.target.value)}
              data-testid="option-tolerance"
            />
            {!autoStop.ok && (
              <p id={`${id}-tolerance-problem`} className="field-problem" data-testid="tolerance-problem">
                {autoStop.message}
              </p>
            )}
          </div>
        )}
        <label className="run-options__check">
          <input
            type="checkbox"
            checked={options.keepSamples}
            disabled={busy}
            onChange={(e) => setOption('keepSamples', e.target.checked)}
            data-testid="option-keep-samples"
          />
          Keep samples when saving
        </label>
        <div className="field-group field-group--action">
          <button type="submit" className="button button--primary" disabled={!canRun} data-testid="run-button">
            Run
          </button>
        </div>
      </form>
      {options.autoStop && (
        <p className="muted run-options__note" data-testid="auto-stop-note">
          Runs 10,000 iterations, then doubles, until the 95% intervals of every output&apos;s mean, P5, P50 and P95 are
          within the tolerance; at most the iterations above.
        </p>
      )}
      {kept > 0 && (
        <p className="muted run-options__note" data-testid="samples-cap">
          A saved run keeps at most {kept.toLocaleString('en-US')} iterations of each input and output (
          {((kept * columns * 8) / 1e6).toFixed(1)} MB before compression, about{' '}
          {((kept * columns * 8 * 0.72) / 1e6).toFixed(1)} MB stored)
          {options.keepSamples ? '' : '; with "Keep samples" off, only its results are saved'}.
        </p>
      )}
      {memory >= 2 ** 30 && (
        <p className="muted run-options__memory" data-testid="memory-estimate">
          This run needs about {(memory / 2 ** 30).toFixed(1)} GiB of memory at its peak; on a smaller machine, run
          fewer iterations.
        </p>
      )}
    </section>
  );
}
