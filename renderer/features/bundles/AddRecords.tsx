import { useEffect, useId, useState } from 'react';
import type { SavedRunSummary } from '../../../common/ipc/contract';
import { getBridge } from '../../ipc/bridge';
import { useBundleExportState } from '../../state/bundle-export-state';
import type { ModelSummary } from '../../state/library-state';

interface Choices {
  versions: number[];
  runs: SavedRunSummary[];
}

/**
 * Adds more records from the library: a model, then one of its versions or one of its saved runs.
 * A run brings its model version along by itself (the preview shows it).
 */
export function AddRecords() {
  const modelId = useId();
  const versionId = useId();
  const runId = useId();
  const add = useBundleExportState((s) => s.add);
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [model, setModel] = useState<ModelSummary | null>(null);
  const [choices, setChoices] = useState<Choices | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [run, setRun] = useState<number | null>(null);

  useEffect(() => {
    let current = true;
    void getBridge()
      .models.list({})
      .then((answer) => {
        if (!current) return;
        if (answer.ok) setModels(answer.value.models.filter((m) => m.access !== 'manage'));
        else setProblem(answer.error.message);
      });
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    setChoices(null);
    if (!model) return;
    let current = true;
    void Promise.all([getBridge().models.versions({ id: model.id }), getBridge().runs.list({ model: model.id })]).then(
      ([versions, runs]) => {
        if (!current) return;
        if (!versions.ok) return setProblem(versions.error.message);
        if (!runs.ok) return setProblem(runs.error.message);
        const numbers = versions.value.versions.map((v) => v.version);
        setChoices({ versions: numbers, runs: runs.value.runs });
        setVersion(numbers[0] ?? null);
        setRun(runs.value.runs[0]?.id ?? null);
      },
    );
    return () => {
      current = false;
    };
  }, [model]);

  const chosenRun = choices?.runs.find((r) => r.id === run) ?? null;
  return (
    <div className="bundle-fields" data-testid="bundle-add">
      {problem && (
        <p className="field-problem" role="alert" data-testid="bundle-add-problem">
          {problem}
        </p>
      )}
      <label htmlFor={modelId}>
        Add from the library: model
        <select
          id={modelId}
          value={model?.id ?? ''}
          disabled={!models}
          onChange={(event) => setModel(models?.find((m) => m.id === Number(event.currentTarget.value)) ?? null)}
          data-testid="bundle-add-model"
        >
          <option value="">{models ? 'Choose a model…' : 'Reading the library…'}</option>
          {models?.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.banner})
            </option>
          ))}
        </select>
      </label>
      {model && choices && (
        <>
          <label htmlFor={versionId}>
            Version
            <select
              id={versionId}
              value={version ?? ''}
              onChange={(event) => setVersion(Number(event.currentTarget.value))}
              data-testid="bundle-add-version"
            >
              {choices.versions.map((v) => (
                <option key={v} value={v}>
                  version {v}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button button--small"
            disabled={version === null}
            onClick={() =>
              version !== null &&
              add({ kind: 'model-version', model: model.id, version }, `model “${model.name}” version ${version}`)
            }
            data-testid="bundle-add-version-button"
          >
            Add this version
          </button>
          {choices.runs.length > 0 && (
            <>
              <label htmlFor={runId}>
                Saved run
                <select
                  id={runId}
                  value={run ?? ''}
                  onChange={(event) => setRun(Number(event.currentTarget.value))}
                  data-testid="bundle-add-run"
                >
                  {choices.runs.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name || `Run #${r.id}`} (version {r.model.version}, {r.banner})
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="button button--small"
                disabled={!chosenRun}
                onClick={() =>
                  chosenRun &&
                  add(
                    { kind: 'run', run: chosenRun.id },
                    `run “${chosenRun.name || `Run #${chosenRun.id}`}” of “${model.name}” version ${chosenRun.model.version}`,
                  )
                }
                data-testid="bundle-add-run-button"
              >
                Add this run
              </button>
            </>
          )}
        </>
      )}
    </div>
  );
}
