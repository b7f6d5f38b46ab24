import { useId, type ChangeEvent } from 'react';
import type { ChosenFile } from '../../../common/ipc/files';
import type { IpcError, IpcResult } from '../../../common/ipc/result';
import { chooseInDialog, handOver, hostChoosesFiles } from '../admin/uploads';

/** One file from the host's answer: none (cancelled) is nothing, more than one is refused in words. */
export function oneFile(chosen: IpcResult<ChosenFile[]>): IpcResult<ChosenFile | null> {
  if (!chosen.ok) return chosen;
  if (chosen.value.length > 1)
    return {
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: `Choose one file: ${chosen.value.length} were chosen.` },
    };
  return { ok: true, value: chosen.value[0] ?? null };
}

/**
 * Hands a file over again for a second call (a handle serves one call): the File the page kept
 * (browser host), or the dialog once more (Electron), where the admin chooses the same file.
 */
export async function handOverAgain(source: File | null): Promise<IpcResult<ChosenFile | null>> {
  return oneFile(source ? await handOver([source], 'updates') : await chooseInDialog('updates'));
}

/**
 * A button that chooses one file for the updates service: the host's dialog under Electron, the
 * page's file input under the browser host (which keeps the File, to hand it over again later).
 */
export function ChooseUpdateFile({
  label,
  disabled,
  testId,
  onChosen,
  onProblem,
}: {
  label: string;
  disabled: boolean;
  testId: string;
  onChosen(file: ChosenFile, source: File | null): Promise<unknown>;
  onProblem(error: IpcError): void;
}) {
  const id = useId();

  async function handed(chosen: IpcResult<ChosenFile | null>, source: File | null) {
    if (!chosen.ok) return onProblem(chosen.error);
    if (chosen.value) await onChosen(chosen.value, source);
  }

  async function picked(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0] ?? null;
    input.value = ''; // the same file again is a new choice
    if (file) await handed(oneFile(await handOver([file], 'updates')), file);
  }

  if (hostChoosesFiles())
    return (
      <button
        type="button"
        className="button"
        disabled={disabled}
        onClick={() => void chooseInDialog('updates').then((chosen) => handed(oneFile(chosen), null))}
        data-testid={`${testId}-dialog`}
      >
        {label}
      </button>
    );
  return (
    <>
      <input
        id={id}
        className="visually-hidden file-input"
        type="file"
        disabled={disabled}
        onChange={(event) => void picked(event)}
        data-testid={`${testId}-file`}
      />
      <label htmlFor={id} className="button" aria-disabled={disabled}>
        {label}
      </label>
    </>
  );
}
