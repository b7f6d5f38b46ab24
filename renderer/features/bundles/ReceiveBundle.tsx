import { useId, type ChangeEvent } from 'react';
import type { ChosenFile } from '../../../common/ipc/files';
import type { IpcResult } from '../../../common/ipc/result';
import { useQuarantineState } from '../../state/quarantine-state';
import { chooseInDialog, handOver, hostChoosesFiles } from '../admin/uploads';
import { BundleProblem } from './BundleProblem';

/** Parts sort by name (`….tar.001`, `….tar.002`, …): the service takes them in that order. */
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Chooses a bundle (its .tar, or all its parts) and hands it to the service, which checks it step
 * by step into quarantine; a refusal names every reason and leaves nothing behind.
 */
export function ReceiveBundle() {
  const id = useId();
  const busy = useQuarantineState((s) => s.busy);
  const problem = useQuarantineState((s) => s.receiveProblem);
  const received = useQuarantineState((s) => s.received);
  const receive = useQuarantineState((s) => s.receive);
  const reportReceive = useQuarantineState((s) => s.reportReceive);

  async function handed(chosen: IpcResult<ChosenFile[]>) {
    if (!chosen.ok) return reportReceive(chosen.error);
    if (chosen.value.length > 0) await receive([...chosen.value].sort(byName).map((file) => file.handle));
  }

  async function picked(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const files = [...(input.files ?? [])].sort(byName);
    input.value = ''; // the same file again is a new receipt (and is refused as a replay once released)
    if (files.length === 0) return;
    await handed(await handOver(files, 'bundles'));
  }

  const label = busy === 'receive' ? 'Checking the bundle…' : 'Choose a bundle file (or all its parts)…';
  return (
    <div className="trust-import" data-testid="bundle-receive">
      <div className="trust-import__picker">
        {hostChoosesFiles() ? (
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => void chooseInDialog('bundles').then(handed)}
            data-testid="bundle-receive-dialog"
          >
            {label}
          </button>
        ) : (
          <>
            {/* No accept filter: split parts are named NAME.tar.part-0001-of-0003, which no filter can match. */}
            <input
              id={id}
              className="visually-hidden file-input"
              type="file"
              multiple
              disabled={busy !== null}
              onChange={(event) => void picked(event)}
              data-testid="bundle-receive-files"
            />
            <label htmlFor={id} className="button">
              {label}
            </label>
          </>
        )}
        <span className="muted">
          Checked in order: size and structure, the signature and its signer, every payload hash, no unlisted file, each
          record and its marking, then the channel sequence. A verified bundle waits in quarantine for review.
        </span>
      </div>
      <BundleProblem error={problem} testId="bundle-receive-problem" />
      {received && (
        <p className="notice-ok" role="status" data-testid="bundle-received">
          Verified and put in quarantine: bundle {received.sequence} on channel {received.channel} from{' '}
          {received.sourceSite}. Review it below.
        </p>
      )}
    </div>
  );
}
