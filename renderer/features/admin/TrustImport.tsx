import { useId, type ChangeEvent } from 'react';
import { useTrustState, type TrustKind } from '../../state/trust-state';
import { ServiceProblem } from '../../components/ServiceProblem';
import type { ChosenFile, FilePurpose } from '../../../common/ipc/files';
import type { IpcResult } from '../../../common/ipc/result';
import { chooseInDialog, handOver, hostChoosesFiles } from './uploads';

const ACCEPT: Record<TrustKind, string> = {
  anchors: '.pem,.cer,.crt,.der,.p7b,.p7c',
  crls: '.crl,.pem',
};
const PURPOSE: Record<TrustKind, FilePurpose> = { anchors: 'trust-anchors', crls: 'crls' };
const BUTTON: Record<TrustKind, string> = {
  anchors: 'Import CA certificates…',
  crls: 'Import CRLs…',
};
const FORMATS: Record<TrustKind, string> = {
  anchors:
    'Root and intermediate CA certificates: PEM, DER (.cer, .crt, .der) or PKCS#7 (.p7b, .p7c); several files at once.',
  crls: 'Certificate revocation lists, PEM or DER, each signed by a trusted CA; a newer CRL replaces its issuer’s older one.',
};

/**
 * The file picker for trust material and what the last import did. Every file is checked by the
 * service before anything is kept: one bad file refuses the whole import, naming the file.
 */
export function TrustImport({ kind }: { kind: TrustKind }) {
  const id = useId();
  const busy = useTrustState((s) => s.busy);
  const outcome = useTrustState((s) => s.imported[kind]);
  const problem = useTrustState((s) => s.problems[kind]);
  const removed = useTrustState((s) => s.removed[kind]);
  const importFiles = useTrustState((s) => s.importFiles);
  const report = useTrustState((s) => s.report);

  async function handed(chosen: IpcResult<ChosenFile[]>) {
    if (!chosen.ok) return report(kind, chosen.error);
    if (chosen.value.length > 0)
      await importFiles(
        kind,
        chosen.value.map((file) => file.handle),
      );
  }

  async function picked(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const files = [...(input.files ?? [])];
    input.value = ''; // picking the same file again is a new import
    if (files.length === 0) return;
    await handed(await handOver(files));
  }

  return (
    <div className="trust-import" data-testid={`trust-import-${kind}`}>
      <div className="trust-import__picker">
        {hostChoosesFiles() ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy !== null}
            onClick={() => void chooseInDialog(PURPOSE[kind]).then(handed)}
            data-testid={`import-${kind}-dialog`}
          >
            {busy === kind ? 'Importing…' : BUTTON[kind]}
          </button>
        ) : (
          <>
            <input
              id={id}
              className="visually-hidden file-input"
              type="file"
              multiple
              accept={ACCEPT[kind]}
              disabled={busy !== null}
              onChange={(event) => void picked(event)}
              data-testid={`import-${kind}-files`}
            />
            <label htmlFor={id} className="button button--small">
              {busy === kind ? 'Importing…' : BUTTON[kind]}
            </label>
          </>
        )}
        <span className="muted">{FORMATS[kind]}</span>
      </div>
      <ServiceProblem error={problem} testId={`${kind}-problem`} />
      {removed && (
        <p className="notice-ok" role="status" data-testid={`${kind}-removed`}>
          Removed: {removed}
        </p>
      )}
      {outcome && (
        <div className="import-outcome" role="status" data-testid={`${kind}-imported`}>
          {outcome.added.length === 0 && <p>Nothing new was added.</p>}
          {outcome.added.length > 0 && (
            <>
              <p>Added:</p>
              <ul data-testid={`${kind}-added`}>
                {outcome.added.map((what) => (
                  <li key={what}>{what}</li>
                ))}
              </ul>
            </>
          )}
          {outcome.unchanged.length > 0 && (
            <>
              <p>Left as they were:</p>
              <ul data-testid={`${kind}-unchanged`}>
                {outcome.unchanged.map((item) => (
                  <li key={`${item.what}:${item.reason}`}>
                    {item.what} <span className="muted">— {item.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
