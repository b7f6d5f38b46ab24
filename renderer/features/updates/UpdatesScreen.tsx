import { useEffect } from 'react';
import { useUpdatesState } from '../../state/updates-state';
import { useUsersState } from '../../state/users-state';
import '../bundles/bundles.css';
import { ApplyUpdate } from './ApplyUpdate';
import { UpdateHistory } from './UpdateHistory';
import { UpdateRootPanel } from './UpdateRootPanel';
import { useUpdatesView } from './updates-view';
import './updates.css';

/**
 * Updates (updates.root, trustRoot, inspect, apply, history): an administrator brings in an update
 * bundle on media, reads what the service verified and what applying it would do, and applies it
 * all in one step (docs/updates.md).
 */
export function UpdatesScreen({ onHome, onAdmin }: { onHome: () => void; onAdmin?: () => void }) {
  const load = useUpdatesState((s) => s.load);
  // Who applied each update, by name (the history's actor is the user's number).
  const loadUsers = useUsersState((s) => s.load);
  const users = useUsersState((s) => s.users);
  const view = useUpdatesView();
  useEffect(() => {
    void loadUsers();
    void load();
  }, [load, loadUsers]);

  return (
    <main className="home bundles" data-testid="updates-screen" aria-labelledby="updates-title">
      <header className="home__header library__header">
        <div>
          <h1 id="updates-title">Updates</h1>
          <p className="muted">
            App releases, trust anchors, CRLs, site configuration, user lists and model templates, brought in on media
            as signed update bundles and verified before anything is applied.
          </p>
        </div>
        <div className="bundle-header-actions">
          {onAdmin && (
            <button type="button" className="button" onClick={onAdmin} data-testid="updates-admin">
              Administration
            </button>
          )}
          <button type="button" className="button" onClick={onHome} data-testid="home-button">
            Back to home
          </button>
        </div>
      </header>
      <UpdateRootPanel view={view} />
      <ApplyUpdate view={view} />
      <UpdateHistory view={view} users={users} />
    </main>
  );
}
