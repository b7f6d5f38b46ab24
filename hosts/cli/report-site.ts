import { formatBanner } from '../../common/markings';
import type { ReportMarkingSite } from '../../common/report/report-marking';
import { siteMarkings } from '../../common/site/site-config';
import { loadSiteConfig } from '../../electron/services/system/site-config';
import { defaultDataDir, servicePaths } from '../app-paths';

/**
 * What a report is checked against, from the site configuration of the data directory (or
 * ENCLAVE_SITE_CONFIG), as the services read it: the marking policy, the system high, and the
 * authority-block defaults (`reports.authority`).
 */
export function loadReportSite(dataDir: string | undefined): ReportMarkingSite {
  const paths = servicePaths(dataDir ?? defaultDataDir());
  const { config } = loadSiteConfig({ resourcesDir: paths.resourcesDir, overridePath: paths.siteConfigPath });
  const { policy, systemHigh } = siteMarkings(config);
  return {
    policy,
    systemHigh: formatBanner(systemHigh),
    authorityDefaults: config.reports?.authority ?? null,
  };
}
