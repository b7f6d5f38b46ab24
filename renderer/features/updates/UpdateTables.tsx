import { KIND_WORDS, type UpdatePayloadKind } from '../../../common/update/update-payload';
import type { UpdateInspection } from '../../state/updates-state';
import { minute } from '../admin/uploads';
import { KeyIds } from './KeyIds';

const RESULT_WORDS = {
  would: { applied: 'would be applied', staged: 'would be staged', unchanged: 'unchanged' },
  did: { applied: 'applied', staged: 'staged', unchanged: 'unchanged' },
} as const;

/** A kind as the history stores it (plain text), in words where it is one the app knows. */
export const kindWords = (kind: string): string =>
  Object.hasOwn(KIND_WORDS, kind) ? KIND_WORDS[kind as UpdatePayloadKind] : kind;

/** A size in the unit an administrator reads, with the exact byte count on hover. */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** The roles of a bundle: each one's version old → new, its expiry, and who signed it against its threshold. */
export function UpdateRolesTable({ inspection }: { inspection: UpdateInspection }) {
  return (
    <table className="table admin-table" data-testid="update-roles">
      <caption className="visually-hidden">The metadata roles of the bundle</caption>
      <thead>
        <tr>
          <th scope="col">Role</th>
          <th scope="col">Version</th>
          <th scope="col">Expires</th>
          <th scope="col">Signed by</th>
          <th scope="col">Keys that signed</th>
        </tr>
      </thead>
      <tbody>
        {inspection.roles.map((role) => (
          <tr key={role.role} data-testid="update-role" data-role={role.role}>
            <th scope="row">{role.role}</th>
            <td data-testid="update-role-version">
              {role.from === null
                ? `new → ${role.to}`
                : role.from === role.to
                  ? `${role.to} (same)`
                  : `${role.from} → ${role.to}`}
            </td>
            <td className="admin-table__date">{minute(role.expires)}</td>
            <td data-testid="update-role-signed">
              {role.signedBy.length} of threshold {role.threshold}
            </td>
            <td>
              <KeyIds keyids={role.signedBy} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The targets of a bundle: what each is, who signed it, and what applying it does (or did). */
export function UpdateTargetsTable({ inspection, verb }: { inspection: UpdateInspection; verb: 'would' | 'did' }) {
  if (inspection.targets.length === 0)
    return <p data-testid="update-targets-none">The bundle carries no target: only its metadata.</p>;
  return (
    <table className="table admin-table" data-testid="update-targets">
      <caption className="visually-hidden">The targets of the bundle</caption>
      <thead>
        <tr>
          <th scope="col">Target</th>
          <th scope="col">Kind</th>
          <th scope="col">Version</th>
          <th scope="col">Size</th>
          <th scope="col">SHA-256</th>
          <th scope="col">Signed by role</th>
          <th scope="col">{verb === 'would' ? 'Applying it' : 'Result'}</th>
        </tr>
      </thead>
      <tbody>
        {inspection.targets.map((target) => (
          <tr key={target.name} data-testid="update-target" data-result={target.result}>
            <th scope="row" className="admin-table__name">
              <code>{target.name}</code>
            </th>
            <td data-testid="update-target-kind">{KIND_WORDS[target.kind]}</td>
            <td>{target.version ?? <span className="muted">none</span>}</td>
            <td title={`${target.length} bytes`}>{size(target.length)}</td>
            <td>
              <code title={target.sha256} data-sha256={target.sha256}>
                {target.sha256.slice(0, 12)}
              </code>
            </td>
            <td>{target.role}</td>
            <td data-testid="update-target-effect">
              <strong data-testid="update-target-result">{RESULT_WORDS[verb][target.result]}</strong>
              {target.detail && <span className="update-detail">{target.detail}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
