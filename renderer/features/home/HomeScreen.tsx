import { useEffect } from 'react';
import { MarkingsPanel } from '../markings/MarkingsPanel';
import { useGpuState } from '../../state/gpu-state';
import { useSystemState } from '../../state/system-state';

function ComputePanel() {
  const probe = useGpuState((s) => s.probe);
  const run = useGpuState((s) => s.run);
  useEffect(() => void run(), [run]);
  return (
    <section className="panel" aria-labelledby="compute-title">
      <h2 id="compute-title">Compute</h2>
      {!probe && <p>Looking for a WebGPU adapter…</p>}
      {probe?.available === true && (
        <dl className="facts" data-testid="webgpu-status" data-available="true">
          <dt>WebGPU</dt>
          <dd>available</dd>
          <dt>Adapter</dt>
          <dd>
            {probe.vendor} / {probe.architecture}
            {probe.description ? ` (${probe.description})` : ''}
          </dd>
          <dt>Largest buffer</dt>
          <dd>{probe.maxStorageBufferMiB} MiB</dd>
          {probe.fallbackAdapter && (
            <>
              <dt>Note</dt>
              <dd>a software adapter: correct, but not fast</dd>
            </>
          )}
        </dl>
      )}
      {probe?.available === false && (
        <p data-testid="webgpu-status" data-available="false">
          WebGPU unavailable: {probe.reason}
        </p>
      )}
    </section>
  );
}

