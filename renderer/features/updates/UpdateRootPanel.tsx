import { useUpdatesState, type UpdateRoot } from '../../state/updates-state';
import type { UpdatesView } from './updates-view';
import { minute } from '../admin/uploads';
import { BundleProblem } from '../bundles/BundleProblem';
import { ChooseUpdateFile } from './ChooseUpdateFile';
import { KeyIds } from './KeyIds';

function RootFacts({ root }: { root: UpdateRoot }) {
  return (
    <>
      <dl className="bundle-facts" data-testid="update-root">
        <dt>Version</dt>
        <dd data-testid="update-root-version">{root.version}</dd>
        <dt>Expires</dt>
        <dd data-testid="update-root-expires">{minute(root.expires)}</dd>
        <dt>Fingerprint</dt>
        <dd>
          SHA-256 of root.json: <code data-testid="update-root-fingerprint">{root.sha256}</code>
          <br />
          <span className="muted">Compare it with the fingerprint the update officers read out.</span>
        </dd>
      </dl>
      <table className="table admin-table" data-testid="update-root-roles">
        <caption className="visually-hidden">The roles the update root names, and their keys</caption>
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Signatures needed</th>
            <th scope="col">Keys</th>
          </tr>
        </thead>
        <tbody>
          {root.roles.map((role) => (
            <tr key={role.role} data-testid="update-root-role">
              <th scope="row">{role.role}</th>
              <td>
                {role.threshold} of {role.keyids.length}
              </td>
              <td>
                <KeyIds keyids={role.keyids} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * The update root this workstation trusts: every bundle is verified from it. Before one is set, the
 * administrator trusts the root.json the update officers gave (updates.trustRoot, never a replacement).
 */
export function UpdateRootPanel({ view }: { view: UpdatesView }) {
  const { root, rootProblem: problem, busy } = view;
  const { trustRoot, report } = useUpdatesState.getState();
  return (
    <section className="panel panel--wide" aria-labelledby="update-root-title" data-testid="update-root-panel">
      <h2 id="update-root-title">Trusted update root</h2>
      {root === undefined && !problem && <p className="loading">Reading the update root…</p>}
      {root && <RootFacts root={root} />}
      {root === null && (
        <div data-testid="update-root-none">
          <p>
            <strong>No update root is trusted yet.</strong> Choose the root.json the update officers gave you. Once it
            is trusted, compare the fingerprint shown here with the one the update officers read out to you; if they
            differ, stop and tell them.
          </p>
          <div className="trust-import__picker">
            <ChooseUpdateFile
              label={busy === 'trust' ? 'Checking the root…' : 'Choose the update root (root.json)…'}
              disabled={busy !== null}
              testId="update-root-choose"
              onChosen={(file) => trustRoot(file)}
              onProblem={(error) => report('trust', error)}
            />
          </div>
        </div>
      )}
      <BundleProblem error={problem} testId="update-root-problem" />
    </section>
  );
}
