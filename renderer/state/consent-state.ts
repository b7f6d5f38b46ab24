import { create } from 'zustand';
import { getBridge } from '../ipc/bridge';
import { useSystemState } from './system-state';

export interface ConsentState {
  /** While system.acknowledgeConsent is out. */
  acknowledging: boolean;
  acknowledge(): Promise<void>;
}

/**
 * The DoD notice-and-consent acknowledgement. The notice itself comes with system.info
 * (SystemState); acknowledging it moves the app from `consent` to `ready`.
 */
export const useConsentState = create<ConsentState>((set) => ({
  acknowledging: false,

  async acknowledge() {
    const system = useSystemState.getState();
    const info = system.info;
    if (!info) return;
    set({ acknowledging: true });
    const result = await getBridge().system.acknowledgeConsent({ consentId: info.consent.id });
    set({ acknowledging: false });
    if (!result.ok) {
      // The notice changed under us: show the new text rather than an error.
      if (result.error.code === 'FAILED_PRECONDITION') return system.load();
      return useSystemState.setState({ phase: 'failed', error: result.error });
    }
    useSystemState.setState({
      phase: 'ready',
      info: { ...info, consent: { ...info.consent, acknowledgedAt: result.value.acknowledgedAt } },
    });
    await system.refreshHealth();
  },
}));
