import { useSystemState } from '../../state/system-state';
import { CardPanel } from './CardPanel';
import { PinForm } from './PinForm';
import { RecoveryForm } from './RecoveryForm';

/** Sign in with a CAC/PIV card and its PIN (docs/login.md). */
export function SignInScreen() {
  const siteName = useSystemState((s) => s.info?.site.name);
  return (
    <main className="signin" data-testid="signin-screen" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      <p className="muted">{siteName} · insert your CAC or PIV card and enter its PIN.</p>
      <CardPanel />
      <PinForm submitLabel="Sign in" />
      <RecoveryForm />
    </main>
  );
}
