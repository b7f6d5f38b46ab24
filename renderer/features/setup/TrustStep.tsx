import { useEffect } from 'react';
import { useSetupState } from '../../state/setup-state';
import { useTrustState } from '../../state/trust-state';
import { ServiceProblem } from '../../components/ServiceProblem';
import { TrustImport } from '../admin/TrustImport';
import { AnchorsTable, CrlsTable } from '../admin/TrustTables';

/** (c) The PKI's CA certificates and CRLs: without them no card can be enrolled or sign in. */
export function TrustStep() {
  const load = useTrustState((s) => s.load);
  const anchors = useTrustState((s) => s.list?.anchors.length ?? 0);
  const listProblem = useTrustState((s) => s.listProblem);
  const goTo = useSetupState((s) => s.goTo);
  const problem = useSetupState((s) => s.problem);
  useEffect(() => void load(), [load]);
  return (
    <div className="setup-form setup-form--wide" data-testid="setup-trust">
      <p>
        Import the root and intermediate CA certificates of the PKI that issues your cards (for DoD, the DoD root and ID
        CA certificates), then their current CRLs. Cards are checked against these at every sign-in. You can change them
        later on the Administration page.
      </p>
      <ServiceProblem error={problem ?? listProblem} testId="setup-problem" />
      <h3>Trust anchors</h3>
      <AnchorsTable />
      <TrustImport kind="anchors" />
      <h3>CRLs</h3>
      <CrlsTable />
      <TrustImport kind="crls" />
      <div className="wizard-nav">
        <button
          type="button"
          className="button button--primary"
          disabled={anchors === 0}
          onClick={() => goTo('card')}
          data-testid="setup-next"
        >
          Next: the administrator’s card
        </button>
        {anchors === 0 && <span className="muted">Import at least one trust anchor first.</span>}
      </div>
    </div>
  );
}
