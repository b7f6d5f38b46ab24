import type { SiteConfig } from '../../../../common/site/site-config';
import { KIND_WORDS } from '../../../../common/update/update-payload';
import { storeTrustMaterial, type TrustMaterial } from '../../identity/login-trust';
import { ServiceError } from '../../service-error';
import type { Workspace } from '../../vault/vault-service';
import { applyModelTargets } from './model-payload';
import { applyTrustTargets } from './trust-payload';
import type { TargetOutcome, VerifiedTarget } from './update-target';

/** The kinds this version applies inside the store's transaction. */
const DATABASE_KINDS = new Set(['trust-anchor', 'crl', 'model-template']);
/** The kinds applied outside it, after it has committed (files). */
const FILE_KINDS = new Set(['site-config']);

export interface DatabaseApply {
  outcomes: TargetOutcome[];
  /** The trust material the store holds after the apply: what the next card login validates against. */
  material: TrustMaterial;
}

/** Refuses, before anything is tried, a target of a kind this version cannot apply. */
export function refuseUnsupported(targets: VerifiedTarget[]): void {
  const unsupported = targets.filter((t) => !DATABASE_KINDS.has(t.kind) && !FILE_KINDS.has(t.kind));
  if (unsupported.length > 0)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `This version of Enclave cannot apply ${unsupported.map((t) => `${t.name} (${KIND_WORDS[t.kind]})`).join(', ')}. Nothing was applied.`,
    );
}

/**
 * Every database payload of a bundle, in the caller's transaction: trust anchors, CRLs, then model
 * templates. A refusal throws, and the caller's transaction then rolls back whole.
 */
export function applyDatabasePayloads(
  workspace: Workspace,
  targets: VerifiedTarget[],
  site: SiteConfig,
  now: Date,
): DatabaseApply {
  const outcomes = [...applyTrustTargets(workspace, targets, now), ...applyModelTargets(workspace, targets, site, now)];
  return { outcomes, material: storeTrustMaterial(workspace.db) };
}

class Rollback extends Error {}

/** What applyDatabasePayloads would do, found by doing it in a transaction that is then rolled back. */
export function previewDatabasePayloads(
  workspace: Workspace,
  targets: VerifiedTarget[],
  site: SiteConfig,
  now: Date,
): DatabaseApply {
  let result: DatabaseApply | null = null;
  try {
    workspace.db.transaction(() => {
      result = applyDatabasePayloads(workspace, targets, site, now);
      throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result!;
}
