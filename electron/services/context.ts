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
}

export function createContext(paths: ServicePaths): ServiceContext {
  return { paths, startedAt: Date.now(), session: { consentAcknowledgedAt: null } };
}
