import { useTrustState } from '../../state/trust-state';
import { ConfirmButton } from '../../components/ConfirmButton';
import { day, minute } from './uploads';

/** The trust anchors: roots and intermediates the sign-in builds card certificate paths to. */
export function AnchorsTable() {
  const anchors = useTrustState((s) => s.list?.anchors ?? null);
  const busy = useTrustState((s) => s.busy);
  const remove = useTrustState((s) => s.remove);
  if (!anchors) return <p className="muted">Reading the trust anchors…</p>;
  if (anchors.length === 0) {
    return (
      <p className="muted" data-testid="anchors-empty">
        No trust anchors yet: no card can sign in until the PKI’s root and intermediate CA certificates are imported.
      </p>
    );
  }
  const now = Date.now();
  return (
    <div className="table-scroll">
      <table className="table admin-table" data-testid="anchors-table">
        <thead>
          <tr>
            <th scope="col">Subject</th>
            <th scope="col">Issuer</th>
            <th scope="col">Kind</th>
            <th scope="col">Valid from</th>
            <th scope="col">Valid until</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {anchors.map((anchor) => {
            const expired = Date.parse(anchor.notAfter) < now;
            return (
              <tr
                key={anchor.id}
                data-testid="anchor-row"
                data-kind={anchor.root ? 'root' : 'intermediate'}
                title={`SHA-256 ${anchor.sha256}`}
              >
                <td className="admin-table__name" data-testid="anchor-subject">
                  {anchor.subject}
                </td>
                <td className="admin-table__dn">
                  {anchor.root ? <span className="muted">itself (self-signed)</span> : anchor.issuer}
                </td>
                <td data-testid="anchor-kind">{anchor.root ? 'Root' : 'Intermediate'}</td>
                <td className="admin-table__date">{day(anchor.notBefore)}</td>
                <td className={expired ? 'admin-table__date is-bad' : 'admin-table__date'}>
                  {day(anchor.notAfter)}
                  {expired && ' (expired)'}
                </td>
                <td>
                  <span className="admin-table__date">{day(anchor.addedAt)}</span>{' '}
                  <span className="muted">by {anchor.addedBy}</span>
                </td>
                <td className="admin-table__actions">
                  <ConfirmButton
                    label="Remove"
                    question={`Stop trusting ${anchor.root ? 'this root' : 'this CA'}? Cards it issued will be refused at sign-in.`}
                    confirmLabel="Yes, remove"
                    disabled={busy !== null}
                    onConfirm={() => void remove('anchors', anchor.id)}
                    testId="remove-anchor"
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The CRLs: one current list per issuing CA; revocation of a card is checked against them. */
export function CrlsTable() {
  const crls = useTrustState((s) => s.list?.crls ?? null);
  const busy = useTrustState((s) => s.busy);
  const remove = useTrustState((s) => s.remove);
  if (!crls) return <p className="muted">Reading the CRLs…</p>;
  if (crls.length === 0) {
    return (
      <p className="muted" data-testid="crls-empty">
        No CRLs yet: where the site requires revocation checks, cards are refused until their CA’s CRL is imported.
      </p>
    );
  }
  const now = Date.now();
  return (
    <div className="table-scroll">
      <table className="table admin-table" data-testid="crls-table">
        <thead>
          <tr>
            <th scope="col">Issuer</th>
            <th scope="col">This update</th>
            <th scope="col">Next update</th>
            <th scope="col">Revoked</th>
            <th scope="col">Imported</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {crls.map((crl) => {
            const overdue = crl.nextUpdate !== null && Date.parse(crl.nextUpdate) < now;
            return (
              <tr key={crl.id} data-testid="crl-row">
                <td className="admin-table__name" data-testid="crl-issuer">
                  {crl.issuer}
                </td>
                <td className="admin-table__date">{minute(crl.thisUpdate)}</td>
                <td className={overdue ? 'admin-table__date is-bad' : 'admin-table__date'}>
                  {crl.nextUpdate ? minute(crl.nextUpdate) : <span className="muted">not stated</span>}
                  {overdue && ' (overdue: import a newer CRL)'}
                </td>
                <td data-testid="crl-revoked">{crl.revokedCount}</td>
                <td>
                  <span className="admin-table__date">{day(crl.importedAt)}</span>{' '}
                  <span className="muted">by {crl.importedBy}</span>
                </td>
                <td className="admin-table__actions">
                  <ConfirmButton
                    label="Remove"
                    question="Remove this CRL? Revocation of this CA’s cards can no longer be checked until a new one is imported."
                    confirmLabel="Yes, remove"
                    disabled={busy !== null}
                    onConfirm={() => void remove('crls', crl.id)}
                    testId="remove-crl"
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
