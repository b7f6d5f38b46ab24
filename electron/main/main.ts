import { app, BrowserWindow, dialog, session } from 'electron';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createDispatcher } from '../worker/dispatch';
import { defaultDataDir, servicePathsFor } from '../services/system/data-dir';
import { ServiceHost } from '../worker/service-host';
import { DemoSwitchingServices } from './demo-switch';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { cliArguments, runCliMode, type CliBundle } from './cli-mode';
import { guardAllWebContents, hardenSession } from './hardening';
import { registerIpc } from './ipc-bridge';
import { createMainWindow } from './main-window';
import { createElectronReportPrinter } from './report-print';
import { devtoolsAllowed, remoteDebuggingRefusal } from './shell-policy';

// Electron main: lifecycle, the window, the app:// protocol and IPC registration. All real work
// happens in the service worker thread.

// First of all: a packaged build never runs with a remote-debugging endpoint (no fuse covers it).
const refusal = remoteDebuggingRefusal(process.argv, app.isPackaged, process.platform);
if (refusal) {
  process.stderr.write(`[enclave] ${refusal}\n`);
  process.exit(2);
}
// Everything the app and its services write is the owner's alone (the worker thread cannot set it).
process.umask(0o077);
const devtools = devtoolsAllowed(process.argv, app.isPackaged);
const appDir = app.getAppPath();
const log = (line: string) => process.stderr.write(`[enclave] ${line}\n`);

const cliArgs = cliArguments(process.argv);

if (cliArgs) {
  // `enclave …` from the installed package: no window, no GPU, no single-instance lock.
  app.disableHardwareAcceleration();
  void runCliMode(
    () => createRequire(__filename)(join(appDir, 'dist', 'node', 'cli.cjs')) as CliBundle,
    cliArgs,
    (code) => app.exit(code),
  );
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  guardAllWebContents({ devtools });
  if (process.platform === 'linux') {
    app.commandLine.appendSwitch('enable-unsafe-webgpu');
    app.commandLine.appendSwitch('enable-features', 'Vulkan');
  }

  let mainWindow: BrowserWindow | null = null;
  const trustedContents = new Set<number>();
  // The services; on a workstation not yet set up they may become the demonstration workstation (docs/demo.md).
  const services = new DemoSwitchingServices(
    (paths) =>
      new ServiceHost({
        workerPath: join(appDir, 'dist', 'node', 'service-worker.cjs'),
        paths,
        log,
        // A card middleware stuck in native code cannot be stopped, and its thread may hold the data
        // key: say why, then end the process (fail shut).
        onHung: (message) => {
          dialog.showErrorBox('Enclave closed', message);
          app.exit(75);
        },
      }),
    // The same data directory as the CLI's (`enclave --data-dir`), not Electron's userData.
    servicePathsFor(defaultDataDir(), join(appDir, 'resources')),
    log,
  );

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void services.stop());

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, { devtools });
    serveRenderer(session.defaultSession, join(appDir, 'dist', 'renderer'));
    await services.start();
    registerIpc(
      createDispatcher(services, log),
      services,
      trustedContents,
      createElectronReportPrinter(join(appDir, 'dist', 'renderer')),
    );
    mainWindow = createMainWindow({ preloadPath: join(appDir, 'dist', 'node', 'preload.cjs'), devtools });
    trustedContents.add(mainWindow.webContents.id);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  });
}
