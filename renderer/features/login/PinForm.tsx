import { useRef } from 'react';
import { SecretField } from '../../components/SecretField';
import { useLoginState } from '../../state/login-state';
import { pinNote, refusalHeadline } from './refusal-text';

/**
 * The PIN field and Sign in button. The field is uncontrolled: the PIN is read from it on submit,
 * the field is emptied at once, and the value goes only into the bridge call (no React or zustand
 * state ever holds it).
 */
export function PinForm({ submitLabel }: { submitLabel: string }) {
  const input = useRef<HTMLInputElement>(null);
  const busy = useLoginState((s) => s.busy);
  const cardPresent = useLoginState((s) => s.status?.card.state === 'card-present');
  const login = useLoginState((s) => s.login);
  const refusal = useLoginState((s) => s.refusal);
  const problem = useLoginState((s) => s.problem);

  function submit() {
    const field = input.current;
    if (!field || field.value.length === 0) return;
    const pin = field.value;
    field.value = '';
    void login(pin).then(() => input.current?.focus());
  }

  const note = refusal ? pinNote(refusal) : null;
  return (
    // No <form>: a form around a secret is what password managers look for (SecretField).
    <div className="pin-form" role="group" aria-label="Sign in with your card" data-testid="pin-form">
      <label className="field-label">
        <span>PIN</span>
        <SecretField
          ref={input}
          name="pin"
          onEnter={submit}
          inputMode="numeric"
          maxLength={64}
          disabled={busy || !cardPresent}
          data-testid="pin-input"
          autoFocus
        />
      </label>
      <button
        type="button"
        className="button button--primary"
        onClick={submit}
        disabled={busy || !cardPresent}
        data-testid="sign-in"
      >
        {busy ? 'Checking…' : submitLabel}
      </button>
      {refusal && (
        <div className="refusal" role="alert" data-testid="login-refusal" data-reason={refusal.reason}>
          <p className="refusal__headline">{refusalHeadline(refusal)}</p>
          <p>{refusal.message}</p>
          {note && <p className="refusal__note">{note}</p>}
        </div>
      )}
      {problem && (
        <p className="refusal" role="alert" data-testid="login-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
