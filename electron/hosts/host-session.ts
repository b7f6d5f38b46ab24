import { createDispatcher } from '../ipc/dispatch';
import { ServiceHost } from '../services/service-host';
import { nodeBundle, rendererDir, servicePaths } from './app-paths';
import { startBrowserHost, type BrowserHost } from './browser-host';

export interface HostSession {
  host: BrowserHost;
  services: ServiceHost;
  close(): Promise<void>;
}

/** Service worker + dispatcher + browser host, as `npm start` (fallback path) and the tests use them. */
export async function startHostSession(options: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<HostSession> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const services = new ServiceHost({ workerPath: nodeBundle('service-worker.cjs'), paths: servicePaths(options.dataDir), log });
  await services.start();
  const host = await startBrowserHost({
    rendererDir: rendererDir(),
    dispatch: createDispatcher(services, log),
    ...(options.port === undefined ? {} : { port: options.port }),
    log,
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
