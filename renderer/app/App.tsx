import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { ClassificationBanner } from '../components/ClassificationBanner';
import { DemoStrip } from '../components/DemoStrip';
import { ConsentScreen } from '../features/consent/ConsentScreen';
import { HomeScreen } from '../features/home/HomeScreen';
import { LockScreen } from '../features/login/LockScreen';
import { SessionBar } from '../features/login/SessionBar';
import { SignInScreen } from '../features/login/SignInScreen';
import { AdminScreen } from '../features/admin/AdminScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { BundleExportScreen } from '../features/bundles/BundleExportScreen';
import { BundleImportScreen } from '../features/bundles/BundleImportScreen';
import { UpdatesScreen } from '../features/updates/UpdatesScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { SetupWizard } from '../features/setup/SetupWizard';
import { useBundleExportState, type ExportPick } from '../state/bundle-export-state';
import { useLoginState, useSignedInRole } from '../state/login-state';
import { useReportBuilderState } from '../state/report-builder-state';
import { useSetupState } from '../state/setup-state';
import { useSystemState } from '../state/system-state';
import { getBridge } from '../ipc/bridge';
import { watchActivity } from './activity';
import { ErrorBoundary } from './ErrorBoundary';
import { openReportBuilder, shownRoute, useRouteState, waysFor, type RouteName, type Ways } from './router';

// The run screen brings the engine and the chart library: loaded when first opened, not at start.
const RunScreen = lazy(() => import('../features/run/RunScreen').then((module) => ({ default: module.RunScreen })));
// The report builder brings the report renderer and the workbook library: loaded when first opened.
const ReportBuilderScreen = lazy(() =>
  import('../features/reports/ReportBuilderScreen').then((module) => ({ default: module.ReportBuilderScreen })),
);
const EditorScreen = lazy(() =>
  import('../features/editor/EditorScreen').then((module) => ({ default: module.EditorScreen })),
);

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

/** "Export bundle…" on a record: the export screen, with that record picked (where the role may export). */
const exportWay = (ways: Ways) => {
  const open = ways.bundleExport;
  return open
    ? {
        onExportBundle: (pick: ExportPick, label: string) => {
          useBundleExportState.getState().begin(pick, label);
          open();
        },
      }
    : {};
};

/** The screen of every route (router.ts): a route without a screen does not type-check. */
const SCREENS: Record<RouteName, (ways: Ways) => ReactNode> = {
  home: (ways) => (
    <HomeScreen
      onOpenRun={ways.run}
      onOpenAdmin={ways.admin}
      onOpenLibrary={ways.library}
      onOpenEditor={ways.editor}
      onOpenReports={ways.reports}
      onOpenBundleExport={ways.bundleExport}
      onOpenBundleImport={ways.bundleImport}
      onOpenUpdates={ways.updates}
    />
  ),
  run: (ways) => (
    <Suspense fallback={<p className="loading">Opening the run screen…</p>}>
      <RunScreen onHome={ways.home} />
    </Suspense>
  ),
  admin: (ways) => <AdminScreen onHome={ways.home} {...(ways.bundleImport ? { onBundles: ways.bundleImport } : {})} />,
  library: (ways) => (
    <LibraryScreen
      onHome={ways.home}
      onRun={ways.run}
      onEdit={ways.editor}
      {...exportWay(ways)}
      {...(ways.reportBuilder
        ? {
            onReport: (model: number, runs: number[]) => {
              useReportBuilderState.getState().request({ model, runs });
              openReportBuilder(null);
            },
          }
        : {})}
    />
  ),
  reports: (ways) => (
    <ReportsScreen
      onHome={ways.home}
      {...exportWay(ways)}
      {...(ways.reportBuilder ? { onBuild: (report) => openReportBuilder(report?.id ?? null) } : {})}
    />
  ),
  reportBuilder: (ways) => (
    <Suspense fallback={<p className="loading">Opening the report builder…</p>}>
      <ReportBuilderScreen onHome={ways.home} {...(ways.reports ? { onReports: ways.reports } : {})} />
    </Suspense>
  ),
  bundleExport: (ways) => (
    <BundleExportScreen onHome={ways.home} {...(ways.library ? { onLibrary: ways.library } : {})} />
  ),
  bundleImport: (ways) => <BundleImportScreen onHome={ways.home} {...(ways.admin ? { onAdmin: ways.admin } : {})} />,
  updates: (ways) => <UpdatesScreen onHome={ways.home} {...(ways.admin ? { onAdmin: ways.admin } : {})} />,
  editor: (ways) => (
    <Suspense fallback={<p className="loading">Opening the model editor…</p>}>
      <EditorScreen onHome={ways.home} />
    </Suspense>
  ),
};

