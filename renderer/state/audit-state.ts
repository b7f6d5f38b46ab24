import type { ResponseOf } from '../../common/ipc/contract';
import type { IpcError } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type AuditEntry = ResponseOf<'audit', 'list'>['entries'][number];
export type AuditCheck = ResponseOf<'audit', 'verify'>;

export const AUDIT_PAGE = 50;

export interface AuditState {
  /** The entries read so far, newest first. */
  entries: AuditEntry[] | null;
  total: number;
  check: AuditCheck | null;
  problem: IpcError | null;
  busy: boolean;
  load(): Promise<void>;
  older(): Promise<void>;
  verify(): Promise<void>;
}

/**
 * The audit log as the administration page shows it (audit.list, audit.verify): newest first, a
 * page at a time. Forgotten on lock.
 */
export const useAuditState = signedInState<AuditState>('audit', (set, get) => ({
  entries: null,
  total: 0,
  check: null,
  problem: null,
  busy: false,

  async load() {
    const result = await getBridge().audit.list({ limit: AUDIT_PAGE });
    if (result.ok) set({ entries: result.value.entries, total: result.value.total, problem: null });
    else set({ problem: result.error });
  },

  async older() {
    const last = get().entries?.at(-1);
    if (!last || get().busy) return;
    set({ busy: true });
    const result = await getBridge().audit.list({ limit: AUDIT_PAGE, beforeSeq: last.seq });
    if (result.ok)
      set({ entries: [...(get().entries ?? []), ...result.value.entries], total: result.value.total, problem: null });
    else set({ problem: result.error });
    set({ busy: false });
  },

  async verify() {
    if (get().busy) return;
    set({ busy: true, check: null });
    const result = await getBridge().audit.verify();
    if (result.ok) set({ check: result.value, problem: null });
    else set({ problem: result.error });
    set({ busy: false });
  },
}));
