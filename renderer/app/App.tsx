import { lazy, Suspense, useEffect, useState } from 'react';
import { ClassificationBanner } from '../features/banner/ClassificationBanner';
import { ConsentScreen } from '../features/consent/ConsentScreen';
import { HomeScreen } from '../features/home/HomeScreen';
import { LockScreen } from '../features/login/LockScreen';
import { SessionBar } from '../features/login/SessionBar';
import { SignInScreen } from '../features/login/SignInScreen';
import { useSessionStore } from '../state/session-store';
import { useSystemStore } from '../state/system-store';
import { ErrorBoundary } from './ErrorBoundary';

// The run screen brings the engine and the chart library: loaded when first opened, not at start.
const RunScreen = lazy(() => import('../features/run/RunScreen').then((module) => ({ default: module.RunScreen })));

function FailedScreen() {
  const error = useSystemStore((s) => s.error);
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

export function App() {
  const phase = useSystemStore((s) => s.phase);
  const site = useSystemStore((s) => s.info?.site ?? null);
  const banner = site ? { text: site.systemHigh, level: site.bannerLevel } : null;
  const load = useSystemStore((s) => s.load);
  const siteName = useSystemStore((s) => s.info?.site.name);
  const session = useSessionStore((s) => s.phase);
  const startSession = useSessionStore((s) => s.start);
  const stopSession = useSessionStore((s) => s.stop);
  // Two screens so far; a router comes when there are more.
  const [screen, setScreen] = useState<'home' | 'run'>('home');
  useEffect(() => void load(), [load]);
  // After consent: card sign-in when the workstation has a store, else the app as before.
  useEffect(() => {
    if (phase !== 'ready') return;
    void startSession();
    return stopSession;
  }, [phase, startSession, stopSession]);
  // Nothing of the app shows unless no sign-in applies, or someone is signed in.
  const open = phase === 'ready' && (session === 'open' || session === 'unlocked');
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
          {phase === 'ready' && session === 'checking' && <p className="loading">Checking the card reader…</p>}
          {phase === 'ready' && session === 'signin' && <SignInScreen />}
          {phase === 'ready' && session === 'locked' && <LockScreen />}
          {open && session === 'unlocked' && <SessionBar />}
          {open && screen === 'home' && <HomeScreen onOpenRun={() => setScreen('run')} />}
          {open && screen === 'run' && (
            <Suspense fallback={<p className="loading">Opening the run screen…</p>}>
              <RunScreen onHome={() => setScreen('home')} />
            </Suspense>
          )}
        </ErrorBoundary>
      </div>
      <ClassificationBanner banner={banner} position="bottom" />
    </div>
  );
}
