import { create } from 'zustand';
import type { ResponseOf } from '../../common/ipc/contract';
import type { IpcError } from '../../common/ipc/result';
import { getBridge } from '../ipc/bridge';

type SystemInfo = ResponseOf<'system', 'info'>;
type SystemHealth = ResponseOf<'system', 'health'>;

export interface SystemState {
  phase: 'loading' | 'failed' | 'consent' | 'ready';
  info: SystemInfo | null;
  health: SystemHealth | null;
  error: IpcError | null;
  load(): Promise<void>;
  refreshHealth(): Promise<void>;
  /** Reads the site again (first-run setup has just written its name and system high). */
  reloadInfo(): Promise<void>;
}

/**
 * The workstation as the services describe it (system.info, system.health): site, banner, consent
 * notice and health. Site data, not a signed-in user's: kept across locks.
 */
/** The subscription to `site.changed`, made once by the first load and kept for the window's life. */
let siteWatch: (() => void) | null = null;

export const useSystemState = create<SystemState>((set, get) => ({
  phase: 'loading',
  info: null,
  health: null,
  error: null,

  async load() {
    if (!siteWatch)
      siteWatch = getBridge().events.subscribe((event) => {
        if (event.name === 'site.changed') void get().reloadInfo();
      });
    const result = await getBridge().system.info();
    if (!result.ok) return set({ phase: 'failed', error: result.error });
    set({ info: result.value, error: null, phase: result.value.consent.acknowledgedAt ? 'ready' : 'consent' });
    if (result.value.consent.acknowledgedAt) await get().refreshHealth();
  },

  async reloadInfo() {
    const result = await getBridge().system.info();
    // Fail closed, as at start: a site that cannot be read has no banner to show.
    if (!result.ok) return set({ phase: 'failed', error: result.error });
    set({ info: result.value });
    await get().refreshHealth();
  },

  async refreshHealth() {
    const result = await getBridge().system.health();
    if (result.ok) set({ health: result.value });
    else set({ health: null, error: result.error });
  },
}));
