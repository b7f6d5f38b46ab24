import type { InputHTMLAttributes, KeyboardEvent, Ref } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'autoComplete' | 'onKeyDown'> & {
  ref?: Ref<HTMLInputElement>;
  /** Enter in the field: the caller's submit (there is no <form> to submit). */
  onEnter(): void;
};

/**
 * A field for a card PIN or the recovery secret that no password manager takes for a password.
 * Chromium offers "Save password?" for a type=password field whatever its autocomplete says, when
 * its form is submitted or disappears after a request (a sign-in that worked). So this is a text
 * field masked by CSS (`.secret-field`: -webkit-text-security), marked autocomplete="one-time-code"
 * (a value never saved or filled in), and used outside any <form>: Enter calls `onEnter`.
 */
export function SecretField({ onEnter, className, ...props }: Props) {
  function keyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    onEnter();
  }
  return (
    <input
      {...props}
      className={`secret-field${className ? ` ${className}` : ''}`}
      type="text"
      autoComplete="one-time-code"
      autoCapitalize="off"
      autoCorrect="off"
      spellCheck={false}
      data-lpignore="true"
      data-1p-ignore=""
      onKeyDown={keyDown}
    />
  );
}
