import type { SiteConfig } from '../../../../common/site/site-config';
import { storeTrustMaterial, type TrustMaterial } from '../../identity/login-trust';
import type { Workspace } from '../../vault/vault-service';
import { enabledAdminCertificates, type AdminCertificate } from '../../../db/queries/user-certificates';
import { applyModelTargets } from './model-payload';
import { applyTrustTargets } from './trust-payload';
import type { TargetOutcome, VerifiedTarget } from './update-target';
import { applyUserLists, type CheckedUserList } from './users-payload';

/** What goes into the store: the verified targets, and the user lists already checked against the new trust. */
export interface DatabasePlan {
  targets: VerifiedTarget[];
  users: CheckedUserList[];
}

export interface DatabaseApply {
  outcomes: TargetOutcome[];
  /** The trust material the store holds after the apply: what the next card login validates against. */
  material: TrustMaterial;
  /** The enabled administrators' card certificates after the apply. */
  admins: AdminCertificate[];
  /** Key slots of revoked users, removed from the key file once the transaction has committed. */
  removeSlots: string[];
}

/**
 * Every database payload of a bundle, in the caller's transaction: trust anchors, CRLs, user lists,
 * then model templates. A refusal throws, and the caller's transaction then rolls back whole.
 */
export function applyDatabasePayloads(
  workspace: Workspace,
  plan: DatabasePlan,
  site: SiteConfig,
  now: Date,
): DatabaseApply {
  const trust = applyTrustTargets(workspace, plan.targets, now);
  const users = applyUserLists(workspace, plan.users, now);
  const templates = applyModelTargets(workspace, plan.targets, site, now);
  return {
    outcomes: [...trust, ...users.outcomes, ...templates],
    material: storeTrustMaterial(workspace.db),
    admins: enabledAdminCertificates(workspace.db),
    removeSlots: users.remove,
  };
}

class Rollback extends Error {}

/** What applyDatabasePayloads would do, found by doing it in a transaction that is then rolled back. */
export function previewDatabasePayloads(
  workspace: Workspace,
  plan: DatabasePlan,
  site: SiteConfig,
  now: Date,
): DatabaseApply {
  let result: DatabaseApply | null = null;
  try {
    workspace.db.transaction(() => {
      result = applyDatabasePayloads(workspace, plan, site, now);
      throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result!;
}
