import type { ResponseOf } from '../../common/ipc/contract';
import type { FileHandle } from '../../common/ipc/files';
import type { IpcError } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type QuarantinedBundle = ResponseOf<'bundles', 'quarantine'>['bundles'][number];

/** What the last review did, shown on that bundle's card. */
export interface ReviewOutcome {
  id: number;
  text: string;
}

export interface QuarantineState {
  bundles: QuarantinedBundle[] | null;
  listProblem: IpcError | null;
  /** The last bundle received (verified, now in quarantine), or the refusal with every reason. */
  received: QuarantinedBundle | null;
  receiveProblem: IpcError | null;
  /** The bundle being reviewed, or 'receive' while a file is checked. */
  busy: number | 'receive' | null;
  outcome: ReviewOutcome | null;
  reviewProblem: { id: number; error: IpcError } | null;
  load(): Promise<void>;
  /** A bundle's tar, or its parts in order, as the host handed them over. */
  receive(files: FileHandle[]): Promise<boolean>;
  /** A failure before the service was called (the host could not take a file). */
  reportReceive(error: IpcError): void;
  release(id: number, note: string): Promise<boolean>;
  reject(id: number, note: string): Promise<boolean>;
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * The quarantine an administrator reviews (bundles.receive, quarantine, release, reject). The
 * service verifies each bundle on receipt and again on release; this state mirrors its list and
 * keeps the outcome of the last action to show.
 */
export const useQuarantineState = signedInState<QuarantineState>('quarantine', (set, get) => ({
  bundles: null,
  listProblem: null,
  received: null,
  receiveProblem: null,
  busy: null,
  outcome: null,
  reviewProblem: null,

  async load() {
    const answer = await getBridge().bundles.quarantine();
    if (answer.ok) set({ bundles: answer.value.bundles, listProblem: null });
    else set({ listProblem: answer.error });
  },

  async receive(files) {
    if (get().busy !== null) return false;
    set({ busy: 'receive', received: null, receiveProblem: null, outcome: null, reviewProblem: null });
    const answer = await getBridge().bundles.receive({ files });
    if (answer.ok) set({ received: answer.value });
    else set({ receiveProblem: answer.error });
    await get().load();
    set({ busy: null });
    return answer.ok;
  },

  reportReceive(error) {
    set({ received: null, receiveProblem: error });
  },

  async release(id, note) {
    if (get().busy !== null) return false;
    set({ busy: id, outcome: null, reviewProblem: null, received: null });
    const answer = await getBridge().bundles.release({ id, note });
    if (answer.ok) {
      const { applied, already } = answer.value;
      set({
        outcome: {
          id,
          text: `Released: ${count(applied, 'record')} imported, ${count(already, 'record')} already here.`,
        },
      });
    } else set({ reviewProblem: { id, error: answer.error } });
    await get().load();
    set({ busy: null });
    return answer.ok;
  },

  async reject(id, note) {
    if (get().busy !== null) return false;
    set({ busy: id, outcome: null, reviewProblem: null, received: null });
    const answer = await getBridge().bundles.reject({ id, note });
    if (answer.ok) set({ outcome: { id, text: 'Rejected: nothing was imported, and the bundle was removed.' } });
    else set({ reviewProblem: { id, error: answer.error } });
    await get().load();
    set({ busy: null });
    return answer.ok;
  },
}));
