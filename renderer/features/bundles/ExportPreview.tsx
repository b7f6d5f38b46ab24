import { useBundleExportState } from '../../state/bundle-export-state';
import { ModelBanner } from '../library/ModelBanner';
import { RecordMark } from './RecordMark';

const KIND_WORDS = { 'model-version': 'Model version', run: 'Saved run', report: 'Report version' } as const;

/**
 * What the bundle would hold, as the service computed it for the chosen destination: every record
 * (picked, or brought along because a picked one needs it) with its marking, the roll-up banner,
 * and each reason a record may not go. Nothing is exported while any record is refused.
 */
export function ExportPreview() {
  const preview = useBundleExportState((s) => s.preview);
  const previewing = useBundleExportState((s) => s.previewing);
  if (!preview) return previewing ? <p className="loading">Checking the records against the destination…</p> : null;
  const refused = preview.records.filter((r) => r.refusals.length > 0).length;
  return (
    <div data-testid="bundle-preview" data-ok={preview.ok} aria-busy={previewing}>
      <p>
        Banner of the bundle (the roll-up of every record):{' '}
        <span data-testid="bundle-preview-banner">
          <ModelBanner banner={preview.banner} />
        </span>
      </p>
      <table className="table admin-table" data-testid="bundle-preview-table">
        <caption className="visually-hidden">Records in the bundle for destination {preview.destination}</caption>
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Kind</th>
            <th scope="col">Portion mark</th>
            <th scope="col">Banner</th>
            <th scope="col">Why it goes</th>
            <th scope="col">May it go to {preview.destination}?</th>
          </tr>
        </thead>
        <tbody>
          {preview.records.map((record) => (
            <tr
              key={`${record.kind}:${record.sha256}:${record.label}`}
              data-testid="bundle-preview-record"
              data-refused={record.refusals.length > 0}
            >
              <th scope="row" data-testid="bundle-preview-label">
                {record.label}
              </th>
              <td>{KIND_WORDS[record.kind]}</td>
              <td>
                <RecordMark portion={record.portionMark} banner={record.banner} />
              </td>
              <td>
                <ModelBanner banner={record.banner} />
              </td>
              <td data-testid="bundle-preview-why">{record.picked ? 'picked' : 'brought along (a dependency)'}</td>
              <td>
                {record.refusals.length === 0 ? (
                  <span className="notice-ok">Yes</span>
                ) : (
                  <ul className="bundle-refusals" data-testid="bundle-preview-refusals">
                    {record.refusals.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {refused > 0 && (
        <p className="refusal" role="alert" data-testid="bundle-preview-refused">
          {refused === 1 ? 'One record' : `${refused} records`} may not go to {preview.destination}: remove{' '}
          {refused === 1 ? 'it' : 'them'} (or what brings {refused === 1 ? 'it' : 'them'}) or choose another
          destination. Nothing can be exported until then.
        </p>
      )}
    </div>
  );
}
