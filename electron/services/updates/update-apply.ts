import { createHash } from 'node:crypto';
import { IdentitySettingsSchema, type SiteConfig } from '../../../common/site/site-config';
import type { ResponseOf } from '../../../common/ipc/contract';
import { endUpdate, insertStartedUpdate, insertUpdateTarget, startedUpdates } from '../../db/queries/updates';
import { storeTrustMaterial, type TrustMaterial } from '../identity/login-trust';
import { ServiceError } from '../service-error';
import { refreshTrustCopy } from '../trust/trust-admin';
import type { Workspace } from '../vault/vault-service';
import { adminCertificates, adminReach, lockoutProblem } from './payloads/admin-lockout';
import { applyDatabasePayloads, previewDatabasePayloads, type DatabasePlan } from './payloads/apply-payloads';
import { checkReleaseTarget, type ReleaseChange } from './payloads/release-payload';
import { checkSiteTarget, type SiteConfigChange } from './payloads/site-payload';
import type { TargetOutcome } from './payloads/update-target';
import { checkUserLists, slotsToAdd } from './payloads/users-payload';
import type { VerifiedBundle } from './verify-bundle';

type Inspection = ResponseOf<'updates', 'inspect'>;

export interface UpdatePaths {
  resourcesDir: string;
  siteConfigPath: string;
  /** Where installed versions and the `current` pointer live; none on a development tree. */
  installRoot?: string | undefined;
}

/** A verified bundle with every payload checked and its effect known: what `inspect` shows and `apply` does. */
export interface UpdatePlan {
  bundle: VerifiedBundle;
  database: DatabasePlan;
  site: SiteConfigChange | null;
  release: ReleaseChange | null;
  /** The trust material after the apply, by hash: the apply checks it gets the same. */
  materialHash: string;
  inspection: Inspection;
}

const materialHash = (m: TrustMaterial) => {
  const h = createHash('sha256');
  for (const der of [...m.certificates, ...m.crls]) h.update(createHash('sha256').update(der).digest());
  return h.digest('hex');
};

function inspectionOf(
  bundle: VerifiedBundle,
  outcomes: TargetOutcome[],
  lockout: string | null,
  fileSha256: string,
): Inspection {
  const byName = new Map(outcomes.map((o) => [o.name, o]));
  return {
    roles: bundle.roles,
    targets: bundle.targets.map((t) => {
      const outcome = byName.get(t.name)!;
      return {
        name: t.name,
        kind: t.kind,
        version: t.version,
        role: t.role,
        length: t.length,
        sha256: t.sha256,
        result: outcome.result,
        // What the review shows is bounded (a list of hundreds of users would run longer): the history keeps the hashes.
        detail: outcome.detail.length > 4000 ? `${outcome.detail.slice(0, 3990)} … (more)` : outcome.detail,
      };
    }),
    lockout: lockout === null ? null : lockout.slice(0, 2000),
    fileSha256,
    verifiedTime: bundle.verifiedTime,
  };
}

/**
 * Everything applying the bundle would do, found without changing anything: the database payloads
 * applied in a transaction that is rolled back (twice: user lists are checked against the trust the
 * bundle leaves), the site configuration checked as at start-up, and whether the trust it leaves
 * would lock out every administrator's card.
 */
export async function planUpdate(
  workspace: Workspace,
  bundle: VerifiedBundle,
  site: SiteConfig,
  paths: UpdatePaths,
  now: Date,
  fileSha256: string,
): Promise<UpdatePlan> {
  const settings = IdentitySettingsSchema.parse(site.identity ?? {});
  const trustOnly = previewDatabasePayloads(workspace, { targets: bundle.targets, users: [] }, site, now);
  const users = await checkUserLists(bundle.targets, trustOnly.material, settings, now);
  const database: DatabasePlan = { targets: bundle.targets, users };
  const preview = previewDatabasePayloads(workspace, database, site, now);
  const siteChange = checkSiteTarget(bundle.targets, paths);
  const release = checkReleaseTarget(bundle.targets, paths.installRoot);
  const before = await adminReach(adminCertificates(workspace.db), storeTrustMaterial(workspace.db), settings, now);
  const after = await adminReach(preview.admins, preview.material, settings, now);
  const outcomes = [
    ...preview.outcomes,
    ...(siteChange ? [siteChange.outcome] : []),
    ...(release ? [release.outcome] : []),
  ];
  return {
    bundle,
    database,
    site: siteChange,
    release,
    materialHash: materialHash(preview.material),
    inspection: inspectionOf(bundle, outcomes, lockoutProblem(before, after), fileSha256),
  };
}

/**
 * Applies a plan: the attempt is recorded as started (committed first, so an apply killed half-way is
 * found at the next start), the app release is staged, then one transaction writes the verified
 * metadata, every database payload, the history and the audit. Before that commit any failure undoes
 * what was staged and records the attempt as failed. After it the store has changed for good: the
 * site configuration file is replaced whole, the app release switched to, the trust copy refreshed,
 * new users' key slots added and revoked users' removed, each step tried even when another fails; a
 * step that fails leaves the update applied and says which steps are owed (`update.apply.incomplete`).
 * Key slots come after the commit so that a kill before it leaves no slot for a user who is not in
 * the store; applying the same bundle again adds a slot that is missing.
 */
