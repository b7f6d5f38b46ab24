import { existsSync } from 'node:fs';
import type { ServicePaths } from '../context';
import { isDemoWorkstation } from './demo-paths';
import { findSofthsmModule, SOFTHSM_MISSING } from './softhsm';

/**
 * Why the demonstration workstation may not be started from these services, or null when it may.
 * Checked by the service (setup.demoStatus, setup.startDemo) and again by the host that makes it.
 * Never on an operational workstation: not where a site configuration is installed, not where a
 * store exists.
 */
export function demoRefusal(paths: ServicePaths, storeExists: boolean): string | null {
  if (isDemoWorkstation(paths)) return 'This is the demonstration workstation already.';
  if (existsSync(paths.siteConfigPath))
    return `A site configuration is installed (${paths.siteConfigPath}): this workstation is for operational use, so the demonstration is not offered on it.`;
  if (storeExists)
    return 'This workstation is already set up, so the demonstration is not offered on it. Sign in with your card.';
  if (!findSofthsmModule()) return SOFTHSM_MISSING;
  return null;
}
