import { useId, type ChangeEvent } from 'react';
import type { ChosenFile } from '../../../common/ipc/files';
import type { IpcResult } from '../../../common/ipc/result';
import { useLibraryState } from '../../state/library-state';
import { chooseInDialog, handOver, hostChoosesFiles } from '../admin/uploads';

/**
 * Import enclave-model/1 files: Electron's dialog or the page's file input hands them to the host
 * (never read into the page), and models.importFile checks each, naming every problem with its path.
 */
export function ImportModels() {
  const id = useId();
  const busy = useLibraryState((s) => s.busy);
  const importFiles = useLibraryState((s) => s.importFiles);
  const report = useLibraryState((s) => s.report);

  async function handed(chosen: IpcResult<ChosenFile[]>) {
    if (!chosen.ok) return report(chosen.error);
    await importFiles(chosen.value);
  }

  async function picked(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const files = [...(input.files ?? [])];
    input.value = ''; // picking the same file again is a new import
    if (files.length > 0) await handed(await handOver(files, 'models'));
  }

  if (hostChoosesFiles())
    return (
      <button
        type="button"
        className="button"
        disabled={busy !== null}
        onClick={() => void chooseInDialog('models').then(handed)}
        data-testid="library-import-dialog"
      >
        Import model files…
      </button>
    );
  return (
    <span className="library-import">
      <input
        id={id}
        className="visually-hidden file-input"
        type="file"
        multiple
        accept=".json,application/json"
        disabled={busy !== null}
        onChange={(event) => void picked(event)}
        data-testid="library-import-files"
      />
      <label htmlFor={id} className="button">
        Import model files…
      </label>
    </span>
  );
}
