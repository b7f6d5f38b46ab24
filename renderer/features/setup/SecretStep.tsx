import { useId, useRef, type FormEvent } from 'react';
import { useSetupState } from '../../state/setup-state';
import { ServiceProblem } from '../../components/ServiceProblem';

/**
 * (b) The recovery secret, shown once, large and monospace, and typed back. There is deliberately
 * no copy button: the secret belongs on paper, not in a clipboard. The typed-back field is
 * uncontrolled and emptied on submit, so no React state holds what was typed; the secret itself
 * leaves the setup state as soon as the store is created.
 */
export function SecretStep() {
  const typedId = useId();
  const input = useRef<HTMLInputElement>(null);
  const secret = useSetupState((s) => s.secret);
  const siteName = useSetupState((s) => s.siteName);
  const systemHigh = useSetupState((s) => s.systemHigh);
  const busy = useSetupState((s) => s.busy);
  const problem = useSetupState((s) => s.problem);
  const confirm = useSetupState((s) => s.confirm);
  const restart = useSetupState((s) => s.restart);
  if (!secret) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    const field = input.current;
    if (!field || field.value.trim() === '') return;
    const typed = field.value;
    field.value = '';
    void confirm(typed).then(() => input.current?.focus());
  }

  return (
    <div className="setup-form" data-testid="setup-secret">
      <dl className="facts">
        <dt>Site</dt>
        <dd data-testid="setup-review-site">{siteName}</dd>
        <dt>System high</dt>
        <dd data-testid="setup-review-system-high">{systemHigh}</dd>
      </dl>
      <p className="recovery-secret" data-testid="recovery-secret" aria-label="Recovery secret">
        {secret.split('-').map((group, i, all) => (
          <span key={i} className="recovery-secret__group">
            {group}
            {i < all.length - 1 ? '-' : ''}
          </span>
        ))}
      </p>
      <div className="notice notice--strong" role="note" data-testid="recovery-secret-note">
        <p>
          <strong>Write this down now, on paper. It is shown once and never again.</strong>
        </p>
        <p>
          The recovery secret unlocks this workstation’s data if every administrator card is lost. Keep it as you keep
          the most sensitive thing stored here: locked away, and never in a file or an e-mail. Letters I, L, O and U are
          not used; dashes and case do not matter when you type it.
        </p>
      </div>
      <form className="setup-form" onSubmit={submit}>
        <label className="setup-label" htmlFor={typedId}>
          Type the recovery secret back from what you wrote down
        </label>
        <input
          id={typedId}
          ref={input}
          className="field field--mono"
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={128}
          disabled={busy}
          data-testid="recovery-secret-typed"
        />
        <ServiceProblem error={problem} testId="setup-problem" />
        <div className="wizard-nav">
          <button type="button" className="button" onClick={restart} disabled={busy}>
            Back
          </button>
          <button type="submit" className="button button--primary" disabled={busy} data-testid="setup-confirm">
            {busy ? 'Creating the encrypted store…' : 'Confirm and create the store'}
          </button>
        </div>
      </form>
    </div>
  );
}
