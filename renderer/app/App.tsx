import { lazy, Suspense, useEffect, useState } from 'react';
import { ClassificationBanner } from '../features/banner/ClassificationBanner';
import { ConsentScreen } from '../features/consent/ConsentScreen';
import { HomeScreen } from '../features/home/HomeScreen';
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
  // Two screens so far; a router comes when there are more.
  const [screen, setScreen] = useState<'home' | 'run'>('home');
  useEffect(() => void load(), [load]);
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
          {phase === 'ready' && screen === 'home' && <HomeScreen onOpenRun={() => setScreen('run')} />}
          {phase === 'ready' && screen === 'run' && (
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
