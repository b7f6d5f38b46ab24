import type { RequestOf, ResponseOf } from '../../common/ipc/contract';
import type { IpcError } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type ExportPick = RequestOf<'bundles', 'preview'>['picks'][number];
export type Destination = ResponseOf<'bundles', 'destinations'>['destinations'][number];
export type ExportPreview = ResponseOf<'bundles', 'preview'>;
export type ExportedBundle = ResponseOf<'bundles', 'export'>;

/** A record the analyst picked, with the words it is shown by until the preview names it. */
export interface PickedRecord {
  pick: ExportPick;
  label: string;
}

/** One key per record, so the same version or run is never picked twice. */
export const pickKey = (pick: ExportPick): string =>
  pick.kind === 'run'
    ? `run:${pick.run}`
    : pick.kind === 'model-version'
      ? `model:${pick.model}:${pick.version}`
      : `report:${pick.report}:${pick.version}`;

export interface BundleExportState {
  picks: PickedRecord[];
  network: string | null;
  destinations: Destination[] | null;
  destination: string | null;
  preview: ExportPreview | null;
  previewing: boolean;
  /** Reading the destinations or the preview failed. */
  problem: IpcError | null;
  /** The export call failed: the service's message and issues (a refusal names each record and why). */
  exportProblem: IpcError | null;
  exporting: boolean;
  result: ExportedBundle | null;
  /** Starts an export of one record (from the library or the reports): the others are dropped. */
  begin(pick: ExportPick, label: string): void;
  add(pick: ExportPick, label: string): void;
  remove(pick: ExportPick): void;
  loadDestinations(): Promise<void>;
  setDestination(name: string): void;
  refreshPreview(): Promise<void>;
  /** Signs with the card: the PIN goes to this one call and is kept nowhere here. */
  exportBundle(pin: string, partMiB: number | null): Promise<boolean>;
}

// A late preview answer (for picks since changed) is dropped.
let previewCall = 0;

/**
 * An export bundle being put together (bundles.destinations, preview, export): the records picked,
 * the destination, what the service says of them, and the last export's outcome. The card PIN is
 * never part of it. The service checks every record against the destination again on export.
 */
export const useBundleExportState = signedInState<BundleExportState>(
  'bundle-export',
  (set, get) => ({
    picks: [],
    network: null,
    destinations: null,
    destination: null,
    preview: null,
    previewing: false,
    problem: null,
    exportProblem: null,
    exporting: false,
    result: null,

    begin(pick, label) {
      set({ picks: [{ pick, label }], preview: null, result: null, exportProblem: null });
    },

    add(pick, label) {
      const key = pickKey(pick);
      if (get().picks.some((p) => pickKey(p.pick) === key)) return;
      set((s) => ({ picks: [...s.picks, { pick, label }], result: null, exportProblem: null }));
      void get().refreshPreview();
    },

    remove(pick) {
      const key = pickKey(pick);
      set((s) => ({ picks: s.picks.filter((p) => pickKey(p.pick) !== key), result: null, exportProblem: null }));
      void get().refreshPreview();
    },

    async loadDestinations() {
      const answer = await getBridge().bundles.destinations();
      if (!answer.ok) return set({ problem: answer.error });
      const { network, destinations } = answer.value;
      const kept = destinations.some((d) => d.name === get().destination) ? get().destination : null;
      set({ network, destinations, destination: kept ?? destinations[0]?.name ?? null, problem: null });
      await get().refreshPreview();
    },

    setDestination(name) {
      set({ destination: name, result: null, exportProblem: null });
      void get().refreshPreview();
    },

    async refreshPreview() {
      const { picks, destination } = get();
      const call = ++previewCall;
      if (picks.length === 0 || destination === null) return set({ preview: null, previewing: false });
      set({ previewing: true });
      const answer = await getBridge().bundles.preview({ picks: picks.map((p) => p.pick), destination });
      if (call !== previewCall) return;
      if (answer.ok) set({ preview: answer.value, previewing: false, problem: null });
      else set({ preview: null, previewing: false, problem: answer.error });
    },

    async exportBundle(pin, partMiB) {
      const { picks, destination, exporting } = get();
      if (exporting || picks.length === 0 || destination === null) return false;
      set({ exporting: true, exportProblem: null, result: null });
      const answer = await getBridge().bundles.export({
        picks: picks.map((p) => p.pick),
        destination,
        pin,
        ...(partMiB === null ? {} : { partMiB }),
      });
      if (answer.ok) set({ exporting: false, result: answer.value });
      else set({ exporting: false, exportProblem: answer.error });
      return answer.ok;
    },
  }),
  {
    onForget() {
      previewCall++;
    },
  },
);
