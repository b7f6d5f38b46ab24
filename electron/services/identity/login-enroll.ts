import { createHash, X509Certificate } from 'node:crypto';
import { PIV_KEY_ID } from '../../../native/pkcs11';
import type { Workspace } from '../vault/vault-service';
import type { CardReaders } from './login-card';
import { LoginRefusal, refusalFromCard } from './login-refusal';
import { splitAnchors, storeTrustMaterial, writeTrustFile } from './login-trust';
import { keepAnEnabledAdmin } from '../users/admin-rule';
import { ServiceError } from '../service-error';
import {
  bindSlot,
  findUser,
  listUsers,
  recordCardCertificates,
  slotOwner,
  unbindSlot,
  upsertUser,
  userById,
  type Role,
} from './login-users';
import { forgetUserCertificates } from '../../db/queries/user-certificates';
import { validateAuthenticationCertificate } from './validate';

// Enrolment and user management (identity.enroll, identity.users, identity.removeCard): the router
// has checked users.manage before any of these runs; the workspace is the signed-in administrator's.

/** A card's key slot id: from its key-management public key, so one card gets one slot. */
export const cardSlotId = (spki: Buffer) => `card-${createHash('sha256').update(spki).digest('hex').slice(0, 32)}`;

/**
 * Enrols the inserted card with this serial: its 9A certificate must validate against the store's
 * trust tables (as at login), its 9D certificate must come from the same issuer and be current, then
 * a key slot wraps the data key to the 9D public key and the user row (found by EDIPI/UPN/UUID, else
 * created) gets the role. No PIN: certificates are public, and only the card can use the slot.
 */
export async function enrollCard(
  workspace: Workspace,
  readers: CardReaders,
  request: { serialNumber: string; role: Role },
  settings: Parameters<typeof validateAuthenticationCertificate>[0]['settings'],
) {
  const { db, audit, keySlots, user: admin } = workspace;
  const { module, slot } = readers.pick(request.serialNumber);
  const session = module.openSession(slot.handle);
  try {
    const auth = session.certificate(PIV_KEY_ID.authentication);
    if (!auth)
      throw new LoginRefusal('MALFORMED', 'The card has no PIV Authentication certificate (slot 9A, CKA_ID 01).');
    const material = storeTrustMaterial(db);
    const { trustAnchors, intermediates } = splitAnchors(material.certificates);
    const validation = await validateAuthenticationCertificate({
      certificate: auth.der,
      trustAnchors,
      intermediates,
      crls: material.crls,
      settings,
    });
    if (!validation.ok) throw new LoginRefusal(validation.code, validation.message);
    const km = session.certificate(PIV_KEY_ID.keyManagement);
    if (!km)
      throw new LoginRefusal(
        'NO_KEY_MANAGEMENT',
        'This card has no key-management certificate (PIV 9D, CKA_ID 03), so it cannot unlock the database and cannot be enrolled.',
      );
    checkKeyManagement(km.der, auth.der, material.certificates);

    const spki = new X509Certificate(km.der).publicKey.export({ type: 'spki', format: 'der' });
    const slotId = cardSlotId(spki);
    const identity = validation.identity;
    let result!: ReturnType<typeof upsertUser>;
    db.transaction(() => {
      // Re-enrolling a card whose user is already there is a role change: the same rule as setRole.
      const existing = findUser(db, identity);
      if (existing && existing !== 'ambiguous') keepAnEnabledAdmin(db, existing.id, { role: request.role });
      result = upsertUser(db, identity, request.role);
      const owner = slotOwner(db, slotId);
      if (owner !== null && owner !== result.user.id)
        throw new LoginRefusal('NOT_ENROLLED', 'This card is already enrolled for another user.');
      bindSlot(db, slotId, result.user.id);
      recordCardCertificates(
        db,
        result.user.id,
        [
          { kind: 'authentication', der: auth.der },
          { kind: 'key-management', der: km.der },
        ],
        new Date(),
      );
    })();
    if (!keySlots.slots.some((s) => s.id === slotId))
      keySlots.addCardSlot(slotId, identity.displayName.slice(0, 200), spki, admin.actor);
    audit.append({
      actor: admin.actor,
      event: 'user.enroll',
      object: `user:${result.user.id}`,
      outcome: 'success',
      detail: {
        role: request.role,
        created: result.created,
        previousRole: result.previousRole,
        edipi: identity.edipi,
        slot: slotId,
      },
    });
    if (result.previousRole && result.previousRole !== request.role) {
      audit.append({
        actor: admin.actor,
        event: 'role.change',
        object: `user:${result.user.id}`,
        outcome: 'success',
        detail: { from: result.previousRole, to: request.role },
      });
    }
    writeTrustFile(workspace.path, material);
    return { user: result.user, slotId, created: result.created };
  } catch (error) {
    const refusal = error instanceof LoginRefusal ? error : refusalFromCard(error);
    const reason = refusal?.code ?? (error instanceof ServiceError ? error.code : null);
    if (reason)
      audit.append({
        actor: admin.actor,
        event: 'user.enroll',
        object: `card:${slot.token.serialNumber}`,
        outcome: 'failure',
        detail: { reason },
      });
    throw refusal ?? error;
  } finally {
    session.close();
  }
}

/** The 9D certificate: current, and issued (verifiably) by the same CA as the 9A one. */
export function checkKeyManagement(kmDer: Buffer, authDer: Buffer, cas: Buffer[]): void {
  const km = new X509Certificate(kmDer);
  const auth = new X509Certificate(authDer);
  const now = Date.now();
  if (Date.parse(km.validTo) < now || Date.parse(km.validFrom) > now)
    throw new LoginRefusal(
      'EXPIRED',
      `The card's key-management certificate is not valid now (valid ${km.validFrom} to ${km.validTo}).`,
    );
  const issued =
    km.issuer === auth.issuer &&
    cas.some((der) => {
      const ca = new X509Certificate(der);
      return km.checkIssued(ca) && km.verify(ca.publicKey);
    });
  if (!issued)
    throw new LoginRefusal(
      'UNTRUSTED_ISSUER',
      'The card’s key-management certificate was not issued by the CA that issued its authentication certificate.',
    );
}

/** Removes every card slot bound to a user: their card no longer opens the store. */
export function removeUserCards(workspace: Workspace, userId: number): { removed: string[] } {
  const { db, audit, keySlots, user: admin } = workspace;
  if (!userById(db, userId)) throw new LoginRefusal('NOT_ENROLLED', `There is no user ${userId}.`);
  const everyone = listUsers(db);
  const slots = everyone.find((u) => u.id === userId)?.cardSlots ?? [];
  // The last administrator whose card signs in keeps it: without one, only the recovery secret gets admin back.
  const cardAdmins = everyone.filter((u) => u.role === 'admin' && !u.disabledAt && u.cardSlots.length > 0);
  if (slots.length > 0 && cardAdmins.length === 1 && cardAdmins[0]!.id === userId)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `${cardAdmins[0]!.displayName} is the only administrator whose card signs in; enroll another administrator's card first.`,
    );
  for (const slotId of slots) {
    if (keySlots.slots.some((s) => s.id === slotId)) keySlots.removeSlot(slotId, admin.actor);
    unbindSlot(db, slotId);
  }
  forgetUserCertificates(db, userId);
  audit.append({
    actor: admin.actor,
    event: 'user.unenroll',
    object: `user:${userId}`,
    outcome: 'success',
    detail: { slots: slots.length },
  });
  return { removed: slots };
}

export function users(workspace: Workspace) {
  return listUsers(workspace.db);
}
