import { useEffect } from 'react';
import { useTrustState } from '../../state/trust-state';
import { useUsersState } from '../../state/users-state';
import { AuditPanel } from './AuditPanel';
import { ServiceProblem } from '../../components/ServiceProblem';
import { TrustImport } from './TrustImport';
import { AnchorsTable, CrlsTable } from './TrustTables';
import { UsersPanel } from './UsersPanel';

/**
 * Administration: users and cards, trust anchors, CRLs, the audit log. Shown only to administrators; the service
 * checks the role on every call regardless, and its refusals are shown as it words them.
 */
export function AdminScreen({ onHome, onBundles }: { onHome: () => void; onBundles?: () => void }) {
  const loadUsers = useUsersState((s) => s.load);
  const loadTrust = useTrustState((s) => s.load);
  const listProblem = useTrustState((s) => s.listProblem);
  useEffect(() => {
    void loadUsers();
    void loadTrust();
  }, [loadUsers, loadTrust]);

  return (
    <main className="home admin" data-testid="admin-screen" aria-labelledby="admin-title">
      <header className="admin__header">
        <div>
          <h1 id="admin-title">Administration</h1>
          <p className="muted">
            Users and their cards, the trust material card sign-in is checked against, and the audit log.
          </p>
        </div>
        <div className="library-actions">
          {onBundles && (
            <button type="button" className="button" onClick={onBundles} data-testid="admin-bundles">
              Import bundles
            </button>
          )}
          <button type="button" className="button" onClick={onHome} data-testid="admin-home">
            Back to home
          </button>
        </div>
      </header>
      <div className="panels">
        <UsersPanel />
        <section className="panel panel--wide" aria-labelledby="anchors-title" data-testid="admin-anchors">
          <h2 id="anchors-title">Trust anchors</h2>
          <ServiceProblem error={listProblem} testId="trust-list-problem" />
          <AnchorsTable />
          <TrustImport kind="anchors" />
        </section>
        <section className="panel panel--wide" aria-labelledby="crls-title" data-testid="admin-crls">
          <h2 id="crls-title">Certificate revocation lists</h2>
          <CrlsTable />
          <TrustImport kind="crls" />
        </section>
        <AuditPanel />
      </div>
    </main>
  );
}
