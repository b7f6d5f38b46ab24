import { createHash, X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IdentitySettings, SessionSettings } from '../../../common/site/site-config';
import { keyManagementUnwrap, PIV_KEY_ID, type Pkcs11Session } from '../../../native/pkcs11';
import type { AuditEvent } from '../audit/audit-log';
import { StoreError } from '../../db/store-error';
import { readKeyHeader, recoverySecretOpens } from '../vault/keyslots';
import { ServiceError } from '../service-error';
import { AttemptLimit } from './attempt-limit';
import { keysPath, type StoreFile } from '../vault/store-file';
import type { SessionUser, VaultService } from '../vault/vault-service';
import { cardGone, systemClock, type SessionClock, type WatchedCard } from './card-watch';
import { AuditJournal, journalPath } from '../audit/audit-journal';
import { proveCardHoldsKey } from './challenge';
import { CardReaders, type CardStatus } from './login-card';
import { LoginRefusal, NOT_ENROLLED, refusalFromCard, type RefusalCode } from './login-refusal';
import { readTrustFile, storeTrustMaterial, writeTrustFile, type TrustMaterial, splitAnchors } from './login-trust';
import { idleLockDetail } from './idle-words';
import { findUser, recordCardCertificates, slotOwner } from './login-users';
import type { ValidationResult } from './results';
import { validateAuthenticationCertificate } from './validate';

export type LockReason = 'removal' | 'idle' | 'manual';

export type { SessionUser } from '../vault/vault-service';

export interface LoginServiceOptions {
  /** The store this login unlocks and locks. */
  vault: VaultService;
  config: () => { pkcs11Modules: readonly string[]; identity: IdentitySettings; session: SessionSettings };
  clock?: SessionClock;
  log?: (line: string) => void;
}

/** The session's own state while the vault is unlocked for a signed-in user. */
interface Unlocked {
  card: WatchedCard | null;
  stopPoll: () => void;
  lastActivity: number;
}

/** Refusals kept in memory only when the journal beside the database cannot be written. */
const MAX_PENDING = 1000;

/**
 * The login session of one service worker (docs/login.md): card detection, PIN login that unlocks
 * the vault with the card's key-management key, the lock on card removal or idleness, and the
 * audit of all of it. The vault holds the open store; this service decides when it opens and closes.
 * The PIN is an argument of `login` only and is passed straight to C_Login.
 */
export class LoginService {
  readonly readers: CardReaders;
  readonly vault: VaultService;
  readonly #clock: SessionClock;
  #unlocked: Unlocked | null = null;
  /** Events while locked: on disk (audit-journal.ts) so a restart keeps them; memory if that fails. */
  readonly #journal: AuditJournal;
  #pending: AuditEvent[] = [];
  #pendingDropped = 0;
  #lastLock: { reason: LockReason; at: string; detail: string } | null = null;
  #lastUnlockMs: number | null = null;
  /** Recovery-secret attempts: one at a time, and few (attempt-limit.ts). */
  #recoveryTurn: Promise<unknown> = Promise.resolve();
  readonly #recoveryLimit: AttemptLimit;
  readonly #lockListeners = new Set<(lock: { reason: LockReason; detail: string }) => void>();

  constructor(private readonly options: LoginServiceOptions) {
    this.readers = new CardReaders(() => options.config().pkcs11Modules, options.log);
    this.vault = options.vault;
    this.#journal = new AuditJournal(journalPath(options.vault.dbPath));
    this.#clock = options.clock ?? systemClock;
    this.#recoveryLimit = new AttemptLimit(() => this.#clock.now());
  }

  get user(): SessionUser | null {
    return this.#unlocked ? this.vault.user : null;
  }

  onLock(listener: (lock: { reason: LockReason; detail: string }) => void): () => void {
    this.#lockListeners.add(listener);
    return () => this.#lockListeners.delete(listener);
  }

