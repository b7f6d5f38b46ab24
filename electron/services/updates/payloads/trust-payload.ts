import type { Workspace } from '../../vault/vault-service';
import { addAnchors, addCrls, type ImportOutcome } from '../../trust/trust-admin';
import type { TargetOutcome, VerifiedTarget } from './update-target';

function outcomeOf(target: VerifiedTarget, imported: ImportOutcome): TargetOutcome {
  if (imported.added.length > 0)
    return { name: target.name, kind: target.kind, result: 'applied', detail: `added ${imported.added.join('; ')}` };
  const why = imported.unchanged.map((u) => `${u.what}: ${u.reason}`).join('; ');
  return { name: target.name, kind: target.kind, result: 'unchanged', detail: why || 'nothing in it' };
}

/**
 * Trust anchors, then CRLs, inside the update's transaction (so a CRL may be signed by an anchor of
 * the same bundle). The rules are the admin page's, with one difference: a CRL older than the one
 * held is refused, not left out, since an old CRL on media is a replay that would un-revoke cards.
 */
export function applyTrustTargets(workspace: Workspace, targets: VerifiedTarget[], now: Date): TargetOutcome[] {
  const outcomes: TargetOutcome[] = [];
  for (const target of targets.filter((t) => t.kind === 'trust-anchor'))
    outcomes.push(outcomeOf(target, addAnchors(workspace, [{ name: target.name, bytes: target.bytes }], now)));
  for (const target of targets.filter((t) => t.kind === 'crl'))
    outcomes.push(outcomeOf(target, addCrls(workspace, [{ name: target.name, bytes: target.bytes }], now, 'refuse')));
  return outcomes;
}
