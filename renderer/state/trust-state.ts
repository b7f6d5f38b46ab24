import type { ResponseOf } from '../../common/ipc/contract';
import type { FileHandle } from '../../common/ipc/files';
import type { IpcError } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type TrustList = ResponseOf<'trust', 'list'>;
export type TrustAnchor = TrustList['anchors'][number];
export type Crl = TrustList['crls'][number];
export type ImportOutcome = ResponseOf<'trust', 'importAnchors'>;
/** Trust anchors (CA certificates) or CRLs: the two kinds of trust material an admin carries in. */
export type TrustKind = 'anchors' | 'crls';

export interface TrustState {
  list: TrustList | null;
  /** Reading the list failed (shown above both tables). */
  listProblem: IpcError | null;
  /** Per kind: the last import's outcome, the last failure (import or removal), the last removal. */
  imported: Record<TrustKind, ImportOutcome | null>;
  problems: Record<TrustKind, IpcError | null>;
  removed: Record<TrustKind, string | null>;
  busy: TrustKind | null;
  load(): Promise<void>;
  /** Imports the files the host handed over (their handles: common/ipc/files.ts). */
  importFiles(kind: TrustKind, files: FileHandle[]): Promise<boolean>;
  remove(kind: TrustKind, id: number): Promise<boolean>;
  /** A failure found before calling the service (a file the host could not take). */
  report(kind: TrustKind, error: IpcError): void;
}

const none = <T>(): Record<TrustKind, T | null> => ({ anchors: null, crls: null });

/** A change of one kind begins: busy, and that kind's last outcome, failure and removal cleared. */
const startOf = (s: TrustState, kind: TrustKind): Partial<TrustState> => ({
  busy: kind,
  problems: { ...s.problems, [kind]: null },
  imported: { ...s.imported, [kind]: null },
  removed: { ...s.removed, [kind]: null },
});

/**
 * The admin's trust material (trust.* channels): what the sign-in validates cards against. The
 * service checks every file and the admin's role; this state only mirrors the list and keeps
 * the outcome of the last import or removal to show. Nothing here is secret, and it is dropped on
 * lock all the same.
 */
export const useTrustState = signedInState<TrustState>('trust', (set, get) => ({
  list: null,
  listProblem: null,
  imported: none(),
  problems: none(),
  removed: none(),
  busy: null,

  async load() {
    const result = await getBridge().trust.list();
    if (result.ok) set({ list: result.value, listProblem: null });
    else set({ listProblem: result.error });
  },

  async importFiles(kind, files) {
    if (get().busy) return false;
    set((s) => startOf(s, kind));
    const bridge = getBridge().trust;
    const result = kind === 'anchors' ? await bridge.importAnchors({ files }) : await bridge.importCrls({ files });
    if (result.ok) set((s) => ({ imported: { ...s.imported, [kind]: result.value } }));
    else set((s) => ({ problems: { ...s.problems, [kind]: result.error } }));
    await get().load();
    set({ busy: null });
    return result.ok;
  },

  async remove(kind, id) {
    if (get().busy) return false;
    set((s) => startOf(s, kind));
    const bridge = getBridge().trust;
    const result = kind === 'anchors' ? await bridge.removeAnchor({ id }) : await bridge.removeCrl({ id });
    if (result.ok) set((s) => ({ removed: { ...s.removed, [kind]: result.value.removed } }));
    else set((s) => ({ problems: { ...s.problems, [kind]: result.error } }));
    await get().load();
    set({ busy: null });
    return result.ok;
  },

  report(kind, error) {
    set((s) => ({
      problems: { ...s.problems, [kind]: error },
      imported: { ...s.imported, [kind]: null },
      removed: { ...s.removed, [kind]: null },
    }));
  },
}));
