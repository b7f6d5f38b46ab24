import type { ResponseOf } from '../../common/ipc/contract';
import type { ChosenFile } from '../../common/ipc/files';
import type { IpcError } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type UpdateRoot = NonNullable<ResponseOf<'updates', 'root'>['root']>;
export type UpdateInspection = ResponseOf<'updates', 'inspect'>;
export type UpdateHistoryEntry = ResponseOf<'updates', 'history'>['updates'][number];

/**
 * The bundle under review: what inspection found, and which file it was. A handle serves one call,
 * so Apply hands the file over again; under the browser host the page keeps the File it picked
 * (a reference to the media, never its bytes), under Electron the dialog chooses it again.
 */
export interface ReviewedUpdate {
  name: string;
  size: number;
  inspection: UpdateInspection;
  source: File | null;
}

export interface UpdatesState {
  /** undefined until read; null when no update root is trusted yet. */
  root: UpdateRoot | null | undefined;
  rootProblem: IpcError | null;
  reviewed: ReviewedUpdate | null;
  inspectProblem: IpcError | null;
  /** Ticked by the administrator when the review warns of a lock-out; reset by every inspection. */
  lockoutUnderstood: boolean;
  applied: { id: number; inspection: UpdateInspection } | null;
  applyProblem: IpcError | null;
  history: UpdateHistoryEntry[] | null;
  historyProblem: IpcError | null;
  busy: 'trust' | 'inspect' | 'apply' | null;
  load(): Promise<void>;
  trustRoot(file: ChosenFile): Promise<boolean>;
  inspect(file: ChosenFile, source: File | null): Promise<boolean>;
  understandLockout(understood: boolean): void;
  /** The reviewed bundle, handed over again: refused here unless it is the same file (name and size). */
  apply(file: ChosenFile): Promise<boolean>;
  /** A failure before the service was called (the host could not take a file), shown where it happened. */
  report(step: 'trust' | 'inspect' | 'apply', error: IpcError): void;
  /** Forgets the review (the admin chose to start again). */
  dismiss(): void;
}

/** Apply is offered for a reviewed bundle only, and past a lock-out warning only once it is understood. */
export function mayApply(state: Pick<UpdatesState, 'reviewed' | 'lockoutUnderstood' | 'busy'>): boolean {
  if (!state.reviewed || state.busy !== null) return false;
  return state.reviewed.inspection.lockout === null || state.lockoutUnderstood;
}

const PROBLEM_OF = { trust: 'rootProblem', inspect: 'inspectProblem', apply: 'applyProblem' } as const;

/**
 * The administrator's Updates page (updates.root, trustRoot, inspect, apply, history): the trusted
 * update root, the review of a bundle from the media, its apply, and the updates applied before.
 * The service verifies the bundle again on apply; this state only keeps what it answered.
 */
export const useUpdatesState = signedInState<UpdatesState>('updates', (set, get) => ({
  root: undefined,
  rootProblem: null,
  reviewed: null,
  inspectProblem: null,
  lockoutUnderstood: false,
  applied: null,
  applyProblem: null,
  history: null,
  historyProblem: null,
  busy: null,

  async load() {
    const [root, history] = await Promise.all([getBridge().updates.root(), getBridge().updates.history()]);
    if (root.ok) set({ root: root.value.root, rootProblem: null });
    else set({ rootProblem: root.error });
    if (history.ok) set({ history: history.value.updates, historyProblem: null });
    else set({ historyProblem: history.error });
  },

  async trustRoot(file) {
    if (get().busy !== null) return false;
    set({ busy: 'trust', rootProblem: null });
    const answer = await getBridge().updates.trustRoot({ file: file.handle });
    if (answer.ok) set({ root: answer.value.root });
    else set({ rootProblem: answer.error });
    set({ busy: null });
    return answer.ok;
  },

  async inspect(file, source) {
    if (get().busy !== null) return false;
    set({
      busy: 'inspect',
      reviewed: null,
      inspectProblem: null,
      lockoutUnderstood: false,
      applied: null,
      applyProblem: null,
    });
    const answer = await getBridge().updates.inspect({ file: file.handle });
    if (answer.ok) set({ reviewed: { name: file.name, size: file.size, inspection: answer.value, source } });
    else set({ inspectProblem: answer.error });
    set({ busy: null });
    return answer.ok;
  },

  understandLockout(understood) {
    set({ lockoutUnderstood: understood });
  },

  async apply(file) {
    const state = get();
    const reviewed = state.reviewed;
    if (!reviewed || !mayApply(state)) return false;
    if (file.name !== reviewed.name || file.size !== reviewed.size) {
      set({
        applyProblem: {
          code: 'INVALID_ARGUMENT',
          message: `That is not the bundle you reviewed: you chose ${file.name} (${file.size} bytes), the review is of ${reviewed.name} (${reviewed.size} bytes). Nothing was applied.`,
        },
      });
      return false;
    }
    set({ busy: 'apply', applyProblem: null, applied: null });
    const confirmLockout = reviewed.inspection.lockout !== null && state.lockoutUnderstood;
    const answer = await getBridge().updates.apply({
      file: file.handle,
      confirmLockout,
      reviewedSha256: reviewed.inspection.fileSha256,
    });
    // Applied, the review is done (the root may have rotated); refused, it stays to read again.
    if (answer.ok) set({ applied: answer.value, reviewed: null, lockoutUnderstood: false });
    else set({ applyProblem: answer.error });
    await get().load();
    set({ busy: null });
    return answer.ok;
  },

  report(step, error) {
    set({ [PROBLEM_OF[step]]: error });
  },

  dismiss() {
    set({ reviewed: null, lockoutUnderstood: false, inspectProblem: null, applyProblem: null });
  },
}));
