import { useEffect } from 'react';
import { useMarkingPolicyState } from '../../state/marking-state';
import { useQuarantineState } from '../../state/quarantine-state';
import { useUsersState } from '../../state/users-state';
import { BundleProblem } from './BundleProblem';
import { QuarantineCard } from './QuarantineCard';
import { ReceiveBundle } from './ReceiveBundle';
import './bundles.css';

/**
 * Import from another network (bundles.receive, quarantine, release, reject): an administrator
 * hands in a bundle, the service verifies it into quarantine, and the reviewer releases (every
 * record in one transaction) or rejects it (docs/bundles-guide.md).
 */
export function BundleImportScreen({ onHome, onAdmin }: { onHome: () => void; onAdmin?: () => void }) {
  const bundles = useQuarantineState((s) => s.bundles);
  const listProblem = useQuarantineState((s) => s.listProblem);
  const load = useQuarantineState((s) => s.load);
  const loadPolicy = useMarkingPolicyState((s) => s.load);
  // Who received and reviewed each bundle, by name (the audit actor is the user's number).
  const loadUsers = useUsersState((s) => s.load);
  useEffect(() => {
    void loadPolicy();
    void loadUsers();
    void load();
  }, [load, loadPolicy, loadUsers]);
  const waiting = bundles?.filter((b) => b.state === 'verified') ?? [];
  const reviewed = bundles?.filter((b) => b.state !== 'verified') ?? [];

  return (
    <main className="home bundles" data-testid="bundle-import-screen" aria-labelledby="bundle-import-title">
      <header className="home__header library__header">
        <div>
          <h1 id="bundle-import-title">Import bundles</h1>
          <p className="muted">
            Bundles from other networks: each is verified into quarantine, and nothing is imported until it is reviewed
            and released.
          </p>
        </div>
        <div className="bundle-header-actions">
          {onAdmin && (
            <button type="button" className="button" onClick={onAdmin} data-testid="bundle-import-admin">
              Administration
            </button>
          )}
          <button type="button" className="button" onClick={onHome} data-testid="home-button">
            Back to home
          </button>
        </div>
      </header>
      <section className="panel panel--wide" aria-labelledby="bundle-receive-title">
        <h2 id="bundle-receive-title">Receive a bundle</h2>
        <ReceiveBundle />
      </section>
      <section className="panel panel--wide" aria-labelledby="quarantine-title" data-testid="quarantine">
        <h2 id="quarantine-title">Quarantine</h2>
        <BundleProblem error={listProblem} testId="quarantine-problem" />
        {!bundles && !listProblem && <p className="loading">Reading the quarantine…</p>}
        {bundles && waiting.length === 0 && <p data-testid="quarantine-empty">No bundle is waiting for review.</p>}
        {waiting.map((bundle) => (
          <QuarantineCard key={bundle.id} bundle={bundle} />
        ))}
        {reviewed.length > 0 && (
          <>
            <h3>Reviewed</h3>
            {reviewed.map((bundle) => (
              <QuarantineCard key={bundle.id} bundle={bundle} />
            ))}
          </>
        )}
      </section>
    </main>
  );
}