  status(): {
    card: CardStatus;
    setUp: boolean;
    unlocked: boolean;
    user: SessionUser | null;
    lastLock: { reason: LockReason; at: string; detail: string } | null;
    lastUnlockMs: number | null;
  } {
    return {
      card: this.readers.status(),
      setUp: this.vault.exists,
      unlocked: this.#unlocked !== null,
      user: this.user,
      lastLock: this.#lastLock,
      lastUnlockMs: this.#lastUnlockMs,
    };
  }

  /**
   * The signed-in card's PKCS#11 session (logged in), for an operation the user asked for with the
   * card in the reader: signing a bundle with its 9C key. A recovery-secret session has no card.
   */
  cardSession(): Pkcs11Session {
    const card = this.#unlocked?.card;
    if (!card)
      throw new ServiceError(
        'FAILED_PRECONDITION',
        'Signing needs your card: sign in with it (the recovery secret has no signing key).',
      );
    return card.session;
  }

  /** Activity from the analyst (any call but a status poll) pushes the idle lock back. */
  touch(): void {
    if (this.#unlocked) this.#unlocked.lastActivity = this.#clock.now();
  }

  /**
   * PIN login. Order (docs/login.md): pick the card, read its 9A certificate, validate it against the
   * trust copy (refusing a bad card before a PIN try is spent), C_Login, challenge, find the card's
   * key slot by its 9D public key, unwrap and unlock the vault, validate again against the store's
   * own trust tables, map to the user the slot is bound to. Throws LoginRefusal.
   */
  async login(
    pin: string,
    serialNumber?: string,
  ): Promise<{ user: SessionUser; unlockMs: number; warnings: string[] }> {
    const started = performance.now();
    // Also while another login holds the vault open and is still checking its card.
    if (this.vault.opened)
      throw new LoginRefusal(
        'ALREADY_UNLOCKED',
        'The workstation is already unlocked. Lock it first to sign in with another card.',
      );
    const config = this.options.config();
    let actor = 'card:unknown';
    let session: Pkcs11Session | null = null;
    let store: StoreFile | null = null;
    try {
      const { module, slot } = this.readers.pick(serialNumber);
      actor = `card:${slot.token.serialNumber}`;
      // A locked PIN is not tried again: the PIN never leaves this process for a card that cannot take it.
      if (slot.token.pin.locked)
        throw new LoginRefusal(
          'PIN_LOCKED',
          'The PIN is locked after too many wrong tries. The card must be unblocked at a card office before it can be used.',
          { finalTry: false, locked: true },
        );
      session = module.openSession(slot.handle);
      const certificate = session.certificate(PIV_KEY_ID.authentication);
      if (!certificate)
        throw new LoginRefusal(
          'MALFORMED',
          'The card has no PIV Authentication certificate (slot 9A, CKA_ID 01), so it cannot be used to sign in.',
        );
      actor = actorOf(certificate.der) ?? actor;
      if (!this.vault.exists)
        throw new LoginRefusal(
          'NO_STORE',
          'This workstation has not been set up yet: run first-run setup with the recovery secret.',
        );
      const copy = readTrustFile(this.vault.dbPath);
      if (copy) refuseInvalid(await this.#validate(certificate.der, copy, config.identity));

      session.login(pin);
      const proof = proveCardHoldsKey(session, certificate.der);
      if (!proof.ok) throw new LoginRefusal('KEY_MISMATCH', proof.message);
      const slotId = this.#cardSlot(session);
      try {
        store = this.vault.unlock({ card: { slotId, operations: keyManagementUnwrap(session) } });
      } catch (error) {
        if (error instanceof StoreError && (error.code === 'WRONG_SECRET' || error.code === 'NO_SUCH_SLOT'))
          throw new LoginRefusal('NOT_ENROLLED', NOT_ENROLLED);
        throw error;
      }

      // The authority: the store's own trust tables, now readable. The copy is refreshed from them.
      const material = storeTrustMaterial(store.db);
      writeTrustFile(this.vault.dbPath, material);
      const validation = await this.#validate(certificate.der, material, config.identity);
      refuseInvalid(validation);
      if (!validation.ok) throw new Error('unreachable');
      const user = findUser(store.db, validation.identity);
      if (user === null || user === 'ambiguous' || slotOwner(store.db, slotId) !== user.id)
        throw new LoginRefusal('NOT_ENROLLED', NOT_ENROLLED);
      if (user.disabledAt)
        throw new LoginRefusal(
          'USER_DISABLED',
          'This user has been disabled on this workstation. Ask an administrator.',
        );

      const unlockMs = Math.round(performance.now() - started);
      const sessionUser: SessionUser = {
        id: user.id,
        displayName: user.displayName,
        role: user.role,
        actor: `user:${user.id}`,
      };
      const warnings = validation.warnings.map((w) => w.message);
      recordCardCertificates(
        store.db,
        user.id,
        [{ kind: 'authentication', der: certificate.der }],
        new Date(this.#clock.now()),
      );
      store.audit.append(...this.#takePending(), {
        actor: sessionUser.actor,
        event: this.#lastLock ? 'unlock' : 'login',
        object: `card:${slot.token.serialNumber}`,
        outcome: 'success',
        detail: {
          role: user.role,
          edipi: validation.identity.edipi,
          unlockMs,
          resumes: this.#lastLock?.reason ?? null,
          warnings: warnings.length,
        },
      });
      this.#start(sessionUser, { module, slot: slot.handle, serialNumber: slot.token.serialNumber, session });
      this.#lastUnlockMs = unlockMs;
      return { user: sessionUser, unlockMs, warnings };
    } catch (error) {
      const refusal = error instanceof LoginRefusal ? error : (refusalFromCard(error) ?? storeRefusal(error));
      if (!refusal) {
        if (store) this.vault.lock();
        throw error;
      }
      try {
        this.#recordFailure(store, actor, refusal.code, refusal.message);
      } finally {
        if (store) this.vault.lock();
      }
      endSession(session);
      throw refusal;
    }
  }

  /**
   * The recovery secret typed at the sign-in screen (identity.recover). Attempts take turns; each is
   * tried off the worker's thread first (scrypt on the thread pool), so other calls keep their
   * answers; past a few failures they are refused at once, without scrypt (attempt-limit.ts).
   */
  recover(secret: string): Promise<SessionUser> {
    const turn = this.#recoveryTurn.then(() => this.#recoverInTurn(secret));
    this.#recoveryTurn = turn.catch(() => undefined);
    return turn;
  }

  async #recoverInTurn(secret: string): Promise<SessionUser> {
    const waitMs = this.#recoveryLimit.waitMs();
    if (waitMs > 0) {
      const waitSeconds = Math.ceil(waitMs / 1000);
      this.recordAudit({ actor: 'recovery', event: 'login.throttled', outcome: 'denied', detail: { waitSeconds } });
      throw new ServiceError('FAILED_PRECONDITION', `Too many attempts; wait ${waitSeconds} s.`);
    }
    if (this.vault.opened) throw new LoginRefusal('ALREADY_UNLOCKED', 'The workstation is already unlocked.');
    if (this.vault.exists) {
      let opens: boolean;
      try {
        opens = await recoverySecretOpens(keysPath(this.vault.dbPath), secret);
      } catch (error) {
        const refusal = storeRefusal(error);
        if (!refusal) throw error;
        this.#recordFailure(null, 'recovery', refusal.code, refusal.message);
        throw refusal;
      }
      if (!opens) {
        this.#recoveryLimit.failed();
        const refusal = wrongRecoverySecret();
        this.#recordFailure(null, 'recovery', refusal.code, refusal.message);
        throw refusal;
      }
    }
    const user = this.unlockWithRecoverySecret(secret);
    this.#recoveryLimit.succeeded();
    return user;
  }

  /** Opens the store with the recovery secret as an administrator without a card (first-run setup). */
  unlockWithRecoverySecret(secret: string): SessionUser {
    if (this.vault.opened) throw new LoginRefusal('ALREADY_UNLOCKED', 'The workstation is already unlocked.');
    let store: StoreFile;
    try {
      store = this.vault.unlock({ recoverySecret: secret });
    } catch (error) {
      // The store's own message names the file; the person at the screen needs only the fact.
      const refusal =
        error instanceof StoreError && error.code === 'WRONG_SECRET' ? wrongRecoverySecret() : storeRefusal(error);
      if (!refusal) throw error;
      this.#recordFailure(null, 'recovery', refusal.code, refusal.message);
      throw refusal;
    }
    const user: SessionUser = { id: null, displayName: 'Recovery secret', role: 'admin', actor: 'recovery' };
    try {
      writeTrustFile(this.vault.dbPath, storeTrustMaterial(store.db));
      store.audit.append(...this.#takePending(), {
        actor: 'recovery',
        event: this.#lastLock ? 'unlock' : 'login',
        object: 'recovery',
        outcome: 'success',
        detail: { method: 'recovery-secret', resumes: this.#lastLock?.reason ?? null },
      });
      this.#start(user, null);
    } catch (error) {
      if (!this.#unlocked) this.vault.lock(); // never leave the store open for nobody
      throw error;
    }
    return user;
  }

  /** Locks: audits, locks the vault (zeroing the store's key), ends the card's login, tells listeners. */
  lock(reason: LockReason, detail = ''): boolean {
    const unlocked = this.#unlocked;
    const workspace = this.vault.current();
    if (!unlocked || !workspace) return false;
    this.#unlocked = null;
    unlocked.stopPoll();
    try {
      workspace.audit.append({
        actor: workspace.user.actor,
        event: 'lock',
        outcome: 'success',
        detail: { reason, detail },
      });
    } finally {
      this.vault.lock();
      if (unlocked.card) endSession(unlocked.card.session);
    }
    this.#lastLock = { reason, at: new Date(this.#clock.now()).toISOString(), detail };
    for (const listener of this.#lockListeners) listener({ reason, detail });
    return true;
  }

  /** One poll: card still there and logged in, and not idle too long. Runs on the timer; tests call it directly. */
  tick(): void {
    const unlocked = this.#unlocked;
    if (!unlocked) return;
    const gone = unlocked.card ? cardGone(unlocked.card) : null;
    if (gone) {
      this.lock('removal', gone);
      return;
    }
    const idleMs = this.options.config().session.idleLockMinutes * 60_000;
    if (this.#clock.now() - unlocked.lastActivity >= idleMs)
      this.lock('idle', idleLockDetail(this.options.config().session.idleLockMinutes));
  }

  /** Audit events recorded while locked and not yet written (tests and status). */
  get pendingAudit(): readonly AuditEvent[] {
    return [...this.#journal.read(), ...this.#pending];
  }

  dispose(): void {
    this.lock('manual', 'service stopped');
    this.readers.close();
  }

  #start(user: SessionUser, card: WatchedCard | null): void {
    this.vault.admit(user);
    const unlocked: Unlocked = { card, stopPoll: () => undefined, lastActivity: this.#clock.now() };
    this.#unlocked = unlocked;
    unlocked.stopPoll = this.#clock.every(this.options.config().session.cardPollMs, () => this.tick());
  }

  async #validate(certificate: Buffer, material: TrustMaterial, settings: IdentitySettings): Promise<ValidationResult> {
    const { trustAnchors, intermediates } = splitAnchors(material.certificates);
    return validateAuthenticationCertificate({
      certificate,
      intermediates,
      trustAnchors,
      crls: material.crls,
      settings,
      at: new Date(this.#clock.now()),
    });
  }

  /** The card key slot wrapped to this card's 9D certificate's public key. */
  #cardSlot(session: Pkcs11Session): string {
    const km = session.certificate(PIV_KEY_ID.keyManagement);
    if (!km)
      throw new LoginRefusal(
        'NO_KEY_MANAGEMENT',
        'This card has no key-management certificate (PIV 9D, CKA_ID 03), so it cannot unlock the database. Use a card that has one, or the recovery secret.',
      );
    const spki = new X509Certificate(km.der).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const slot = readKeyHeader(keysPath(this.vault.dbPath)).slots.find(
      (s) => s.type === 'card' && s.publicKey === spki,
    );
    if (!slot) throw new LoginRefusal('NOT_ENROLLED', NOT_ENROLLED);
    return slot.id;
  }

  #recordFailure(store: StoreFile | null, actor: string, code: RefusalCode, message: string): void {
    const event: AuditEvent = {
      actor,
      event: 'login.failure',
      outcome: 'failure',
      detail: { reason: code, message, occurredAt: new Date(this.#clock.now()).toISOString() },
    };
    if (store) store.audit.append(...this.#takePending(), event);
    else this.#keepPending(event);
  }

  /**
   * An event for the audit log: written now when someone is signed in, else kept (with the time it
   * happened) until the next sign-in opens the vault. The router audits refusals through this.
   */
  recordAudit(event: AuditEvent): void {
    const store = this.#unlocked ? this.vault.current() : null;
    if (store) store.audit.append(...this.#takePending(), event);
    else
      this.#keepPending({
        ...event,
        detail: { ...event.detail, occurredAt: new Date(this.#clock.now()).toISOString() },
      });
  }

  #keepPending(event: AuditEvent): void {
    try {
      this.#journal.keep(event);
      return;
    } catch (error) {
      this.options.log?.(`audit journal not writable, keeping the event in memory: ${(error as Error).message}`);
    }
    if (this.#pending.length >= MAX_PENDING) {
      // As in the journal: other events go before any failed sign-in does, and every drop is counted.
      const oldest = this.#pending.findIndex((e) => e.event !== 'login.failure');
      this.#pending.splice(Math.max(oldest, 0), 1);
      this.#pendingDropped += 1;
    }
    this.#pending.push(event);
  }

  #takePending(): AuditEvent[] {
    const dropped: AuditEvent[] = this.#pendingDropped
      ? [
          {
            actor: 'system',
            event: 'audit.journal.dropped',
            outcome: 'failure',
            detail: { entries: this.#pendingDropped, file: 'memory' },
          },
        ]
      : [];
    const pending = [...this.#journal.take(), ...dropped, ...this.#pending];
    this.#pending = [];
    this.#pendingDropped = 0;
    return pending;
  }
}

const wrongRecoverySecret = () =>
  new LoginRefusal(
    'NOT_ENROLLED',
    'That recovery secret does not unlock this workstation. Check each group of four against the written copy.',
  );

function refuseInvalid(result: ValidationResult): void {
  if (!result.ok) throw new LoginRefusal(result.code, result.message);
}

function storeRefusal(error: unknown): LoginRefusal | null {
  if (!(error instanceof StoreError)) return null;
  if (error.code === 'WRONG_SECRET') return new LoginRefusal('NOT_ENROLLED', error.message);
  if (error.code === 'NO_DATABASE') return new LoginRefusal('NO_STORE', error.message);
  return new LoginRefusal('STORE_ERROR', error.message);
}

/** Who a failure is about: the certificate's EDIPI (or its fingerprint), never anything typed. */
function actorOf(der: Buffer): string | null {
  try {
    const cn = /CN=([^\n,]+)/.exec(new X509Certificate(der).subject)?.[1] ?? '';
    const edipi = /\.([0-9]{10})$/.exec(cn)?.[1];
    return edipi ? `edipi:${edipi}` : `cert:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
  } catch {
    return null;
  }
}

/** Logs out and closes; a card already gone is closed as far as we are concerned. */
function endSession(session: Pkcs11Session | null): void {
  if (!session) return;
  try {
    session.logout();
  } catch {
    // Removed or already logged out: nothing more to end.
  }
  try {
    session.close();
  } catch {
    // Same: the module dropped it.
  }
}
