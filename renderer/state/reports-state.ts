import type { ReportSummary, ReportVersion } from '../../common/ipc/channels/reports';
import type { ResponseOf } from '../../common/ipc/contract';
import type { IpcError, IpcResult } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type { ReportSummary, ReportVersion };
export type ReportGrant = ResponseOf<'models', 'share'>['grants'][number];
export type ReportShareTargets = ResponseOf<'models', 'shareTargets'>;

/** The panel open beside the list for one report: its versions, or its sharing (the owner's). */
export type ReportsPanel =
  | { kind: 'versions'; report: ReportSummary; versions: ReportVersion[] | null }
  | { kind: 'share'; report: ReportSummary; grants: ReportGrant[] | null; targets: ReportShareTargets | null };

/** A stored PDF as it came back: the file's name, its banner and hash, and its bytes. */
export interface StoredReportPdf {
  fileName: string;
  banner: string;
  sha256: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface ReportsState {
  reports: ReportSummary[] | null;
  listProblem: IpcError | null;
  /** What is being done, while a call is out. */
  busy: string | null;
  problem: IpcError | null;
  notice: string | null;
  panel: ReportsPanel | null;
  load(): Promise<void>;
  showVersions(report: ReportSummary): Promise<void>;
  showSharing(report: ReportSummary): Promise<void>;
  share(grants: ReportGrant[]): Promise<boolean>;
  remove(report: ReportSummary): Promise<boolean>;
  /** A version's stored PDF (reports.pdf: the service checks its hash and puts the export on the record). */
  storedPdf(id: number, version: number): Promise<IpcResult<StoredReportPdf>>;
  closePanel(): void;
  report(error: IpcError | null, notice?: string | null): void;
}

let generation = 0;

/** Base64 pieces back into bytes. */
export function bytesOfPieces(pieces: readonly string[]): Uint8Array<ArrayBuffer> {
  const text = atob(pieces.join(''));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The report library screen's state (reports.* channels, docs/reports.md): the reports the user may
 * read, one report's versions or sharing, and the outcome of the last action. The service decides
 * every permission; this mirrors what it said. The user's work: forgotten on lock.
 */
export const useReportsState = signedInState<ReportsState>(
  'reports',
  (set, get) => ({
    reports: null,
    listProblem: null,
    busy: null,
    problem: null,
    notice: null,
    panel: null,

    async load() {
      const mine = generation;
      const result = await getBridge().reports.list({});
      if (mine !== generation) return;
      if (result.ok) set({ reports: result.value.reports, listProblem: null });
      else set({ reports: null, listProblem: result.error });
    },

    async showVersions(report) {
      const mine = generation;
      set({ panel: { kind: 'versions', report, versions: null }, problem: null, notice: null });
      const result = await getBridge().reports.versions({ id: report.id });
      const panel = get().panel;
      if (mine !== generation || panel?.kind !== 'versions' || panel.report.id !== report.id) return;
      if (result.ok) set({ panel: { ...panel, versions: result.value.versions } });
      else set({ panel: null, problem: result.error });
    },

    async showSharing(report) {
      const mine = generation;
      set({ panel: { kind: 'share', report, grants: null, targets: null }, problem: null, notice: null });
      const [opened, targets] = await Promise.all([
        getBridge().reports.open({ id: report.id }),
        getBridge().models.shareTargets(),
      ]);
      const panel = get().panel;
      if (mine !== generation || panel?.kind !== 'share' || panel.report.id !== report.id) return;
      if (!opened.ok) return set({ panel: null, problem: opened.error });
      if (!targets.ok) return set({ panel: null, problem: targets.error });
      set({ panel: { ...panel, grants: opened.value.grants ?? [], targets: targets.value } });
    },

    async share(grants) {
      const panel = get().panel;
      if (panel?.kind !== 'share' || get().busy !== null) return false;
      const mine = generation;
      set({ busy: 'Sharing…', problem: null, notice: null });
      const result = await getBridge().reports.share({ id: panel.report.id, grants });
      if (mine !== generation) return false;
      const now = get().panel;
      if (result.ok) {
        set({
          notice:
            result.value.grants.length === 0
              ? `“${panel.report.title}” is shared with no one.`
              : `“${panel.report.title}” is shared as shown.`,
        });
        if (now?.kind === 'share' && now.report.id === panel.report.id)
          set({ panel: { ...now, grants: result.value.grants } });
      } else set({ problem: result.error });
      set({ busy: null });
      return result.ok;
    },

    async remove(report) {
      if (get().busy !== null) return false;
      const mine = generation;
      set({ busy: 'Deleting…', problem: null, notice: null });
      const result = await getBridge().reports.delete({ id: report.id });
      if (mine !== generation) return false;
      if (result.ok) {
        set({ notice: `“${report.title}” and all its versions are deleted.` });
        if (get().panel?.report.id === report.id) set({ panel: null });
      } else set({ problem: result.error });
      await get().load();
      set({ busy: null });
      return result.ok;
    },

    async storedPdf(id, version) {
      set({ problem: null, notice: null });
      const result = await getBridge().reports.pdf({ id, version });
      if (!result.ok) return result;
      const { fileName, banner, sha256, pdf } = result.value;
      return { ok: true, value: { fileName, banner, sha256, bytes: bytesOfPieces(pdf) } };
    },

    closePanel() {
      set({ panel: null });
    },

    report(error, notice = null) {
      set({ problem: error, notice });
    },
  }),
  {
    onForget() {
      generation += 1;
    },
  },
);
