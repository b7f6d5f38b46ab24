import { createHash } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { APP_NAME, APP_VERSION } from '../../../common/version';
import { bannerLevel, formatBanner } from '../../../common/markings';
import { siteMarkings } from '../../../common/site/site-config';
import type { ResponseOf, RequestOf } from '../../../common/ipc/contract';
import { checkSqlCipherEngine } from '../../../native/sqlite/engine-check';
import type { ServiceContext } from '../context';
import { checkDataDirWritable, prepareDataDir } from './data-dir';
import { ServiceError } from '../service-error';
import { loadSiteConfig, type LoadedSiteConfig } from './site-config';
import { storeHealth } from '../vault/store-health';
import { isDemoWorkstation } from '../demo/demo-paths';

function consentId(consent: LoadedSiteConfig['consent']): string {
  return createHash('sha256').update(consent.title).update('\n').update(consent.text).digest('hex');
}

export function createSystemService(ctx: ServiceContext) {
  try {
    prepareDataDir(ctx.paths.dataDir); // at the worker's start
  } catch {
    // Not ours to change, or not creatable here: the health check and first-run setup report it.
  }
  const site = () => loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath });

  return {
    info(): ResponseOf<'system', 'info'> {
      const { config, consent } = site();
      const { systemHigh } = siteMarkings(config);
      return {
        app: { name: APP_NAME, version: APP_VERSION },
        site: { name: config.siteName, systemHigh: formatBanner(systemHigh), bannerLevel: bannerLevel(systemHigh) },
        demo: isDemoWorkstation(ctx.paths),
        consent: {
          id: consentId(consent),
          title: consent.title,
          text: consent.text,
          acknowledgedAt: ctx.session.consentAcknowledgedAt,
        },
      };
    },

    acknowledgeConsent(request: RequestOf<'system', 'acknowledgeConsent'>): ResponseOf<'system', 'acknowledgeConsent'> {
      // The renderer must name the exact text it showed: a notice changed by the admin since then
      // has not been acknowledged.
      if (request.consentId !== consentId(site().consent)) {
        throw new ServiceError(
          'FAILED_PRECONDITION',
          'The notice and consent text has changed. Read it again before acknowledging.',
        );
      }
      ctx.session.consentAcknowledgedAt ??= new Date().toISOString();
      return { acknowledgedAt: ctx.session.consentAcknowledgedAt };
    },

    health(): ResponseOf<'system', 'health'> {
      const checks = [
        {
          name: 'service-worker',
          ok: true,
          detail: `thread ${threadId}, up ${Math.round((Date.now() - ctx.startedAt) / 1000)} s`,
        },
        { name: 'data-directory', ...checkDataDirWritable(ctx.paths.dataDir) },
        { name: 'encrypted-store-engine', ...checkSqlCipherEngine() },
        { name: 'encrypted-store', ...storeHealth(ctx.paths.dataDir) },
      ];
      try {
        site();
        checks.push({ name: 'site-config', ok: true, detail: 'valid' });
      } catch (error) {
        checks.push({ name: 'site-config', ok: false, detail: (error as Error).message });
      }
      return {
        status: checks.every((check) => check.ok) ? 'ok' : 'degraded',
        uptimeSeconds: (Date.now() - ctx.startedAt) / 1000,
        checks,
      };
    },
  };
}
