import { create } from 'zustand';
import type { ResponseOf } from '../../common/ipc/contract';
import { getBridge } from '../app/bridge';

export type IdentityStatus = ResponseOf<'identity', 'status'>;
export type LoginRefused = Extract<ResponseOf<'identity', 'login'>, { outcome: 'refused' }>;

/**
 * The card login session as the renderer sees it (docs/login.md). The service owns the session;
 * this store only mirrors identity.status, polled every second, and holds no secret: the PIN is an
 * argument of `login`, handed to the bridge and dropped. Phases:
 * - `checking`: deciding whether this workstation signs in with a card;
 * - `open`: no encrypted store yet (not set up), so there is nothing to sign in to: the app as before;
 * - `signin`: a store exists and nobody is signed in;
 * - `locked`: a session ended (card removed, idle, Lock): the PIN is needed again;
 * - `unlocked`: signed in.
 */
export type SessionPhase = 'checking' | 'open' | 'signin' | 'locked' | 'unlocked';

interface SessionState {
  phase: SessionPhase;
  status: IdentityStatus | null;
  /** The last refusal (reason, the service's message, PIN flags); cleared by a successful login. */
  refusal: LoginRefused | null;
  /** A failure of the bridge itself (not a refusal), in plain words. */
  problem: string | null;
  warnings: string[];
  busy: boolean;
  /** The card chosen when several are inserted (a serial number: public, on the card). */
  selectedSerial: string | null;
  start(): Promise<void>;
  stop(): void;
  refresh(): Promise<void>;
  login(pin: string): Promise<void>;
  lock(): Promise<void>;
  selectCard(serialNumber: string): void;
}

export const STATUS_POLL_MS = 1000;

let timer: ReturnType<typeof setInterval> | null = null;
/** Bumped by start/stop and by every login or lock, so a poll answered after one of them is dropped. */
let generation = 0;
let polling = false;

function phaseOf(status: IdentityStatus): SessionPhase {
  if (status.unlocked) return 'unlocked';
  return status.lastLock ? 'locked' : 'signin';
}

export const useSessionStore = create<SessionState>((set, get) => ({
  phase: 'checking',
  status: null,
  refusal: null,
  problem: null,
  warnings: [],
  busy: false,
  selectedSerial: null,

  async start() {
    get().stop();
    const mine = generation;
    // Card sign-in applies once the encrypted store exists; before setup the app stays open. Any
    // other answer, or none, asks for a card: failing shut.
    const first = await getBridge().identity.status();
    if (mine !== generation) return;
    if (first.ok && !first.value.setUp) return set({ phase: 'open' });
    await get().refresh();
    if (mine !== generation) return;
    timer = setInterval(() => void get().refresh(), STATUS_POLL_MS);
  },

  stop() {
    generation += 1;
    if (timer !== null) clearInterval(timer);
    timer = null;
  },

  async refresh() {
    if (polling) return;
    polling = true;
    const mine = generation;
    try {
      const result = await getBridge().identity.status();
      if (mine !== generation) return;
      if (!result.ok) {
        // Fail shut: without an answer from the service, nothing below the banner stays open.
        const phase = get().phase;
        return set({ problem: result.error.message, phase: phase === 'unlocked' || phase === 'locked' ? 'locked' : 'signin' });
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
      polling = false;
    }
  },

  async login(pin) {
    if (get().busy) return;
    generation += 1;
    set({ busy: true, refusal: null, problem: null });
    const serialNumber = get().selectedSerial ?? undefined;
    const result = await getBridge().identity.login(serialNumber ? { pin, serialNumber } : { pin });
    generation += 1;
    if (!result.ok) set({ problem: result.error.message });
    else if (result.value.outcome === 'refused') set({ refusal: result.value });
    else set({ warnings: result.value.warnings });
    polling = false;
    await get().refresh();
    set({ busy: false });
  },

  async lock() {
    generation += 1;
    const result = await getBridge().identity.lock();
    if (!result.ok) set({ problem: result.error.message });
    generation += 1;
    polling = false;
    await get().refresh();
  },

  selectCard(serialNumber) {
    set({ selectedSerial: serialNumber });
  },
}));
