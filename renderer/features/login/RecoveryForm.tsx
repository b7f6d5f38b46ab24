import { useRef, useState } from 'react';
import { SecretField } from '../../components/SecretField';
import { useLoginState } from '../../state/login-state';

/**
 * The way in for an administrator when no enrolled card works: the recovery secret written down at
 * first-run setup (identity.recover). Out of the way behind a link; the field is uncontrolled and
 * emptied on submit, so the secret is only ever an argument of the bridge call.
 */
export function RecoveryForm() {
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const busy = useLoginState((s) => s.busy);
  const problem = useLoginState((s) => s.recoveryProblem);
  const recover = useLoginState((s) => s.recover);

  if (!open) {
    return (
      <p className="recovery-link">
        <button type="button" className="link-button" onClick={() => setOpen(true)} data-testid="use-recovery-secret">
          Use the recovery secret
        </button>
        <span className="muted"> — for an administrator, when no card works</span>
      </p>
    );
  }

  function submit() {
    const field = input.current;
    if (!field || field.value.trim() === '') return;
    const secret = field.value;
    field.value = '';
    void recover(secret).then(() => input.current?.focus());
  }

  return (
    // No <form>, and a SecretField: nothing a password manager would offer to save.
    <div className="pin-form recovery-form" role="group" aria-label="Recovery secret" data-testid="recovery-form">
      <p className="muted">
        The recovery secret was shown once at first-run setup (13 groups of 4 characters). It signs in as administrator
        without a card, and every use is audited.
      </p>
      <label className="field-label">
        <span>Recovery secret</span>
        <SecretField
          ref={input}
          name="recovery-secret"
          onEnter={submit}
          maxLength={128}
          disabled={busy}
          data-testid="recovery-secret-input"
          autoFocus
        />
      </label>
      <div className="wizard-nav">
        <button
          type="button"
          className="button button--primary"
          onClick={submit}
          disabled={busy}
          data-testid="recovery-sign-in"
        >
          {busy ? 'Checking…' : 'Sign in with the recovery secret'}
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)} disabled={busy}>
          Use a card instead
        </button>
      </div>
      {problem && (
        <p className="refusal" role="alert" data-testid="recovery-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
