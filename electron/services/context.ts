import { join } from 'node:path';
import { LoginService } from './identity/login-service';
import { loadSiteConfig } from './system/site-config';
import { VaultService } from './vault/vault-service';

/** What every service gets: where things are, and this session's state. Lives in the service worker. */
export interface ServicePaths {
  dataDir: string;
  resourcesDir: string;
  siteConfigPath: string;
  /** An installed Enclave's install root (versions/, current): where update bundles put app releases. */
  installRoot?: string | undefined;
}

export interface SessionState {
  consentAcknowledgedAt: string | null;
}

export interface ServiceContext {
  paths: ServicePaths;
  startedAt: number;
  session: SessionState;
  /** The encrypted store, while unlocked: domain services take the signed-in workspace from here (docs/store.md). */
  vault: VaultService;
  /** The card login session, which unlocks and locks the vault: one per service worker (docs/login.md). */
  login: LoginService;
}

export function createContext(paths: ServicePaths): ServiceContext {
  // Site config is read at each use, so an invalid file fails the call that needs it (MISCONFIGURED), not the worker.
  const config = () => loadSiteConfig({ resourcesDir: paths.resourcesDir, overridePath: paths.siteConfigPath }).config;
  const vault = new VaultService(join(paths.dataDir, 'enclave.db'));
  const login = new LoginService({ vault, config });
  return { paths, startedAt: Date.now(), session: { consentAcknowledgedAt: null }, vault, login };
}
