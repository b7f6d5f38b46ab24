import { create } from 'zustand';
import type { ResponseOf } from '../../common/ipc/contract';
import { getBridge } from '../ipc/bridge';
import { forgetSignedInState } from './signed-in';

export type IdentityStatus = ResponseOf<'identity', 'status'>;
export type LoginRefused = Extract<ResponseOf<'identity', 'login'>, { outcome: 'refused' }>;

/**
 * The card login session as the renderer sees it (docs/login.md). The service owns the session; this
 * state only mirrors identity.status, read again whenever the services say it changed (the
 * `identity.changed` event: a card in or out, a lock, an unlock), and holds no secret: the PIN and the
 * recovery secret are arguments of `login` and `recover`, handed to the bridge and dropped. Phases:
 * - `checking`: asking the service for the first time;
 * - `setup`: no encrypted store yet: first-run setup (the setup wizard), nothing of the app;
 * - `signin`: a store exists and nobody is signed in;
 * - `locked`: a session ended (card removed, idle, Lock, setup finished): sign in again;
 * - `unlocked`: signed in (with a card, or with the recovery secret).
 */
export type LoginPhase = 'checking' | 'setup' | 'signin' | 'locked' | 'unlocked';

export interface LoginState {
  phase: LoginPhase;
  status: IdentityStatus | null;
  /** The last refusal (reason, the service's message, PIN flags); cleared by a successful login. */
  refusal: LoginRefused | null;
  /** A failure of the bridge itself (not a refusal), in plain words. */
  problem: string | null;
  /** Why the last recovery-secret sign-in was refused, in the service's words. */
  recoveryProblem: string | null;
  warnings: string[];
  busy: boolean;
  /** The card chosen when several are inserted (a serial number: public, on the card). */
  selectedSerial: string | null;
  start(): Promise<void>;
  stop(): void;
  refresh(): Promise<void>;
  login(pin: string): Promise<void>;
  /** Signs in as administrator with the recovery secret; true when it unlocked. */
  recover(recoverySecret: string): Promise<boolean>;
  lock(): Promise<void>;
  /**
   * Runs a call that changes the session on the service side (setup.confirm, setup.finish), then
   * reads the session again; a poll answered in between is dropped.
   */
  settle<T>(action: () => Promise<T>): Promise<T>;
  selectCard(serialNumber: string): void;
}

/** What the lock and sign-in screens say when the service could not tell the session's state. */
export const STATUS_UNREADABLE =
  'The workstation could not read the card reader. Take the card out and insert it again; if this message stays, restart Enclave and tell your administrator.';

/** Unsubscribes from the services' events; set while started. */
let unsubscribe: (() => void) | null = null;
/** Bumped by start/stop and around every call that changes the session, so a read answered across one is dropped. */
let generation = 0;
let reading = false;
/** An event arrived while a read was in flight: read once more after it, so the last word is the newest. */
let readAgain = false;

function phaseOf(status: IdentityStatus): LoginPhase {
  if (status.unlocked) return 'unlocked';
  if (!status.setUp) return 'setup';
  return status.lastLock ? 'locked' : 'signin';
}

export const useLoginState = create<LoginState>((set, get) => ({
  phase: 'checking',
  status: null,
  refusal: null,
  problem: null,
  recoveryProblem: null,
  warnings: [],
  busy: false,
  selectedSerial: null,

  async start() {
    get().stop();
    // Heard in every phase: the setup wizard and the admin page need card detection too.
    unsubscribe = getBridge().events.subscribe((event) => {
      if (event.name === 'identity.changed') void get().refresh();
    });
    await get().refresh();
  },

  stop() {
    generation += 1;
    unsubscribe?.();
    unsubscribe = null;
  },

  async refresh() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    readAgain = false;
    const mine = generation;
    try {
      const result = await getBridge().identity.status();
      if (mine !== generation) return;
      if (!result.ok) {
        // Fail shut: without an answer from the service, nothing below the banner stays open.
        const phase = get().phase;
        const shut: LoginPhase =
          phase === 'unlocked' || phase === 'locked' ? 'locked' : phase === 'setup' ? 'setup' : 'signin';
        // An unexpected failure's message names a channel and the service log: not for the person at the screen.
        const problem = result.error.code === 'INTERNAL' ? STATUS_UNREADABLE : result.error.message;
        return set({ problem, phase: shut });
      }
      const status = result.value;
      const serials = status.card.state === 'card-present' ? status.card.cards.map((c) => c.serialNumber) : [];
      const selected = get().selectedSerial;
      set({
        status,
        problem: null,
        phase: phaseOf(status),
        selectedSerial: selected && serials.includes(selected) ? selected : (serials[0] ?? null),
        ...(status.unlocked ? {} : { warnings: [] }),
      });
    } finally {
      reading = false;
      if (readAgain && mine === generation) void get().refresh();
    }
  },

  async settle(action) {
    generation += 1;
    try {
      return await action();
    } finally {
      generation += 1;
      reading = false;
      await get().refresh();
    }
  },

  async login(pin) {
    if (get().busy) return;
    set({ busy: true, refusal: null, problem: null, recoveryProblem: null });
    const serialNumber = get().selectedSerial ?? undefined;
    await get().settle(async () => {
      const result = await getBridge().identity.login(serialNumber ? { pin, serialNumber } : { pin });
      if (!result.ok) set({ problem: result.error.message });
      else if (result.value.outcome === 'refused') set({ refusal: result.value });
      else set({ warnings: result.value.warnings });
    });
    set({ busy: false });
  },

  async recover(recoverySecret) {
    if (get().busy) return false;
    set({ busy: true, refusal: null, problem: null, recoveryProblem: null });
    const unlocked = await get().settle(async () => {
      const result = await getBridge().identity.recover({ recoverySecret });
      if (!result.ok) set({ recoveryProblem: result.error.message });
      return result.ok;
    });
    set({ busy: false });
    return unlocked;
  },

  async lock() {
    await get().settle(async () => {
      const result = await getBridge().identity.lock();
      if (!result.ok) set({ problem: result.error.message });
    });
  },

  selectCard(serialNumber) {
    set({ selectedSerial: serialNumber });
  },
}));

/** The signed-in user's role, or null; the renderer only hides what the service would refuse. */
export const useSignedInRole = () =>
  useLoginState((s) => (s.phase === 'unlocked' ? (s.status?.user?.role ?? null) : null));

/** Signed out (or never signed in): what the sign-in and lock screens show. */
const signedOut = (s: LoginState) => s.phase === 'signin' || s.phase === 'locked';
/** Who is signed in, or null. */
const signedInUser = (s: LoginState) =>
  s.phase === 'unlocked' && s.status?.user ? `${s.status.user.id ?? 'recovery'}:${s.status.user.displayName}` : null;

// The one place that forgets a signed-in user's data: when the session locks or signs out, and when
// another user is signed in, every signedInState goes back to its initial state (signed-in.ts).
useLoginState.subscribe((now, before) => {
  const ended = signedOut(now) && !signedOut(before);
  const otherUser =
    signedInUser(before) !== null && signedInUser(now) !== null && signedInUser(now) !== signedInUser(before);
  if (ended || otherUser) forgetSignedInState();
});
