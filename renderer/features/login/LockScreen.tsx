import { useLoginState } from '../../state/login-state';
import { CardPanel } from './CardPanel';
import { PinForm } from './PinForm';
import { RecoveryForm } from './RecoveryForm';
import { lockReason } from './refusal-text';

/** Shown in place of everything below the banner while the session is locked. */
export function LockScreen() {
  const lastLock = useLoginState((s) => s.status?.lastLock ?? null);
  return (
    <main
      className="signin signin--locked"
      data-testid="lock-screen"
      data-reason={lastLock?.reason ?? ''}
      aria-labelledby="lock-title"
    >
      <h1 id="lock-title">Locked — insert your card and enter your PIN</h1>
      {lastLock && (
        <p data-testid="lock-reason">
          {lockReason(lastLock)}
          {lastLock.detail && <span className="muted"> ({lastLock.detail})</span>}{' '}
          <span className="muted">{new Date(lastLock.at).toLocaleString()}</span>
        </p>
      )}
      <CardPanel />
      <PinForm submitLabel="Unlock" />
      <RecoveryForm />
    </main>
  );
}
