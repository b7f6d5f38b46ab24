import { create } from 'zustand';
import {
  createPolicy,
  formatBanner,
  parseMarking,
  UNCLASSIFIED,
  type Marking,
  type MarkingIssue,
} from '../../common/markings';
import type { IpcIssue } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { problems, type PickerContext } from '../features/markings/picker-logic';

/** The service's word on the current marking (markings.check). */
export interface Verdict {
  status: 'pending' | 'ok' | 'error';
  /** The banner line the verdict is for. */
  banner: string;
  message: string;
  issues: IpcIssue[];
}

export interface MarkingState {
  phase: 'idle' | 'loading' | 'ready' | 'failed';
  context: PickerContext | null;
  loadError: string | null;
  /** The marking being built: always valid under the site policy and within the system high. */
  marking: Marking;
  /** The text field: what the user typed, or the banner of what the menus built. */
  text: string;
  /** Problems with the typed text ([] when it loaded, or the menus wrote it). */
  textIssues: MarkingIssue[];
  verdict: Verdict | null;
  load(): Promise<void>;
  /** From the menus: the picker has already checked `next`. */
  choose(next: Marking): void;
  /** From the text field: loads the marking when it parses and is within the system high. */
  type(text: string): void;
}

let verdictRequest = 0;

export const useMarkingState = create<MarkingState>((set, get) => {
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
    phase: 'idle',
    context: null,
    loadError: null,
    marking: UNCLASSIFIED,
    text: formatBanner(UNCLASSIFIED),
    textIssues: [],
    verdict: null,

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
      await askService(get().marking);
    },

    choose(next) {
      set({ marking: next, text: formatBanner(next), textIssues: [] });
      void askService(next);
    },

    type(text) {
      const context = get().context;
      set({ text });
      if (!context) return;
      if (text.trim() === '') return set({ textIssues: [] });
      const parsed = parseMarking(text, context.policy);
      if (!parsed.ok) return set({ textIssues: parsed.issues });
      const found = problems(parsed.marking, context);
      if (found.length > 0) {
        const banner = formatBanner(parsed.marking);
        return set({
          textIssues: found.map((message) => ({
            message: message.startsWith('above') ? `${banner} is ${message}` : message,
            position: 0,
            token: '',
          })),
        });
      }
      set({ marking: parsed.marking, textIssues: [] });
      void askService(parsed.marking);
    },
  };
});
