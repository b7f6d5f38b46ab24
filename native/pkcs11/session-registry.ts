import type { Pkcs11Session } from './session';

/**
 * Every open wrapper session in this process, by module path and slot id (all Pkcs11Module
 * objects on one library share its state, as they share its session list). `closeAllSessions`
 * needs it: OpenSC 0.23's C_CloseAllSessions removes sessions from the list it is walking, so it
 * closes only every other one, and the login lives on in the rest.
 */
const open = new Map<string, Set<Pkcs11Session>>();
const keyOf = (path: string, slotId: string) => `${path}\0${slotId}`;

export function registerSession(path: string, slotId: string, session: Pkcs11Session): void {
  const key = keyOf(path, slotId);
  let sessions = open.get(key);
  if (!sessions) open.set(key, (sessions = new Set()));
  sessions.add(session);
}

export function unregisterSession(path: string, slotId: string, session: Pkcs11Session): void {
  const key = keyOf(path, slotId);
  open.get(key)?.delete(session);
  if (open.get(key)?.size === 0) open.delete(key);
}

export function sessionsOn(path: string, slotId: string): Pkcs11Session[] {
  return [...(open.get(keyOf(path, slotId)) ?? [])];
}

/**
 * A count of logins ended on a token (logout, closeAllSessions). A private key found before the
 * count moved is refused: OpenSC 0.23 sends no logout to a PIV card (it stays verified) and keeps
 * serving the old key handle in a session that is not logged in, where SoftHSM refuses it.
 */
const loginsEnded = new Map<string, number>();

export function loginGeneration(path: string, slotId: string): number {
  return loginsEnded.get(keyOf(path, slotId)) ?? 0;
}

export function endLogin(path: string, slotId: string): void {
  const key = keyOf(path, slotId);
  loginsEnded.set(key, (loginsEnded.get(key) ?? 0) + 1);
}
