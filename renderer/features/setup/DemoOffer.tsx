import { useEffect, useState } from 'react';
import type { IpcError } from '../../../common/ipc/result';
import { ServiceProblem } from '../../components/ServiceProblem';
import { getBridge } from '../../ipc/bridge';
import { useLoginState } from '../../state/login-state';
import { useSystemState } from '../../state/system-state';

/**
 * The first screen's other choice: "Try a demonstration workstation" (docs/demo.md). The service says
 * whether it may (never on a workstation with a site configuration or a store; what to install when
 * SoftHSM2 is missing). Once made, the services run the demo: the site is read again, the strip and
 * the demo cards' PINs show, and the sign-in screen follows.
 */
export function DemoOffer() {
  const [status, setStatus] = useState<{ available: boolean; reason: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<IpcError | null>(null);
  const reloadInfo = useSystemState((s) => s.reloadInfo);

  useEffect(() => {
    let live = true;
    void getBridge()
      .setup.demoStatus()
      .then((result) => {
        if (!live) return;
        if (result.ok) setStatus(result.value);
        else setProblem(result.error);
      });
    return () => {
      live = false;
    };
  }, []);

  async function start() {
    setBusy(true);
    setProblem(null);
    const result = await getBridge().setup.startDemo();
    if (!result.ok) {
      setBusy(false);
      setProblem(result.error);
      return;
    }
    // The services now run the demo: its site and strip, then its sign-in screen.
    await reloadInfo();
    await useLoginState.getState().refresh();
    setBusy(false);
  }

  return (
    <aside className="demo-offer" aria-labelledby="demo-offer-title" data-testid="demo-offer">
      <h2 id="demo-offer-title">Or: try a demonstration workstation</h2>
      <p>
        No PKI or card at hand? Enclave can make a demonstration workstation in its own folder: a demo certificate
        authority, software tokens (SoftHSM2) as an administrator’s and an analyst’s card, with their PINs shown on
        screen, and the example models in the library. You sign in with a demo card exactly as with a real one. This
        workstation stays unset-up; start Enclave again to set it up for real.
      </p>
      {status && !status.available && (
        <p className="demo-offer__unavailable" data-testid="demo-unavailable">
          {status.reason}
        </p>
      )}
      <ServiceProblem error={problem} testId="demo-problem" />
      <button
        type="button"
        className="button"
        disabled={busy || !status?.available}
        onClick={() => void start()}
        data-testid="demo-start"
      >
        {busy ? 'Making the demonstration workstation…' : 'Try a demonstration workstation'}
      </button>
      {busy && (
        <p className="muted" role="status">
          Generating the demo CA and cards and keeping the example models: a few seconds.
        </p>
      )}
    </aside>
  );
}