export async function applyUpdatePlan(
  workspace: Workspace,
  plan: UpdatePlan,
  site: SiteConfig,
  options: { confirmLockout: boolean; now: Date },
): Promise<{ id: number; inspection: Inspection }> {
  const { db, audit, user, keySlots } = workspace;
  const { now } = options;
  if (plan.inspection.lockout && !options.confirmLockout) {
    audit.append({
      actor: user.actor,
      event: 'update.refused',
      object: 'lockout',
      outcome: 'denied',
      detail: { reason: plan.inspection.lockout.slice(0, 1000) },
    });
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `${plan.inspection.lockout} Apply again with the lock-out confirmed if that is intended.`,
    );
  }
  const id = insertStartedUpdate(db, user.actor, now.toISOString(), plan.bundle.versions);
  let removeSlots: string[] = [];
  try {
    await plan.release?.stage();
    db.transaction(() => {
      plan.bundle.staged.commit(now);
      const applied = applyDatabasePayloads(workspace, plan.database, site, now);
      if (materialHash(applied.material) !== plan.materialHash)
        throw new ServiceError(
          'FAILED_PRECONDITION',
          'The trust material changed while the update was being checked. Nothing was applied; apply it again.',
        );
      removeSlots = applied.removeSlots;
      for (const t of plan.inspection.targets)
        insertUpdateTarget(db, id, {
          name: t.name,
          kind: t.kind,
          sha256: t.sha256,
          length: t.length,
          result: t.result,
        });
      endUpdate(db, id, 'applied', new Date().toISOString(), null);
      audit.append({
        actor: user.actor,
        event: 'update.apply',
        object: `update:${id}`,
        outcome: 'success',
        detail: {
          ...plan.bundle.versions,
          targets: plan.inspection.targets.map((t) => `${t.name} ${t.result} sha256:${t.sha256}`).join('; '),
          lockoutConfirmed: Boolean(plan.inspection.lockout),
        },
      });
    })();
  } catch (error) {
    plan.release?.discard();
    const reason = error instanceof Error ? error.message : String(error);
    endUpdate(db, id, 'failed', new Date().toISOString(), reason.slice(0, 4000));
    audit.append({
      actor: user.actor,
      event: 'update.apply',
      object: `update:${id}`,
      outcome: 'failure',
      detail: { reason: reason.slice(0, 1000) },
    });
    throw error;
  }
  const owed = afterCommit([
    ['the site configuration file', () => plan.site?.write()],
    ['the switch to the app release', () => plan.release?.switchTo()],
    ['the trust copy beside the store', () => refreshTrustCopy(workspace)],
    [
      "new users' key slots",
      () => {
        for (const slot of slotsToAdd(plan.database.users, keySlots.slots))
          keySlots.addCardSlot(slot.slotId, slot.label, slot.spki, user.actor);
      },
    ],
    [
      "revoked users' key slots",
      () => {
        for (const slotId of removeSlots)
          if (keySlots.slots.some((s) => s.id === slotId)) keySlots.removeSlot(slotId, user.actor);
      },
    ],
  ]);
  if (owed.length > 0) {
    const reason = `Update #${id} is applied in the store, but these steps failed: ${owed.join('; ')}. Apply the same bundle again once the cause is fixed.`;
    audit.append({
      actor: user.actor,
      event: 'update.apply.incomplete',
      object: `update:${id}`,
      outcome: 'failure',
      detail: { reason: reason.slice(0, 1000) },
    });
    throw new ServiceError('UNAVAILABLE', reason.slice(0, 4000));
  }
  return { id, inspection: plan.inspection };
}

/** Runs each step after the commit, whatever the others do; returns what failed, with why. */
function afterCommit(steps: [string, () => void][]): string[] {
  const owed: string[] = [];
  for (const [what, step] of steps) {
    try {
      step();
    } catch (error) {
      owed.push(`${what} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return owed;
}

/**
 * Attempts left 'started' by a process that died (the apply's transaction never committed, so nothing
 * of them is in the store): marked interrupted and audited, once. The service calls it only when no
 * inspection or apply of its own is in flight.
 */
export function reportInterrupted(workspace: Workspace): string[] {
  const { db, audit, user } = workspace;
  const found = startedUpdates(db);
  return found.map((row) => {
    const reason = `interrupted before it completed (started ${row.startedAt} by ${row.actor}); nothing of it was applied`;
    db.transaction(() => {
      endUpdate(db, row.id, 'interrupted', new Date().toISOString(), reason);
      audit.append({
        actor: user.actor,
        event: 'update.interrupted',
        object: `update:${row.id}`,
        outcome: 'failure',
        detail: { startedAt: row.startedAt, startedBy: row.actor, timestamp: row.timestampVersion },
      });
    })();
    return `Update #${row.id} (timestamp version ${row.timestampVersion}) was ${reason}.`;
  });
}
