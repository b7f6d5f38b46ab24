import { canonicalJson } from '../tuf/canonical-json';
import { countValidSignatures } from '../tuf/keys';
import { restageSnapshotAndTimestamp } from './add-target';
import { RepositoryError } from './errors';
import { writeFileAtomic } from './files';
import { withRepositoryLock } from './lock';
import { expiryAfter, loadRepository, rootHistoryDir, saveStaged, stagedOf } from './repository';
import { ALL_ROLES } from './roles';
import { join } from 'node:path';

export interface Renewed {
  readonly role: string;
  readonly version: number;
  readonly expires: string;
}

/**
 * Restages roles with a new version and fresh expiry, unsigned, so metadata that is about to expire can
 * be signed again without a new target: snapshot and timestamp always (they must name the new
 * versions), plus any of `roles`. A renewed root keeps its predecessor, which must meet its threshold,
 * in root-history so workstations can step from one root to the next.
 */
export async function renewRoles(dir: string, roles: readonly string[], now: Date): Promise<Renewed[]> {
  for (const role of roles)
    if (!ALL_ROLES.includes(role))
      throw new RepositoryError('usage', `There is no role "${role}" (roles: ${ALL_ROLES.join(', ')}).`);
  return withRepositoryLock(dir, async () => {
    const repo = loadRepository(dir);
    if (roles.includes('root')) {
      const root = repo.root;
      const entry = root.signed.roles.root!;
      const valid = countValidSignatures(entry, root.signed.keys, canonicalJson(root.signed), root.signatures);
      if (valid < entry.threshold)
        throw new RepositoryError(
          'refused',
          `Root v${root.signed.version} has ${valid} of ${entry.threshold} signatures; sign it before renewing, so workstations can trust the next.`,
        );
      writeFileAtomic(
        join(rootHistoryDir(dir), `${root.signed.version}.root.json`),
        `${JSON.stringify({ signed: root.signed, signatures: root.signatures }, null, 2)}\n`,
      );
      root.signed.version += 1;
      root.signed.expires = expiryAfter(now, repo.config.expiryDays.root);
      root.signatures = [];
      saveStaged(repo, 'root');
    }
    const changed: string[] = [];
    for (const role of roles.filter((r) => r !== 'root' && r !== 'snapshot' && r !== 'timestamp')) {
      const staged = stagedOf(repo, role);
      staged.signed.version += 1;
      const days = role === 'targets' ? repo.config.expiryDays.targets : repo.config.expiryDays.delegated;
      staged.signed.expires = expiryAfter(now, days);
      staged.signatures = [];
      saveStaged(repo, role);
      changed.push(role);
    }
    restageSnapshotAndTimestamp(repo, changed, now);
    return ALL_ROLES.filter((role) => roles.includes(role) || role === 'snapshot' || role === 'timestamp').map(
      (role) => {
        const { version, expires } = stagedOf(repo, role).signed;
        return { role, version, expires };
      },
    );
  });
}
