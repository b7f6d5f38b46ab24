import type { ResponseOf } from '../../common/ipc/contract';
import type { IpcError } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { useLoginState } from './login-state';
import { signedInState } from './signed-in';
import { useSystemState } from './system-state';

export type SetupProgress = ResponseOf<'setup', 'progress'>;

/**
 * The wizard's steps (docs/admin-guide.md, "First run"): (a) site name and system high, (b) the
 * recovery secret shown once and typed back, which creates the store and signs in as administrator,
 * (c) trust anchors and CRLs, (d) the administrator's card, (e) finish, which locks.
 */
export const SETUP_STEPS = ['site', 'secret', 'trust', 'card', 'finish'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];
/** The steps that need the store, signed in with the recovery secret: where an unfinished setup resumes. */
export const SIGNED_IN_STEPS: readonly SetupStep[] = ['trust', 'card', 'finish'];

/** Whether the signed-in administrator's workstation has finished setup: asked once per sign-in. */
export type Completion = 'unknown' | 'checking' | 'complete' | 'incomplete' | 'failed';

export interface SetupState {
  step: SetupStep;
  /** The site name and the system high as the service wrote it back (canonical banner form). */
  siteName: string;
  systemHigh: string | null;
  /**
   * The recovery secret, only while step (b) shows it: dropped as soon as the store is created
   * (or the admin goes back). It never goes anywhere else.
   */
  secret: string | null;
  problem: IpcError | null;
  busy: boolean;
  progress: SetupProgress | null;
  completion: Completion;
  begin(siteName: string, systemHigh: string): Promise<void>;
  confirm(typed: string): Promise<void>;
  /** Back to (a) from (b): the secret shown is dropped; a new one comes with the next Continue. */
  restart(): void;
  goTo(step: SetupStep): void;
  check(): Promise<void>;
  loadProgress(): Promise<void>;
  finish(): Promise<void>;
}

/** Bumped when the state is forgotten, so an answer about an earlier session is dropped. */
let session = 0;

/** Signed out or locked: nothing of the last session's setup is kept (signedInState). */
export const useSetupState = signedInState<SetupState>(
  'setup',
  (set, get) => ({
    step: 'site',
    siteName: '',
    systemHigh: null,
    secret: null,
    problem: null,
    busy: false,
    progress: null,
    completion: 'unknown',

    async begin(siteName, systemHigh) {
      if (get().busy) return;
      set({ busy: true, problem: null });
      const result = await getBridge().setup.begin({ siteName, systemHigh });
      if (!result.ok) return set({ busy: false, problem: result.error });
      set({
        busy: false,
        step: 'secret',
        siteName,
        systemHigh: result.value.systemHigh,
        secret: result.value.recoverySecret,
      });
    },

    async confirm(typed) {
      if (get().busy) return;
      set({ busy: true, problem: null });
      const mine = session;
      const result = await useLoginState.getState().settle(async () => {
        const confirmed = await getBridge().setup.confirm({ recoverySecret: typed });
        // The store exists and the recovery session is open: the secret has done its job here.
        if (confirmed.ok && mine === session) set({ secret: null, step: 'trust', completion: 'incomplete' });
        return confirmed;
      });
      if (!result.ok) return set({ busy: false, problem: result.error });
      set({ busy: false });
      // The banner and the site name are the ones just written.
      await useSystemState.getState().reloadInfo();
      await get().loadProgress();
    },

    restart() {
      set({ step: 'site', secret: null, problem: null });
    },

    goTo(step) {
      set({ step, problem: null });
      if (SIGNED_IN_STEPS.includes(step)) void get().loadProgress();
    },

    async check() {
      if (get().completion === 'checking') return;
      const mine = session;
      set({ completion: 'checking' });
      const result = await getBridge().setup.progress();
      if (mine !== session) return;
      if (!result.ok) return set({ completion: 'failed', problem: result.error });
      const done = result.value.completedAt !== null;
      // An unfinished setup resumes at the trust material (c), whatever step it stopped at.
      set({
        progress: result.value,
        completion: done ? 'complete' : 'incomplete',
        ...(done ? {} : { step: 'trust' as const, problem: null }),
      });
    },

    async loadProgress() {
      const mine = session;
      const result = await getBridge().setup.progress();
      if (mine !== session) return;
      if (result.ok) set({ progress: result.value });
      else set({ problem: result.error });
    },

    async finish() {
      if (get().busy) return;
      set({ busy: true, problem: null });
      const result = await useLoginState.getState().settle(() => getBridge().setup.finish());
      // On success the service has locked: the login state now shows the card sign-in, and the
      // lock forgets this state with every other signed-in one.
      if (!result.ok) set({ problem: result.error });
      set({ busy: false });
    },
  }),
  {
    onForget() {
      session += 1;
    },
  },
);