function HealthPanel() {
  const health = useSystemState((s) => s.health);
  return (
    <section className="panel" aria-labelledby="health-title">
      <h2 id="health-title">Services</h2>
      {!health && <p>Checking…</p>}
      {health && (
        <ul className="checks" data-testid="health-checks" data-status={health.status}>
          {health.checks.map((check) => (
            <li key={check.name} className={check.ok ? 'check check--ok' : 'check check--bad'}>
              <span className="check__mark" aria-hidden="true">
                {check.ok ? '✓' : '✗'}
              </span>
              <span className="check__name">{check.name}</span>
              <span className="check__detail">{check.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SimulationPanel({ onOpenRun }: { onOpenRun: () => void }) {
  return (
    <section className="panel" aria-labelledby="simulation-title">
      <h2 id="simulation-title">Simulation</h2>
      <p className="muted">
        Run an example model or a model file on WebGPU or the CPU workers, and read its statistics, charts and
        sensitivity.
      </p>
      <button type="button" className="button button--primary" onClick={onOpenRun} data-testid="open-run">
        Run a simulation
      </button>
    </section>
  );
}

function LibraryPanel({ onOpenLibrary }: { onOpenLibrary: () => void }) {
  return (
    <section className="panel" aria-labelledby="library-panel-title">
      <h2 id="library-panel-title">Model library</h2>
      <p className="muted">Your models and those shared with you: versions, differences, sharing, import and export.</p>
      <button type="button" className="button" onClick={onOpenLibrary} data-testid="home-open-library">
        Open the model library
      </button>
    </section>
  );
}

function ReportsPanel({ onOpenReports }: { onOpenReports: () => void }) {
  return (
    <section className="panel" aria-labelledby="reports-panel-title">
      <h2 id="reports-panel-title">Reports</h2>
      <p className="muted">Marked reports of saved runs: PDF, Excel and CSV, kept with their versions.</p>
      <button type="button" className="button" onClick={onOpenReports} data-testid="home-open-reports">
        Open the reports
      </button>
    </section>
  );
}

/** Only for administrators (the App passes onOpenAdmin where the role may open it; the service checks anyway). */
function AdminPanel({ onOpenAdmin }: { onOpenAdmin: () => void }) {
  return (
    <section className="panel" aria-labelledby="admin-panel-title" data-testid="admin-panel">
      <h2 id="admin-panel-title">Administration</h2>
      <p className="muted">Users and card enrolments, roles, trust anchors and CRLs.</p>
      <button type="button" className="button" onClick={onOpenAdmin} data-testid="home-open-admin">
        Open administration
      </button>
    </section>
  );
}

/** Export for analysts, import for administrators: each button only where the role may open its screen. */
function BundlesPanel({ onExport, onImport }: { onExport?: () => void; onImport?: () => void }) {
  return (
    <section className="panel" aria-labelledby="bundles-panel-title" data-testid="home-bundles">
      <h2 id="bundles-panel-title">Bundles</h2>
      <p className="muted">Signed, marked bundles of models, runs and reports to and from other networks.</p>
      <div className="library-actions">
        {onExport && (
          <button type="button" className="button" onClick={onExport} data-testid="home-open-bundle-export">
            Export a bundle
          </button>
        )}
        {onImport && (
          <button type="button" className="button" onClick={onImport} data-testid="home-open-bundle-import">
            Import bundles
          </button>
        )}
      </div>
    </section>
  );
}

/** Only for administrators: update bundles brought in on media (the service checks each call anyway). */
function UpdatesPanel({ onOpenUpdates }: { onOpenUpdates: () => void }) {
  return (
    <section className="panel" aria-labelledby="updates-panel-title" data-testid="home-updates">
      <h2 id="updates-panel-title">Updates</h2>
      <p className="muted">Signed update bundles on media: app releases, trust anchors, CRLs, site settings, users.</p>
      <button type="button" className="button" onClick={onOpenUpdates} data-testid="home-open-updates">
        Open updates
      </button>
    </section>
  );
}

function EditorPanel({ onOpenEditor }: { onOpenEditor: () => void }) {
  return (
    <section className="panel" aria-labelledby="editor-panel-title">
      <h2 id="editor-panel-title">Models</h2>
      <p className="muted">Build a model from a blank page or an example template, and save it to the library.</p>
      <button type="button" className="button" onClick={onOpenEditor} data-testid="open-editor">
        Open the model editor
      </button>
    </section>
  );
}

export function HomeScreen({
  onOpenRun,
  onOpenAdmin,
  onOpenLibrary,
  onOpenEditor,
  onOpenReports,
  onOpenBundleExport,
  onOpenBundleImport,
  onOpenUpdates,
}: {
  onOpenRun?: () => void;
  onOpenAdmin?: () => void;
  onOpenLibrary?: () => void;
  onOpenEditor?: () => void;
  onOpenReports?: () => void;
  onOpenBundleExport?: () => void;
  onOpenBundleImport?: () => void;
  onOpenUpdates?: () => void;
}) {
  const info = useSystemState((s) => s.info);
  if (!info) return null;
  return (
    <main className="home" data-testid="app-home">
      <header className="home__header">
        <h1>{info.site.name}</h1>
        <p className="muted">
          {info.app.name} {info.app.version} · system high {info.site.systemHigh}
        </p>
      </header>
      <div className="panels">
        <section className="panel" aria-labelledby="workstation-title">
          <h2 id="workstation-title">Workstation</h2>
          <dl className="facts">
            <dt>Site</dt>
            <dd data-testid="site-name">{info.site.name}</dd>
            <dt>System high</dt>
            <dd>{info.site.systemHigh}</dd>
            <dt>Version</dt>
            <dd data-testid="app-version">{info.app.version}</dd>
            <dt>Consent</dt>
            <dd>
              acknowledged {info.consent.acknowledgedAt ? new Date(info.consent.acknowledgedAt).toLocaleString() : ''}
            </dd>
          </dl>
        </section>
        {onOpenRun && <SimulationPanel onOpenRun={onOpenRun} />}
        {onOpenLibrary && <LibraryPanel onOpenLibrary={onOpenLibrary} />}
        {onOpenEditor && <EditorPanel onOpenEditor={onOpenEditor} />}
        {onOpenReports && <ReportsPanel onOpenReports={onOpenReports} />}
        {(onOpenBundleExport || onOpenBundleImport) && (
          <BundlesPanel
            {...(onOpenBundleExport ? { onExport: onOpenBundleExport } : {})}
            {...(onOpenBundleImport ? { onImport: onOpenBundleImport } : {})}
          />
        )}
        {onOpenAdmin && <AdminPanel onOpenAdmin={onOpenAdmin} />}
        {onOpenUpdates && <UpdatesPanel onOpenUpdates={onOpenUpdates} />}
        <HealthPanel />
        <ComputePanel />
        <MarkingsPanel />
      </div>
    </main>
  );
}
