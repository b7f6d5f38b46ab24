import { X509Certificate } from 'node:crypto';
import type { IdentitySettings } from '../../../../common/site/site-config';
import { UserListSchema, type ProvisionedUser } from '../../../../common/update/users-payload';
import { forgetUserCertificates } from '../../../db/queries/user-certificates';
import { setUserDisabledAt, usersByIdentifiers } from '../../../db/queries/users';
import type { CardIdentity } from '../../identity/identity-mapping';
import { cardSlotId, checkKeyManagement } from '../../identity/login-enroll';
import { splitAnchors, type TrustMaterial } from '../../identity/login-trust';
import {
  bindSlot,
  listUsers,
  recordCardCertificates,
  slotOwner,
  unbindSlot,
  upsertUser,
} from '../../identity/login-users';
import { pemBlocks } from '../../identity/trust-material';
import { validateAuthenticationCertificate } from '../../identity/validate';
import { ServiceError } from '../../service-error';
import { keepAnEnabledAdmin } from '../../users/admin-rule';
import type { Workspace } from '../../vault/vault-service';
import type { TargetOutcome, VerifiedTarget } from './update-target';

/** An active user whose card certificates passed login's checks: ready to apply without the card. */
interface CheckedActive {
  status: 'active';
  entry: Extract<ProvisionedUser, { status: 'active' }>;
  identity: CardIdentity;
  authentication: Buffer;
  keyManagement: Buffer;
  slotId: string;
  spki: Buffer;
}

type CheckedUser = CheckedActive | { status: 'revoked'; entry: Extract<ProvisionedUser, { status: 'revoked' }> };

export interface CheckedUserList {
  target: VerifiedTarget;
  users: CheckedUser[];
}

/** Key-slot changes a user list makes in the file beside the store: added before its transaction, removed after. */
export interface SlotChanges {
  add: { slotId: string; label: string; spki: Buffer }[];
  remove: string[];
}

function certificateDer(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const blocks = text.includes('-----BEGIN ') ? pemBlocks(bytes) : null;
  const der = blocks ? blocks.find((b) => b.label === 'CERTIFICATE')?.der : Buffer.from(text, 'base64');
  if (!der || der.length === 0) throw new ServiceError('INVALID_ARGUMENT', `${what} is not a certificate.`);
  return der;
}

function parseList(target: VerifiedTarget) {
  let raw: unknown;
  try {
    raw = JSON.parse(target.bytes.toString('utf8'));
  } catch (error) {
    throw new ServiceError('INVALID_ARGUMENT', `${target.name} is not JSON (${(error as Error).message}).`);
  }
  const parsed = UserListSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `${target.name} is not a valid enclave-users/1 list: ${issue.path.join('.') || '(list)'}: ${issue.message}.`,
    );
  }
  return parsed.data;
}

/**
 * Checks every active user's card certificates exactly as enrolment does (the 9A path validated
 * against `material`, the trust the store will hold once the bundle's own anchors and CRLs are in;
 * the 9D certificate current and from the same CA). Asynchronous, so it runs before the transaction.
 */
export async function checkUserLists(
  targets: VerifiedTarget[],
  material: TrustMaterial,
  settings: IdentitySettings,
  at: Date,
): Promise<CheckedUserList[]> {
  const lists: CheckedUserList[] = [];
  const { trustAnchors, intermediates } = splitAnchors(material.certificates);
  for (const target of targets.filter((t) => t.kind === 'users')) {
    const users: CheckedUser[] = [];
    for (const entry of parseList(target).users) {
      const who = `${target.name}: ${entry.displayName}`;
      if (entry.status === 'revoked') {
        users.push({ status: 'revoked', entry });
        continue;
      }
      const authentication = certificateDer(entry.authenticationCertificate, `${who}'s authentication certificate`);
      const keyManagement = certificateDer(entry.keyManagementCertificate, `${who}'s key-management certificate`);
      const validation = await validateAuthenticationCertificate({
        certificate: authentication,
        trustAnchors,
        intermediates,
        crls: material.crls,
        settings,
        at,
      });
      if (!validation.ok) throw new ServiceError('INVALID_ARGUMENT', `${who}: ${validation.message}`);
      try {
        checkKeyManagement(keyManagement, authentication, material.certificates);
      } catch (error) {
        throw new ServiceError('INVALID_ARGUMENT', `${who}: ${(error as Error).message}`);
      }
      const spki = new X509Certificate(keyManagement).publicKey.export({ type: 'spki', format: 'der' });
      users.push({
        status: 'active',
        entry,
        identity: validation.identity,
        authentication,
        keyManagement,
        slotId: cardSlotId(spki),
        spki,
      });
    }
    lists.push({ target, users });
  }
  return lists;
}

