import { createDispatcher } from '../../electron/worker/dispatch';
import { ServiceHost } from '../../electron/worker/service-host';
import { DemoSwitchingServices } from '../../electron/main/demo-switch';
import { nodeBundle, rendererDir, servicePaths } from '../app-paths';
import { startBrowserHost, type BrowserHost } from './browser-host';
import { openReportPrinter } from '../report-print/chromium-printer';
import { APP_VERSION } from '../../common/version';

export interface HostSession {
  host: BrowserHost;
  /** The services; they move to the demonstration workstation's data directory if the person chooses it. */
  services: DemoSwitchingServices;
  close(): Promise<void>;
}

/** Service worker + dispatcher + browser host, as `npm start` (fallback path) and the tests use them. */
export async function startHostSession(options: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<HostSession> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // A hung card middleware: the services refuse every call from then on, so the page shows the lock
  // screen with the reason; the person restarts Enclave (the Electron shell ends its process itself).
  const services = new DemoSwitchingServices(
    (paths) =>
      new ServiceHost({
        workerPath: nodeBundle('service-worker.cjs'),
        paths,
        log,
        onHung: (message) => log(message),
      }),
    servicePaths(options.dataDir),
    log,
  );
  await services.start();
  const host = await startBrowserHost({
    rendererDir: rendererDir(),
    dispatch: createDispatcher(services, log),
    services,
    ...(options.port === undefined ? {} : { port: options.port }),
    log,
    // Headless Chromium over the same print page as Electron's hidden window, started on the first print.
    openPrinter: () => openReportPrinter({ rendererDir: rendererDir(), appVersion: APP_VERSION }),
  });
  return {
    host,
    services,
    async close() {
      await host.close();
      await services.stop();
    },
  };
}
