import { useId, useState } from 'react';
import { useQuarantineState, type QuarantinedBundle } from '../../state/quarantine-state';
import { useUsersState, type User } from '../../state/users-state';
import { ConfirmButton } from '../../components/ConfirmButton';
import { minute } from '../admin/uploads';
import { ModelBanner } from '../library/ModelBanner';
import { BundleProblem } from './BundleProblem';
import { RecordMark } from './RecordMark';

const KIND_WORDS = { 'model-version': 'Model version', run: 'Saved run', report: 'Report version' } as const;
const STATE_WORDS = { verified: 'waiting for review', released: 'released', rejected: 'rejected' } as const;

/** An audit actor (`user:12`) as a name the reviewer knows, keeping the actor beside it. */
export function actorName(actor: string, users: User[] | null): string {
  const match = /^user:(\d+)$/.exec(actor);
  const user = match ? users?.find((u) => u.id === Number(match[1])) : undefined;
  return user ? `${user.displayName} (${actor})` : actor;
}

/** Release or reject, each with its note; release is a second, explicit step. */
function Review({ bundle }: { bundle: QuarantinedBundle }) {
  const noteId = useId();
  const [note, setNote] = useState('');
  const busy = useQuarantineState((s) => s.busy) !== null;
  const { release, reject } = useQuarantineState.getState();
  const fresh = bundle.records.filter((r) => !r.appliedBefore).length;
  return (
    <div className="bundle-review" role="group" aria-label={`Review bundle ${bundle.sequence}`}>
      <label htmlFor={noteId}>
        Review note (optional)
        <input
          id={noteId}
          value={note}
          maxLength={2000}
          onChange={(event) => setNote(event.currentTarget.value)}
          data-testid="bundle-review-note"
        />
      </label>
      <ConfirmButton
        label="Release…"
        question={`Import ${fresh === 1 ? 'its one new record' : `its ${fresh} new records`} into this workstation’s store, all in one step?`}
        confirmLabel="Yes, release"
        disabled={busy}
        onConfirm={() => void release(bundle.id, note)}
        testId="bundle-release"
      />
      <ConfirmButton
        label="Reject…"
        question="Reject it? Nothing is imported and the bundle is removed from quarantine."
        confirmLabel="Yes, reject"
        disabled={busy}
        onConfirm={() => void reject(bundle.id, note)}
        testId="bundle-reject"
      />
    </div>
  );
}

/** One bundle in quarantine as its reviewer sees it: where from, who signed it, what it holds, each marking. */
export function QuarantineCard({ bundle }: { bundle: QuarantinedBundle }) {
  const outcome = useQuarantineState((s) => (s.outcome?.id === bundle.id ? s.outcome.text : null));
  const problem = useQuarantineState((s) => (s.reviewProblem?.id === bundle.id ? s.reviewProblem.error : null));
  const users = useUsersState((s) => s.users);
  const waiting = bundle.state === 'verified';
  const titleId = useId();
  return (
    <article
      className={`bundle-card${waiting ? ' bundle-card--waiting' : ''}`}
      aria-labelledby={titleId}
      data-testid="quarantine-bundle"
      data-state={bundle.state}
      data-bundle-id={bundle.bundleId}
    >
      <div className="bundle-card__head">
        <h3 id={titleId}>
          Bundle {bundle.sequence} on {bundle.channel} from {bundle.sourceSite}
        </h3>
        <span data-testid="quarantine-banner">
          <ModelBanner banner={bundle.banner} />
        </span>
        <span className="muted" data-testid="quarantine-state">
          {STATE_WORDS[bundle.state]}
        </span>
      </div>
      {bundle.warnings.length > 0 && (
        <div className="notice notice--strong" role="alert" data-testid="quarantine-warnings">
          <p>Warnings for the reviewer:</p>
          <ul>
            {bundle.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="bundle-facts">
        <dt>From</dt>
        <dd data-testid="quarantine-source">
          {bundle.sourceSite}, network {bundle.sourceNetwork} (destination profile {bundle.destination})
        </dd>
        <dt>Channel</dt>
        <dd>
          {bundle.channel}, bundle number {bundle.sequence}
        </dd>
        <dt>Created</dt>
        <dd>{minute(bundle.created)}</dd>
        <dt>Expires</dt>
        <dd>{minute(bundle.expires)}</dd>
        <dt>Signed by</dt>
        <dd data-testid="quarantine-signer">
          <strong data-testid="quarantine-signer-name">{bundle.signer.name}</strong>
          {bundle.signer.signedAt ? `, ${minute(bundle.signer.signedAt)}` : ''}
          <br />
          <code className="muted">{bundle.signer.subject}</code>
          <br />
          Policies: <span data-testid="quarantine-signer-policies">{bundle.signer.policies.join(', ') || 'none'}</span>
        </dd>
        <dt>Received</dt>
        <dd>
          by {actorName(bundle.receivedBy, users)}, {minute(bundle.receivedAt)}
        </dd>
        <dt>File SHA-256</dt>
        <dd>
          <code>{bundle.fileSha256}</code>
        </dd>
        {bundle.reviewedBy && (
          <>
            <dt>Reviewed</dt>
            <dd data-testid="quarantine-reviewed">
              {STATE_WORDS[bundle.state]} by {actorName(bundle.reviewedBy, users)}
              {bundle.reviewedAt ? `, ${minute(bundle.reviewedAt)}` : ''}
              {bundle.reviewNote ? ` — “${bundle.reviewNote}”` : ''}
            </dd>
          </>
        )}
      </dl>
      <table className="table admin-table" data-testid="quarantine-records">
        <caption className="visually-hidden">Records in bundle {bundle.sequence}</caption>
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Kind</th>
            <th scope="col">Portion mark</th>
            <th scope="col">Banner</th>
            <th scope="col">Here already?</th>
          </tr>
        </thead>
        <tbody>
          {bundle.records.map((record) => (
            <tr key={`${record.kind}:${record.sha256}`} data-testid="quarantine-record">
              <th scope="row" data-testid="quarantine-record-label">
                {record.label}
              </th>
              <td>{KIND_WORDS[record.kind]}</td>
              <td>
                <RecordMark portion={record.portionMark} banner={record.banner} />
              </td>
              <td>
                <ModelBanner banner={record.banner} />
              </td>
              <td data-testid="quarantine-record-applied">{record.appliedBefore ? 'already imported' : 'new'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {waiting && <Review bundle={bundle} />}
      <BundleProblem error={problem} testId="bundle-review-problem" />
      {outcome && (
        <p className="notice-ok" role="status" data-testid="bundle-review-outcome">
          {outcome}
        </p>
      )}
    </article>
  );
}
