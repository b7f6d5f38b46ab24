import type { Marking, MarkingPolicy } from '../../common/markings';
import { siteMarkings } from '../../common/site/site-config';
import { loadSiteConfig } from '../../electron/services/system/site-config';
import { defaultDataDir, servicePaths } from '../app-paths';

/** The site's marking policy and system high, from the site configuration of the data directory (or ENCLAVE_SITE_CONFIG). */
export function loadSiteMarkings(dataDir: string | undefined): { policy: MarkingPolicy; systemHigh: Marking } {
  const paths = servicePaths(dataDir ?? defaultDataDir());
  return siteMarkings(loadSiteConfig({ resourcesDir: paths.resourcesDir, overridePath: paths.siteConfigPath }).config);
}
