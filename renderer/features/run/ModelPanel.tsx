import { useEffect, useId, useState, type ChangeEvent } from 'react';
import type { ResponseOf } from '../../../common/ipc/contract';
import { getBridge } from '../../ipc/bridge';
import { useOpenModelState } from '../../state/open-model-state';
import { BANNER_PALETTE } from '../../../common/markings/levels';
import { useRunState } from '../../state/run-state';
import { EXAMPLE_MODELS } from '../../state/example-models';
import { formatNumber } from './format';

function MarkingVerdict() {
  const verdict = useRunState((s) => s.verdict);
  const marking = useRunState((s) => s.model?.compiled.model.marking);
  if (!verdict || !marking) return null;
  const palette = verdict.level ? BANNER_PALETTE[verdict.level] : null;
  return (
    <>
      <dt>Marking</dt>
      <dd>
        <span
          className="model-marking"
          data-testid="model-marking"
          style={palette ? { backgroundColor: palette.background, color: palette.foreground } : undefined}
        >
          {verdict.banner ?? marking}
        </span>
        <span
          className={`verdict verdict--${verdict.status === 'refused' ? 'error' : verdict.status}`}
          role="status"
          data-testid="marking-verdict"
          data-status={verdict.status}
        >
          {verdict.status === 'refused' ? `Refused: ${verdict.message}` : verdict.message}
        </span>
        {verdict.issues.map((issue) => (
          <span key={`${issue.path}:${issue.message}`} className="verdict__issue">
            {issue.message}
          </span>
        ))}
      </dd>
    </>
  );
}

function CorrelationAdjustments() {
  const adjustments = useRunState((s) => s.model?.compiled.correlationAdjustments ?? []);
  if (adjustments.length === 0) return null;
  return (
    <div className="notice" role="note" data-testid="correlation-adjustments">
      <p>
        The requested rank correlations do not form a valid correlation matrix. The nearest valid matrix is used
        instead; these pairs changed:
      </p>
      <ul>
        {adjustments.map((a) => (
          <li key={`${a.a}:${a.b}`}>
            {a.a} ~ {a.b}: requested {formatNumber(a.requested)}, used {formatNumber(a.used)}
          </li>
        ))}
      </ul>
    </div>
  );
}

type ModelSummary = ResponseOf<'models', 'list'>['models'][number];

/** The library's models the user may read, to run one (it becomes the open model, as from the library screen). */
function LibraryPicker({ id, disabled }: { id: string; disabled: boolean }) {
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const shown = useRunState((s) => s.model?.library?.id ?? null);
  useEffect(() => {
    let live = true;
    void getBridge()
      .models.list({})
      .then((answer) => {
        if (live) setModels(answer.ok ? answer.value.models.filter((m) => m.access !== 'manage') : []);
      });
    return () => {
      live = false;
    };
  }, []);
  if (!models || models.length === 0) return null;
  return (
    <>
      <label htmlFor={id}>Library model</label>
      <select
        id={id}
        className="field"
        value={shown ?? ''}
        disabled={disabled}
        onChange={(e) => useOpenModelState.getState().openModel({ kind: 'library', id: Number(e.target.value) })}
        data-testid="library-select"
      >
        <option value="" disabled>
          Choose a model of the library…
        </option>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({m.banner})
          </option>
        ))}
      </select>
      <span className="muted">or</span>
    </>
  );
}

/** Choose an example or open a file; then the model's name, marking (checked by the service) and shape. */
export function ModelPanel({ disabled }: { disabled: boolean }) {
  const exampleId = useId();
  const fileId = useId();
  const libraryId = useId();
  const model = useRunState((s) => s.model);
  const modelErrors = useRunState((s) => s.modelErrors);
  const chooseExample = useRunState((s) => s.chooseExample);
  const openFile = useRunState((s) => s.openFile);
  const exampleValue = model && EXAMPLE_MODELS.some((m) => m.id === model.source) ? model.source : '';

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void openFile(file);
    event.target.value = ''; // choosing the same file again reloads it
  };

  const spec = model?.compiled.model;
  return (
    <section className="panel panel--wide" aria-labelledby="model-title" data-testid="model-panel">
      <h2 id="model-title">Model</h2>
      <div className="model-source">
        <LibraryPicker id={libraryId} disabled={disabled} />
        <label htmlFor={exampleId}>Example model</label>
        <select
          id={exampleId}
          className="field"
          value={exampleValue}
          disabled={disabled}
          onChange={(e) => chooseExample(e.target.value)}
          data-testid="example-select"
        >
          <option value="" disabled>
            Choose an example…
          </option>
          {EXAMPLE_MODELS.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <span className="muted">or</span>
        {/* The input is hidden behind its label (styled as a button); focus shows on the label. */}
        <input
          id={fileId}
          className="visually-hidden file-input"
          type="file"
          accept=".json,application/json"
          disabled={disabled}
          onChange={onFile}
          data-testid="model-file"
        />
        <label htmlFor={fileId} className="button button--small">
          Open a model file…
        </label>
      </div>
      {modelErrors && (
        <div className="model-errors" role="alert" data-testid="model-errors">
          <p>
            <strong>{modelErrors.source}</strong> cannot be used:{' '}
            {modelErrors.errors.length === 1 ? 'one problem' : `${modelErrors.errors.length} problems`}.
          </p>
          <ul>
            {modelErrors.errors.map((error, i) => (
              <li key={`${i}:${error}`}>{error}</li>
            ))}
          </ul>
        </div>
      )}
      {spec && (
        <>
          <dl className="facts model-facts">
            <dt>Name</dt>
            <dd data-testid="model-name">{spec.name}</dd>
            <dt>Source</dt>
            <dd data-testid="model-source">
              {model.library
                ? `Library, version ${model.library.version}`
                : 'An example or a file: its runs can be saved once the model is saved to the library'}
            </dd>
            <MarkingVerdict />
            {spec.description && (
              <>
                <dt>About</dt>
                <dd>{spec.description}</dd>
              </>
            )}
            <dt>Inputs</dt>
            <dd>{spec.inputs.map((i) => i.name).join(', ')}</dd>
            <dt>Outputs</dt>
            <dd>{spec.outputs.join(', ')}</dd>
          </dl>
          <CorrelationAdjustments />
        </>
      )}
    </section>
  );
}
