import { join } from 'node:path';
import { LoginService } from './identity/login-service';
import { loadSiteConfig } from './system/site-config';

/** What every service gets: where things are, and this session's state. Lives in the service worker. */
export interface ServicePaths {
  dataDir: string;
  resourcesDir: string;
  siteConfigPath: string;
}

export interface SessionState {
  consentAcknowledgedAt: string | null;
}

export interface ServiceContext {
  paths: ServicePaths;
  startedAt: number;
  session: SessionState;
  /** The card login session: one per service worker (docs/login.md). */
  login: LoginService;
}

export function createContext(paths: ServicePaths): ServiceContext {
  // Site config is read at each use, so an invalid file fails the call that needs it (MISCONFIGURED), not the worker.
  const config = () => loadSiteConfig({ resourcesDir: paths.resourcesDir, overridePath: paths.siteConfigPath }).config;
  const login = new LoginService({ dbPath: join(paths.dataDir, 'enclave.db'), config });
  return { paths, startedAt: Date.now(), session: { consentAcknowledgedAt: null }, login };
}
