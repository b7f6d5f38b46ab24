import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Role } from '../../../common/access/roles';
import type { AuditLog } from '../audit/audit-log';
import { ServiceError } from '../service-error';
import { StoreFile, type ScryptCost, type Unlock } from './store-file';

/** Who is signed in: the actor every audit entry of this session names. */
export interface SessionUser {
  /** Null for a recovery-secret session (first-run setup, or no card works). */
  id: number | null;
  displayName: string;
  role: Role;
  actor: string;
}

/**
 * What a domain service gets from the vault while someone is signed in: the unlocked database (for
 * the typed queries of electron/db/queries), its audit log, the key slots (enrolment adds and
 * removes card slots), the database's path (for the files kept beside it) and the signed-in user.
 * Whether that user may call the service at all was decided by the router (access-guard.ts).
 */
export interface Workspace {
  readonly db: Database;
  readonly audit: AuditLog;
  readonly path: string;
  readonly keySlots: Pick<StoreFile, 'slots' | 'addCardSlot' | 'removeSlot'>;
  readonly user: SessionUser;
}

/** A workspace over a store file opened elsewhere (the CLI, test set-up), for the given user. */
export function workspaceOf(file: StoreFile, user: SessionUser): Workspace {
  return { db: file.db, audit: file.audit, path: file.path, keySlots: file, user };
}

/**
 * The vault: the one open encrypted store of a service worker (docs/store.md, "The vault"). The
 * login unlocks it (with a card's key slot or the recovery secret), admits the user it proved,
 * and locks it; domain services reach it only through `workspace()`, which refuses with
 * UNAUTHENTICATED while it is locked. Locking closes the store file, which zeroes its data key.
 */
export class VaultService {
  #file: StoreFile | null = null;
  #user: SessionUser | null = null;
  readonly #listeners = new Set<(unlocked: boolean) => void>();

  constructor(readonly dbPath: string) {}

  /** Told when a user is admitted (true) and when the vault locks (false): the session events. */
  onChange(listener: (unlocked: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** True once first-run setup (or `enclave db init`) has created the store. */
  get exists(): boolean {
    return existsSync(this.dbPath);
  }

  /** True from unlock to lock, including a login still checking who the card belongs to. */
  get opened(): boolean {
    return this.#file !== null;
  }

  /** The signed-in user, or null while locked (or before the login admits anyone). */
  get user(): SessionUser | null {
    return this.#user;
  }

  /** Creates the store, lets `initialise` write its first rows, and closes it again (first-run setup). */
  create(
    options: { actor: string; recoverySecret: string; scrypt?: ScryptCost },
    initialise: (file: StoreFile) => void,
  ) {
    const { store } = StoreFile.create(this.dbPath, options);
    try {
      initialise(store);
    } finally {
      store.close();
    }
  }

  /**
   * Opens the store file (StoreError when the unlock does not fit). Until `admit`, only the
   * login that unlocked it uses the file: domain services still see the vault as locked.
   */
  unlock(unlock: Unlock): StoreFile {
    if (this.#file) throw new Error('The vault is already unlocked.');
    this.#file = StoreFile.open(this.dbPath, unlock);
    return this.#file;
  }

  /** The user the login proved: from now on services get a workspace. */
  admit(user: SessionUser): Workspace {
    if (!this.#file) throw new Error('The vault is locked.');
    this.#user = user;
    const workspace = workspaceOf(this.#file, user);
    for (const listener of this.#listeners) listener(true);
    return workspace;
  }

  /** The workspace of the signed-in user, or null while locked. */
  current(): Workspace | null {
    return this.#file && this.#user ? workspaceOf(this.#file, this.#user) : null;
  }

  /** The workspace of the signed-in user; UNAUTHENTICATED while locked. */
  workspace(): Workspace {
    const workspace = this.current();
    if (!workspace) throw new ServiceError('UNAUTHENTICATED', 'Sign in with your card first.');
    return workspace;
  }

  /**
   * The signed-in store file itself, for the vault's own channels (status, verify, backup, key
   * rotation); UNAUTHENTICATED while locked. Other domains get a workspace.
   */
  storeFile(): StoreFile {
    this.workspace();
    return this.#file as StoreFile;
  }

  /** Closes the store (zeroing its data key) and forgets the user. False when it was not open. */
  lock(): boolean {
    const file = this.#file;
    this.#file = null;
    this.#user = null;
    file?.close();
    if (file) for (const listener of this.#listeners) listener(false);
    return file !== null;
  }
}
