import { useEffect } from 'react';
import { useAuditState, type AuditEntry } from '../../state/audit-state';
import { ServiceProblem } from '../../components/ServiceProblem';
import { minute } from './uploads';

/** The entry's detail as "key: value" pairs; the recorded JSON text when it is not an object. */
function detailText(entry: AuditEntry): string {
  try {
    const detail = JSON.parse(entry.detail) as unknown;
    if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
      return Object.entries(detail as Record<string, unknown>)
        .map(([key, value]) => `${key}: ${value === null ? '—' : String(value)}`)
        .join(' · ');
    }
  } catch {
    // Shown as recorded.
  }
  return entry.detail;
}

/**
 * The audit log, newest first, and a check of its keyed chain (what `enclave audit verify` does).
 * Read-only: nothing here can change or remove an entry.
 */
export function AuditPanel() {
  const entries = useAuditState((s) => s.entries);
  const total = useAuditState((s) => s.total);
  const check = useAuditState((s) => s.check);
  const problem = useAuditState((s) => s.problem);
  const busy = useAuditState((s) => s.busy);
  const load = useAuditState((s) => s.load);
  const older = useAuditState((s) => s.older);
  const verify = useAuditState((s) => s.verify);
  useEffect(() => void load(), [load]);

  return (
    <section className="panel panel--wide" aria-labelledby="audit-title" data-testid="admin-audit">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted">
        Sign-ins, refusals, locks, enrolments, role changes and trust changes, newest first. Entries cannot be changed
        or removed.
      </p>
      <div className="wizard-nav">
        <button
          type="button"
          className="button"
          onClick={() => void verify()}
          disabled={busy}
          data-testid="audit-verify"
        >
          Check the log’s integrity
        </button>
        <button type="button" className="button" onClick={() => void load()} disabled={busy}>
          Refresh
        </button>
      </div>
      {check && (
        <p
          className={check.ok ? 'notice' : 'refusal'}
          role="status"
          data-testid="audit-check"
          data-ok={String(check.ok)}
        >
          {check.message}
        </p>
      )}
      <ServiceProblem error={problem} testId="audit-problem" />
      {!entries && !problem && <p className="muted">Reading the audit log…</p>}
      {entries && (
        <div className="table-scroll">
          <table className="table admin-table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Event</th>
                <th scope="col">Object</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq} data-testid="audit-row" data-event={entry.event} data-outcome={entry.outcome}>
                  <td>{entry.seq}</td>
                  <td className="admin-table__date">{minute(entry.at)}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.event}</td>
                  <td className="admin-table__dn">{entry.object}</td>
                  <td className={entry.outcome === 'success' ? '' : 'is-bad'}>{entry.outcome}</td>
                  <td className="admin-table__dn" data-testid="audit-detail">
                    {detailText(entry)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries && entries.length < total && (
        <button type="button" className="button" onClick={() => void older()} disabled={busy} data-testid="audit-older">
          Older entries ({total - entries.length} more)
        </button>
      )}
    </section>
  );
}
