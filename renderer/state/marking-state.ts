import { create } from 'zustand';
import { createPolicy, formatBanner, parseMarking, UNCLASSIFIED, type Marking } from '../../common/markings';
import type { MarkingContext } from '../../common/markings/choices';
import type { IpcIssue } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

/** The service's word on a marking (markings.check). */
export interface MarkingVerdict {
  status: 'pending' | 'ok' | 'error';
  /** The banner line the verdict is for. */
  banner: string;
  message: string;
  issues: IpcIssue[];
}

export interface MarkingPolicyState {
  phase: 'idle' | 'loading' | 'ready' | 'failed';
  /** The site's marking policy and system high, what every marking picker checks against. */
  context: MarkingContext | null;
  loadError: string | null;
  load(): Promise<void>;
}

/** The site's marking policy (markings.policy, public): site data, read once, kept across locks. */
export const useMarkingPolicyState = create<MarkingPolicyState>((set, get) => ({
  phase: 'idle',
  context: null,
  loadError: null,

  async load() {
    if (get().phase === 'loading' || get().phase === 'ready') return;
    set({ phase: 'loading', loadError: null });
    const result = await getBridge().markings.policy();
    if (!result.ok) return set({ phase: 'failed', loadError: result.error.message });
    const policy = createPolicy(result.value.settings);
    const parsed = parseMarking(result.value.systemHigh, policy);
    if (!parsed.ok)
      return set({
        phase: 'failed',
        loadError: `The site's system high (${result.value.systemHigh}) does not parse under its own marking policy.`,
      });
    set({
      phase: 'ready',
      context: { policy, systemHigh: parsed.marking, systemHighText: formatBanner(parsed.marking) },
    });
  },
}));

export interface MarkingDraftState {
  /** The marking being built on the home screen's Markings panel (a picker only offers valid ones). */
  marking: Marking;
  /** The service's word on it; null until asked. */
  verdict: MarkingVerdict | null;
  /** A new marking from the picker: kept, and sent to the service. */
  choose(next: Marking): void;
  /** Asks the service about the current marking again. */
  check(): Promise<void>;
}

let verdictRequest = 0;

/** The home screen's marking being built, and the service's verdict on it: the user's, forgotten on lock. */
export const useMarkingDraftState = signedInState<MarkingDraftState>(
  'marking-draft',
  (set, get) => {
    async function askService(marking: Marking) {
      const banner = formatBanner(marking);
      const request = ++verdictRequest;
      set({ verdict: { status: 'pending', banner, message: 'Asking the service…', issues: [] } });
      const result = await getBridge().markings.check({ marking: banner });
      if (request !== verdictRequest) return; // a later marking has been sent since
      if (result.ok)
        set({
          verdict: {
            status: 'ok',
            banner,
            message:
              result.value.banner === banner
                ? 'Accepted by the service'
                : `Accepted by the service as ${result.value.banner}`,
            issues: [],
          },
        });
      else
        set({
          verdict: {
            status: 'error',
            banner,
            message: `Refused by the service (${result.error.code}): ${result.error.message}`,
            issues: result.error.issues ?? [],
          },
        });
    }

    return {
      marking: UNCLASSIFIED,
      verdict: null,

      choose(next) {
        set({ marking: next });
        void askService(next);
      },

      check() {
        return askService(get().marking);
      },
    };
  },
  {
    onForget() {
      verdictRequest += 1;
    },
  },
);
