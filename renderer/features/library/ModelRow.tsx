import { useState, type FormEvent } from 'react';
import type { Role } from '../../../common/access/roles';
import { MODEL_TRASH_DAYS } from '../../../common/ipc/contract';
import { ConfirmButton } from '../../components/ConfirmButton';
import type { ExportPick } from '../../state/bundle-export-state';
import { useLibraryState, type ModelSummary } from '../../state/library-state';
import { ModelBanner } from './ModelBanner';
import { daysLeft, minuteUtc, permissionsFor } from './model-permissions';
import { saveFile } from '../../ipc/save-file';

const ACCESS_WORDS: Record<ModelSummary['access'], string> = {
  owner: 'yours',
  edit: 'shared to edit',
  read: 'shared to read',
  manage: 'managed (not shared with you)',
};

const dayCount = (days: number) => (days === 0 ? 'today' : days === 1 ? '1 day' : `${days} days`);

interface Props {
  model: ModelSummary;
  role: Role | null;
  trash: boolean;
  onEdit?: (model: ModelSummary) => void;
  onRun?: (model: ModelSummary) => void;
  /** Opens the bundle export screen with this model's newest version picked. */
  onExportBundle?: ((pick: ExportPick, label: string) => void) | undefined;
}

function RenameForm({ model, onDone }: { model: ModelSummary; onDone(): void }) {
  const rename = useLibraryState((s) => s.rename);
  const busy = useLibraryState((s) => s.busy);
  const [name, setName] = useState(model.name);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await rename(model, name)) onDone();
  }
  return (
    <form className="library-rename" onSubmit={(event) => void submit(event)} data-testid="rename-form">
      <label>
        New name
        <input
          value={name}
          maxLength={200}
          autoFocus
          onChange={(event) => setName(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Escape' && onDone()}
          data-testid="rename-input"
        />
      </label>
      <button type="submit" className="button button--small" disabled={busy !== null || name.trim() === ''}>
        Rename
      </button>
      <button type="button" className="button button--small" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** One model: its name, banner, owner, last change, versions and the caller's access, and what they may do with it. */
export function ModelRow({ model, role, trash, onEdit, onRun, onExportBundle }: Props) {
  const busy = useLibraryState((s) => s.busy) !== null;
  const { duplicate, restore, showSharing, showVersions, showRuns, exportModel, report } = useLibraryState.getState();
  const moveToTrash = useLibraryState((s) => s.trash);
  const [renaming, setRenaming] = useState(false);
  const may = permissionsFor(model, role);

  async function exportIt() {
    const result = await exportModel(model);
    if (!result.ok) return report(result.error);
    const saved = await saveFile({ name: result.value.fileName, type: 'application/json', content: result.value.text });
    if (!saved.ok) return report(saved.error);
    report(
      null,
      saved.value.saved
        ? `Exported “${model.name}” (${result.value.banner}) as ${saved.value.name}.`
        : `The export of “${model.name}” was recorded; no file was saved (the save was cancelled).`,
    );
  }

  return (
    <tr data-testid="model-row" data-model-id={model.id} data-access={model.access}>
      <th scope="row" className="library-name" data-testid="model-name">
        {model.name}
      </th>
      <td>
        <ModelBanner banner={model.banner} />
      </td>
      <td data-testid="model-owner">{model.owner.name}</td>
      <td>{minuteUtc(model.updatedAt)}</td>
      <td data-testid="model-versions">{model.versions}</td>
      <td data-testid="model-access">{ACCESS_WORDS[model.access]}</td>
      {trash && model.deletedAt && (
        <td data-testid="model-days-left">{dayCount(daysLeft(model.deletedAt, MODEL_TRASH_DAYS))}</td>
      )}
      <td>
        <div className="library-actions">
          {trash ? (
            may.trash && (
              <button
                type="button"
                className="button button--small"
                disabled={busy}
                onClick={() => void restore(model)}
                data-testid="model-restore"
              >
                Restore
              </button>
            )
          ) : renaming ? (
            <RenameForm model={model} onDone={() => setRenaming(false)} />
          ) : (
            <>
              {onEdit && may.read && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onEdit(model)}
                  data-testid="model-edit"
                >
                  Open in editor
                </button>
              )}
              {onRun && may.read && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onRun(model)}
                  data-testid="model-run"
                >
                  Run
                </button>
              )}
              {may.read && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void showVersions(model)}
                  data-testid="model-show-versions"
                >
                  Versions
                </button>
              )}
              {may.read && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => showRuns(model)}
                  data-testid="model-show-runs"
                >
                  Runs
                </button>
              )}
              {may.edit && (
                <button
                  type="button"
                  className="button button--small"
                  disabled={busy}
                  onClick={() => setRenaming(true)}
                  data-testid="model-rename"
                >
                  Rename
                </button>
              )}
              {may.duplicate && (
                <button
                  type="button"
                  className="button button--small"
                  disabled={busy}
                  onClick={() => void duplicate(model)}
                  data-testid="model-duplicate"
                >
                  Duplicate
                </button>
              )}
              {may.export && (
                <button
                  type="button"
                  className="button button--small"
                  disabled={busy}
                  onClick={() => void exportIt()}
                  data-testid="model-export"
                >
                  Export
                </button>
              )}
              {onExportBundle && may.export && model.versions > 0 && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() =>
                    onExportBundle(
                      { kind: 'model-version', model: model.id, version: model.versions },
                      `model “${model.name}” version ${model.versions}`,
                    )
                  }
                  aria-label={`Export bundle of “${model.name}” version ${model.versions}…`}
                  data-testid="model-export-bundle"
                >
                  Export bundle…
                </button>
              )}
              {may.share && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void showSharing(model)}
                  data-testid="model-share"
                >
                  Share
                </button>
              )}
              {may.trash && (
                <ConfirmButton
                  label="Move to trash"
                  question={`Move “${model.name}” to the trash? It can be restored for ${MODEL_TRASH_DAYS} days, then it is deleted for good.`}
                  confirmLabel="Yes, move to trash"
                  disabled={busy}
                  onConfirm={() => void moveToTrash(model)}
                  testId="model-trash"
                />
              )}
            </>
          )}
        </div>
      </td>
    </tr>
  );
}