/** The key slots the lists add (each active user's card not yet in the key file). */
export function slotsToAdd(lists: CheckedUserList[], existing: readonly { id: string }[]): SlotChanges['add'] {
  return lists.flatMap((l) =>
    l.users.flatMap((u) =>
      u.status === 'active' && !existing.some((s) => s.id === u.slotId)
        ? [{ slotId: u.slotId, label: u.identity.displayName.slice(0, 200), spki: u.spki }]
        : [],
    ),
  );
}

/**
 * Applies checked lists inside the update's transaction: active users created or updated with their
 * role and their card bound; revoked users disabled, their cards unbound and their certificates
 * forgotten. The store keeps an enabled administrator (the same rule as the admin page). Returns the
 * outcomes and the key slots to remove once the transaction has committed.
 */
export function applyUserLists(
  workspace: Workspace,
  lists: CheckedUserList[],
  now: Date,
): { outcomes: TargetOutcome[]; remove: string[] } {
  const { db } = workspace;
  const outcomes: TargetOutcome[] = [];
  const remove: string[] = [];
  for (const { target, users } of lists) {
    const words: string[] = [];
    for (const user of users) {
      if (user.status === 'active') {
        const existing = usersByIdentifiers(db, user.identity);
        if (existing.length > 1)
          throw new ServiceError(
            'INVALID_ARGUMENT',
            `${target.name}: ${user.entry.displayName}'s card names two users.`,
          );
        if (existing[0]) keepAnEnabledAdmin(db, existing[0].id, { role: user.entry.role });
        const { user: row, created, previousRole } = upsertUser(db, user.identity, user.entry.role);
        // Listed as active: a user an earlier list (or an administrator) disabled is enabled again.
        const reenabled = row.disabledAt !== null;
        if (reenabled) setUserDisabledAt(db, row.id, null);
        const owner = slotOwner(db, user.slotId);
        if (owner !== null && owner !== row.id)
          throw new ServiceError(
            'INVALID_ARGUMENT',
            `${target.name}: ${user.entry.displayName}'s card is enrolled for another user.`,
          );
        bindSlot(db, user.slotId, row.id);
        recordCardCertificates(
          db,
          row.id,
          [
            { kind: 'authentication', der: user.authentication },
            { kind: 'key-management', der: user.keyManagement },
          ],
          now,
        );
        if (reenabled) words.push(`${row.displayName} enabled again`);
        if (created || previousRole !== user.entry.role || owner === null)
          words.push(
            `${row.displayName} ${created ? 'added' : previousRole !== user.entry.role ? `${previousRole} →` : 'card added,'} ${user.entry.role}`,
          );
        workspace.audit.append({
          actor: workspace.user.actor,
          event: 'user.provision',
          object: `user:${row.id}`,
          outcome: 'success',
          detail: { role: user.entry.role, created, previousRole, slot: user.slotId, update: target.name },
        });
        continue;
      }
      const identifiers = {
        edipi: user.entry.edipi ?? null,
        upn: user.entry.upn ?? null,
        uuid: user.entry.uuid ?? null,
        displayName: user.entry.displayName,
      };
      for (const row of usersByIdentifiers(db, identifiers)) {
        if (row.id === workspace.user.id)
          throw new ServiceError(
            'FAILED_PRECONDITION',
            `${target.name} revokes ${row.displayName}, who is applying it; another administrator must.`,
          );
        keepAnEnabledAdmin(db, row.id, { disabled: true });
        const slots = listUsers(db).find((u) => u.id === row.id)?.cardSlots ?? [];
        if (!row.disabledAt) setUserDisabledAt(db, row.id, now.toISOString());
        for (const slotId of slots) unbindSlot(db, slotId);
        forgetUserCertificates(db, row.id);
        remove.push(...slots);
        if (!row.disabledAt || slots.length > 0) words.push(`${row.displayName} revoked`);
        workspace.audit.append({
          actor: workspace.user.actor,
          event: 'user.revoke',
          object: `user:${row.id}`,
          outcome: 'success',
          detail: { slots: slots.length, update: target.name },
        });
      }
    }
    outcomes.push({
      name: target.name,
      kind: 'users',
      result: words.length > 0 ? 'applied' : 'unchanged',
      detail: words.length > 0 ? words.join('; ') : 'every user is already as listed',
    });
  }
  return { outcomes, remove };
}
