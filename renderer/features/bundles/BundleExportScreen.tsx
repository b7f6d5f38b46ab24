import { useEffect, useId } from 'react';
import { pickKey, useBundleExportState, type Destination } from '../../state/bundle-export-state';
import { useMarkingPolicyState } from '../../state/marking-state';
import { AddRecords } from './AddRecords';
import { BundleProblem } from './BundleProblem';
import { ExportForm } from './ExportForm';
import { ExportPreview } from './ExportPreview';
import { ExportResult } from './ExportResult';
import './bundles.css';

const LEVEL_WORDS = { U: 'UNCLASSIFIED', C: 'CONFIDENTIAL', S: 'SECRET', TS: 'TOP SECRET' } as const;

/** A destination profile in words: what may go there. */
function profileWords(d: Destination): string {
  const parts = [`up to ${LEVEL_WORDS[d.highest]}`];
  parts.push(d.sci.length > 0 ? `SCI ${d.sci.join(', ')}` : 'no SCI');
  parts.push(d.sap.length > 0 ? `SAP ${d.sap.join(', ')}` : 'no SAP');
  if (d.relTo.length > 0) parts.push(`released to ${d.relTo.join(', ')}`);
  parts.push(d.noforn ? 'NOFORN may go' : 'no NOFORN');
  if (d.aea) parts.push('RD/FRD may go');
  return parts.join('; ');
}

/**
 * Export to another network (bundles.*): the records picked, the destination profile, the preview
 * of every record's marking and each refusal, then the card PIN that signs the bundle into the
 * outbox (docs/bundles-guide.md).
 */
export function BundleExportScreen({ onHome, onLibrary }: { onHome: () => void; onLibrary?: () => void }) {
  const destinationId = useId();
  const picks = useBundleExportState((s) => s.picks);
  const network = useBundleExportState((s) => s.network);
  const destinations = useBundleExportState((s) => s.destinations);
  const destination = useBundleExportState((s) => s.destination);
  const problem = useBundleExportState((s) => s.problem);
  const result = useBundleExportState((s) => s.result);
  const { loadDestinations, setDestination, remove } = useBundleExportState.getState();
  const loadPolicy = useMarkingPolicyState((s) => s.load);
  useEffect(() => {
    void loadPolicy();
    void loadDestinations();
  }, [loadPolicy, loadDestinations]);
  const chosen = destinations?.find((d) => d.name === destination) ?? null;

  return (
    <main className="home bundles" data-testid="bundle-export-screen" aria-labelledby="bundle-export-title">
      <header className="home__header library__header">
        <div>
          <h1 id="bundle-export-title">Export a bundle</h1>
          <p className="muted">
            Records for another network, in one bundle signed with your card{network ? ` (from ${network})` : ''}.
          </p>
        </div>
        <div className="bundle-header-actions">
          {onLibrary && (
            <button type="button" className="button" onClick={onLibrary} data-testid="bundle-export-library">
              Model library
            </button>
          )}
          <button type="button" className="button" onClick={onHome} data-testid="home-button">
            Back to home
          </button>
        </div>
      </header>
      <BundleProblem error={problem} testId="bundle-export-load-problem" />

      <section className="panel panel--wide" aria-labelledby="bundle-records-title">
        <h2 id="bundle-records-title">Records</h2>
        {picks.length === 0 ? (
          <p data-testid="bundle-picks-none">
            No record picked yet: add one below, or use “Export bundle…” on a model version, a saved run or a report
            version.
          </p>
        ) : (
          <ul data-testid="bundle-picks">
            {picks.map(({ pick, label }) => (
              <li key={pickKey(pick)} data-testid="bundle-pick">
                {label}{' '}
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => remove(pick)}
                  aria-label={`Remove ${label}`}
                  data-testid="bundle-pick-remove"
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <AddRecords />
      </section>

      <section className="panel panel--wide" aria-labelledby="bundle-destination-title">
        <h2 id="bundle-destination-title">Destination</h2>
        {destinations?.length === 0 && (
          <p data-testid="bundle-no-destinations">
            This workstation has no destination profiles: the site configuration names where bundles may go. Ask your
            administrator.
          </p>
        )}
        {destinations && destinations.length > 0 && (
          <div className="bundle-fields">
            <label htmlFor={destinationId}>
              Destination profile
              <select
                id={destinationId}
                value={destination ?? ''}
                onChange={(event) => setDestination(event.currentTarget.value)}
                data-testid="bundle-destination"
              >
                {destinations.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.name} (channel {d.channel})
                  </option>
                ))}
              </select>
            </label>
            {chosen && (
              <p className="muted" data-testid="bundle-destination-profile">
                {profileWords(chosen)}
              </p>
            )}
          </div>
        )}
      </section>

      <section className="panel panel--wide" aria-labelledby="bundle-preview-title">
        <h2 id="bundle-preview-title">What goes, and how it is marked</h2>
        <ExportPreview />
        <ExportForm />
        {result && <ExportResult result={result} />}
      </section>
    </main>
  );
}
