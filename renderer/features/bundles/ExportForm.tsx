import { useId, useState } from 'react';
import { useBundleExportState } from '../../state/bundle-export-state';
import { SecretField } from '../../components/SecretField';
import { BundleProblem } from './BundleProblem';

/** Part sizes are whole MiB, 1 MiB to 64 GiB (the channel's limits). */
const MAX_PART_MIB = 64 * 1024;

/**
 * The card PIN that signs the bundle (the signature key asks for it again on every use) and an
 * optional part size for media with a file-size limit. The PIN lives in this field only: it goes
 * to the one export call and is cleared whatever the answer.
 */
export function ExportForm() {
  const pinId = useId();
  const partId = useId();
  const preview = useBundleExportState((s) => s.preview);
  const previewing = useBundleExportState((s) => s.previewing);
  const exporting = useBundleExportState((s) => s.exporting);
  const problem = useBundleExportState((s) => s.exportProblem);
  const exportBundle = useBundleExportState((s) => s.exportBundle);
  const [pin, setPin] = useState('');
  const [part, setPart] = useState('');

  const partMiB = part.trim() === '' ? null : Number(part);
  const partBad = partMiB !== null && !(Number.isInteger(partMiB) && partMiB >= 1 && partMiB <= MAX_PART_MIB);
  const ready = preview?.ok === true && !previewing && !exporting && pin !== '' && !partBad;

  async function submit() {
    if (!ready) return;
    const entered = pin;
    setPin('');
    await exportBundle(entered, partMiB);
  }

  return (
    <div className="bundle-section" data-testid="bundle-export-form">
      <div className="bundle-fields">
        <label htmlFor={pinId}>
          Card PIN (signs the bundle)
          <SecretField
            id={pinId}
            value={pin}
            maxLength={64}
            inputMode="numeric"
            disabled={exporting}
            onChange={(event) => setPin(event.currentTarget.value)}
            onEnter={() => void submit()}
            data-testid="bundle-pin"
          />
        </label>
        <label htmlFor={partId}>
          Split into parts of (MiB, optional)
          <input
            id={partId}
            type="text"
            inputMode="numeric"
            value={part}
            maxLength={6}
            disabled={exporting}
            aria-invalid={partBad}
            onChange={(event) => setPart(event.currentTarget.value)}
            data-testid="bundle-part-mib"
          />
        </label>
        <button
          type="button"
          className="button button--primary"
          disabled={!ready}
          onClick={() => void submit()}
          data-testid="bundle-export-button"
        >
          {exporting ? 'Signing and writing…' : 'Export bundle'}
        </button>
      </div>
      {partBad && (
        <p className="field-problem" role="alert">
          A part size is a whole number of MiB from 1 to {MAX_PART_MIB.toLocaleString('en-US')}; leave it empty for one
          file.
        </p>
      )}
      {preview && !preview.ok && (
        <p className="muted" data-testid="bundle-export-blocked">
          Export is not possible while a record is refused.
        </p>
      )}
      <BundleProblem error={problem} testId="bundle-export-problem" />
    </div>
  );
}
