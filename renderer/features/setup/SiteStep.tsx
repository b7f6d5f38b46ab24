import { useId, useState, type FormEvent } from 'react';
import { useSetupState } from '../../state/setup-state';
import { useSystemState } from '../../state/system-state';
import { ServiceProblem } from '../../components/ServiceProblem';

/** (a) The site's name and its system high, checked by the service against the site's marking policy. */
export function SiteStep() {
  const nameId = useId();
  const highId = useId();
  const hintId = useId();
  const site = useSystemState((s) => s.info?.site ?? null);
  const begin = useSetupState((s) => s.begin);
  const busy = useSetupState((s) => s.busy);
  const problem = useSetupState((s) => s.problem);
  const [siteName, setSiteName] = useState(() => useSetupState.getState().siteName || (site?.name ?? ''));
  const [systemHigh, setSystemHigh] = useState(() => useSetupState.getState().systemHigh ?? site?.systemHigh ?? '');
  const highRefused = problem?.issues?.some((issue) => issue.path === 'systemHigh') ?? false;

  function submit(event: FormEvent) {
    event.preventDefault();
    void begin(siteName.trim(), systemHigh.trim());
  }

  return (
    <form className="setup-form" onSubmit={submit} data-testid="setup-site">
      <p className="muted">
        Nothing is written until the recovery secret of the next step is typed back: a setup abandoned before then
        leaves no trace.
      </p>
      <label className="setup-label" htmlFor={nameId}>
        Site name
      </label>
      <input
        id={nameId}
        className="field"
        value={siteName}
        onChange={(e) => setSiteName(e.target.value)}
        maxLength={120}
        required
        autoFocus
        data-testid="setup-site-name"
      />
      <label className="setup-label" htmlFor={highId}>
        System high
      </label>
      <input
        id={highId}
        className="field field--mono"
        value={systemHigh}
        onChange={(e) => setSystemHigh(e.target.value)}
        maxLength={300}
        required
        spellCheck={false}
        autoComplete="off"
        placeholder="SECRET//NOFORN"
        aria-describedby={hintId}
        aria-invalid={highRefused}
        data-testid="setup-system-high"
      />
      <p id={hintId} className="picker__hint">
        The highest marking this workstation may hold, as a banner line: for example UNCLASSIFIED, CUI, SECRET,
        SECRET//NOFORN or TOP SECRET//SI/TK//NOFORN. It is shown at the top and bottom of every screen, and nothing
        above it can be stored.
      </p>
      <ServiceProblem error={problem} testId="setup-problem" />
      <div className="wizard-nav">
        <button
          type="submit"
          className="button button--primary"
          disabled={busy || siteName.trim() === '' || systemHigh.trim() === ''}
          data-testid="setup-continue"
        >
          {busy ? 'Checking…' : 'Continue'}
        </button>
      </div>
    </form>
  );
}
