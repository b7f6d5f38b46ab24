import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import { ALL_CONTROLS, DEFAULT_SCI_SYSTEMS, DEFAULT_TETRAGRAPHS, formatBanner } from '../../../common/markings';
import { siteMarkings } from '../../../common/site/site-config';
import type { ServiceContext } from '../context';
import { assertStorable, describeMarking } from './marking-guard';
import { loadSiteConfig } from '../system/site-config';

export function createMarkingService(ctx: ServiceContext) {
  const site = () =>
    loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config;

  return {
    policy(): ResponseOf<'markings', 'policy'> {
      const config = site();
      const settings = config.markings ?? {};
      return {
        systemHigh: formatBanner(siteMarkings(config).systemHigh),
        settings: {
          controlsInUse: settings.controlsInUse ?? [...ALL_CONTROLS],
          sciSystems: settings.sciSystems ?? [...DEFAULT_SCI_SYSTEMS],
          extraCountryCodes: settings.extraCountryCodes ?? [],
          tetragraphs:
            settings.tetragraphs ??
            Object.fromEntries(Object.entries(DEFAULT_TETRAGRAPHS).map(([k, v]) => [k, [...v]])),
        },
      };
    },

    check(request: RequestOf<'markings', 'check'>): ResponseOf<'markings', 'check'> {
      return describeMarking(assertStorable(request.marking, site()));
    },
  };
}
