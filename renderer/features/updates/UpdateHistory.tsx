import type { UpdateHistoryEntry } from '../../state/updates-state';
import type { User } from '../../state/users-state';
import type { UpdatesView } from './updates-view';
import { minute } from '../admin/uploads';
import { actorName } from '../bundles/QuarantineCard';
import { BundleProblem } from '../bundles/BundleProblem';
import { kindWords, size } from './UpdateTables';

const STATE_WORDS = {
  started: 'being applied',
  applied: 'applied',
  interrupted: 'interrupted',
  failed: 'failed',
} as const;

function HistoryEntry({ entry, users }: { entry: UpdateHistoryEntry; users: User[] | null }) {
  const { root, timestamp, snapshot, targets } = entry.versions;
  return (
    <article className="bundle-card" data-testid="update-history-entry" data-state={entry.state} data-id={entry.id}>
      <div className="bundle-card__head">
        <h3>Update #{entry.id}</h3>
        <span className={entry.state === 'applied' ? 'muted' : 'is-bad'} data-testid="update-history-state">
          {STATE_WORDS[entry.state]}
        </span>
      </div>
      <dl className="bundle-facts">
        <dt>By</dt>
        <dd data-testid="update-history-actor">{actorName(entry.actor, users)}</dd>
        <dt>When</dt>
        <dd>
          started {minute(entry.startedAt)}
          {entry.endedAt ? `, ended ${minute(entry.endedAt)}` : ''}
        </dd>
        <dt>Versions</dt>
        <dd data-testid="update-history-versions">
          root {root}, timestamp {timestamp}, snapshot {snapshot}, targets {targets}
        </dd>
        {entry.reason && (
          <>
            <dt>Reason</dt>
            <dd data-testid="update-history-reason">{entry.reason}</dd>
          </>
        )}
      </dl>
      {entry.targets.length > 0 && (
        <table className="table admin-table" data-testid="update-history-targets">
          <caption className="visually-hidden">Targets of update {entry.id}</caption>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">Result</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {entry.targets.map((target) => (
              <tr key={target.name} data-testid="update-history-target">
                <th scope="row" className="admin-table__name">
                  <code>{target.name}</code>
                </th>
                <td>{kindWords(target.kind)}</td>
                <td title={`${target.length} bytes`}>{size(target.length)}</td>
                <td>{target.result}</td>
                <td>
                  <code className="update-hash" data-testid="update-history-sha256">
                    {target.sha256}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

/** Every update applied here (and every one interrupted or failed), newest first, with its targets' hashes. */
export function UpdateHistory({ view, users }: { view: UpdatesView; users: User[] | null }) {
  const { history, historyProblem: problem } = view;
  return (
    <section className="panel panel--wide" aria-labelledby="update-history-title" data-testid="update-history">
      <h2 id="update-history-title">History</h2>
      <BundleProblem error={problem} testId="update-history-problem" />
      {!history && !problem && <p className="loading">Reading the history…</p>}
      {history?.length === 0 && <p data-testid="update-history-empty">No update has been applied here.</p>}
      {history?.map((entry) => (
        <HistoryEntry key={entry.id} entry={entry} users={users} />
      ))}
    </section>
  );
}
