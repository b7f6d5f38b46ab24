import { lazy, Suspense, useEffect, useState } from 'react';
import { ClassificationBanner } from '../features/banner/ClassificationBanner';
import { ConsentScreen } from '../features/consent/ConsentScreen';
import { HomeScreen } from '../features/home/HomeScreen';
import { LockScreen } from '../features/login/LockScreen';
import { SessionBar } from '../features/login/SessionBar';
import { SignInScreen } from '../features/login/SignInScreen';
import { AdminScreen } from '../features/admin/AdminScreen';
import { SetupWizard } from '../features/setup/SetupWizard';
import { useLoginState, useSignedInRole } from '../state/login-state';
import { useSetupState } from '../state/setup-state';
import { useSystemState } from '../state/system-state';
import { useAuditState } from '../state/audit-state';
import { useTrustState } from '../state/trust-state';
import { useUsersState } from '../state/users-state';
import { ErrorBoundary } from './ErrorBoundary';

// The run screen brings the engine and the chart library: loaded when first opened, not at start.
const RunScreen = lazy(() => import('../features/run/RunScreen').then((module) => ({ default: module.RunScreen })));

function FailedScreen() {
  const error = useSystemState((s) => s.error);
  return (
    <main className="fatal" role="alert" data-testid="fatal-error">
      <h1>Enclave cannot start</h1>
      <p>{error?.message ?? 'The services did not answer.'}</p>
      {error?.issues && (
        <ul>
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
      <p className="muted">Ask your administrator; error code {error?.code ?? 'UNAVAILABLE'}.</p>
    </main>
  );
}

type Screen = 'home' | 'run' | 'admin';

export function App() {
  const phase = useSystemState((s) => s.phase);
  const site = useSystemState((s) => s.info?.site ?? null);
  const banner = site ? { text: site.systemHigh, level: site.bannerLevel } : null;
  const load = useSystemState((s) => s.load);
  const siteName = useSystemState((s) => s.info?.site.name);
  const session = useLoginState((s) => s.phase);
  const role = useSignedInRole();
  const startSession = useLoginState((s) => s.start);
  const stopSession = useLoginState((s) => s.stop);
  const completion = useSetupState((s) => s.completion);
  const checkSetup = useSetupState((s) => s.check);
  const forgetSetup = useSetupState((s) => s.forget);
  const resetUsers = useUsersState((s) => s.reset);
  const resetTrust = useTrustState((s) => s.reset);
  const resetAudit = useAuditState((s) => s.reset);
  // Three screens so far; a router comes when there are more.
  const [screen, setScreen] = useState<Screen>('home');
  useEffect(() => void load(), [load]);
  // After consent: first-run setup when there is no store yet, else sign-in (card or recovery secret).
  useEffect(() => {
    if (phase !== 'ready') return;
    void startSession();
    return stopSession;
  }, [phase, startSession, stopSession]);
  // Locked or signed out: nothing of the last session's administration is kept.
  const signedOut = session === 'signin' || session === 'locked';
  useEffect(() => {
    if (!signedOut) return;
    forgetSetup();
    resetUsers();
    resetTrust();
    resetAudit();
  }, [signedOut, forgetSetup, resetUsers, resetTrust, resetAudit]);
  // An administrator's sign-in on a workstation whose setup was never finished resumes the wizard.
  const ready = phase === 'ready';
  const unlocked = ready && session === 'unlocked';
  const admin = role === 'admin';
  useEffect(() => {
    if (unlocked && admin && completion === 'unknown') void checkSetup();
  }, [unlocked, admin, completion, checkSetup]);
  const wizard = ready && (session === 'setup' || (unlocked && admin && completion === 'incomplete'));
  const checkingSetup = unlocked && admin && (completion === 'unknown' || completion === 'checking');
  // Nothing of the app shows until someone is signed in and any unfinished setup is done.
  const open = unlocked && !wizard && !checkingSetup;
  const shown: Screen = screen === 'admin' && !admin ? 'home' : screen;
  const openAdmin = admin ? () => setScreen('admin') : undefined;
  useEffect(() => {
    document.title = siteName ? `${siteName} — Enclave` : 'Enclave';
  }, [siteName]);

  return (
    <div className="shell">
      <ClassificationBanner banner={banner} position="top" />
      <div className="shell__body">
        <ErrorBoundary>
          {phase === 'loading' && <p className="loading">Starting Enclave…</p>}
          {phase === 'failed' && <FailedScreen />}
          {phase === 'consent' && <ConsentScreen />}
          {ready && session === 'checking' && <p className="loading">Checking the card reader…</p>}
          {ready && session === 'signin' && <SignInScreen />}
          {ready && session === 'locked' && <LockScreen />}
          {unlocked && <SessionBar onOpenAdmin={open && shown !== 'admin' ? openAdmin : undefined} />}
          {checkingSetup && <p className="loading">Checking the workstation’s setup…</p>}
          {wizard && <SetupWizard />}
          {open && shown === 'home' && <HomeScreen onOpenRun={() => setScreen('run')} onOpenAdmin={openAdmin} />}
          {open && shown === 'run' && (
            <Suspense fallback={<p className="loading">Opening the run screen…</p>}>
              <RunScreen onHome={() => setScreen('home')} />
            </Suspense>
          )}
          {open && shown === 'admin' && <AdminScreen onHome={() => setScreen('home')} />}
        </ErrorBoundary>
      </div>
      <ClassificationBanner banner={banner} position="bottom" />
    </div>
  );
}