export function App() {
  const phase = useSystemState((s) => s.phase);
  const site = useSystemState((s) => s.info?.site ?? null);
  const banner = site ? { text: site.systemHigh, level: site.bannerLevel } : null;
  const load = useSystemState((s) => s.load);
  const siteName = useSystemState((s) => s.info?.site.name);
  const demo = useSystemState((s) => s.info?.demo ?? false);
  const session = useLoginState((s) => s.phase);
  const role = useSignedInRole();
  const startSession = useLoginState((s) => s.start);
  const stopSession = useLoginState((s) => s.stop);
  const completion = useSetupState((s) => s.completion);
  const checkSetup = useSetupState((s) => s.check);
  const route = useRouteState((s) => s.route);
  useEffect(() => void load(), [load]);
  // After consent: first-run setup when there is no store yet, else sign-in (card or recovery secret).
  useEffect(() => {
    if (phase !== 'ready') return;
    void startSession();
    return stopSession;
  }, [phase, startSession, stopSession]);
  // Locked or signed out, nothing of the last session is kept: the login state forgets every
  // signed-in state (state/signed-in.ts), the route included. An administrator's sign-in on a workstation whose setup was never finished resumes the wizard.
  const ready = phase === 'ready';
  const unlocked = ready && session === 'unlocked';
  const admin = role === 'admin';
  // Reading counts as activity: scrolling, keys and the pointer push the idle lock back. Any call but
  // identity.status does that on the service side; markings.policy is the cheapest (public, no store).
  useEffect(() => {
    if (!unlocked) return;
    return watchActivity(window, () => void getBridge().markings.policy());
  }, [unlocked]);
  useEffect(() => {
    if (unlocked && admin && completion === 'unknown') void checkSetup();
  }, [unlocked, admin, completion, checkSetup]);
  const wizard = ready && (session === 'setup' || (unlocked && admin && completion === 'incomplete'));
  const checkingSetup = unlocked && admin && (completion === 'unknown' || completion === 'checking');
  // Nothing of the app shows until someone is signed in and any unfinished setup is done.
  const open = unlocked && !wizard && !checkingSetup;
  // The renderer only hides: a route the role may not use shows home (the service refuses the calls anyway).
  const shown = shownRoute(route, role);
  const ways = waysFor(role);
  useEffect(() => {
    document.title = siteName ? `${siteName} — Enclave` : 'Enclave';
  }, [siteName]);

  return (
    <div className="shell">
      <ClassificationBanner banner={banner} position="top" />
      <DemoStrip demo={demo} consented={ready} signedIn={unlocked} />
      <div className="shell__body">
        <ErrorBoundary>
          {phase === 'loading' && <p className="loading">Starting Enclave…</p>}
          {phase === 'failed' && <FailedScreen />}
          {phase === 'consent' && <ConsentScreen />}
          {ready && session === 'checking' && <p className="loading">Checking the card reader…</p>}
          {ready && session === 'signin' && <SignInScreen />}
          {ready && session === 'locked' && <LockScreen />}
          {unlocked && <SessionBar onOpenAdmin={open && shown !== 'admin' ? ways.admin : undefined} />}
          {checkingSetup && <p className="loading">Checking the workstation’s setup…</p>}
          {wizard && <SetupWizard />}
          {open && SCREENS[shown](ways)}
        </ErrorBoundary>
      </div>
      <ClassificationBanner banner={banner} position="bottom" />
    </div>
  );
}
