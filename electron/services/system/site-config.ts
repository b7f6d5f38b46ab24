import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SiteConfigOverrideSchema, SiteConfigSchema, type SiteConfig } from '../../../common/site/site-config';
import { issuesFromZod } from '../../../common/ipc/result';
import { ServiceError } from '../service-error';
import { siteNameProblem } from './site-name';

export interface SiteConfigSources {
  /** Shipped defaults: resources/site-config.default.json and resources/consent-banner.txt. */
  resourcesDir: string;
  /** The admin's override file, if any (site-config.json in the data directory, or ENCLAVE_SITE_CONFIG). */
  overridePath: string;
}

export interface LoadedSiteConfig {
  config: SiteConfig;
  consent: { title: string; text: string };
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ServiceError('MISCONFIGURED', `${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Loads and validates site configuration. Fails closed: an invalid file is an error, never a
 * silent fall-back to defaults, because the defaults are UNCLASSIFIED and a wrong banner is a
 * spillage risk.
 */
export function loadSiteConfig(sources: SiteConfigSources): LoadedSiteConfig {
  const override = existsSync(sources.overridePath)
    ? { what: sources.overridePath, value: readJson(sources.overridePath, 'The site configuration') }
    : null;
  return checkSiteConfig(sources.resourcesDir, override);
}

/**
 * The start-up checks on an override (parsed JSON) over the shipped defaults: what an update bundle's
 * site configuration passes before it is written, so that it is never one that would not start.
 */
export function checkSiteConfig(
  resourcesDir: string,
  override: { what: string; value: unknown } | null,
): LoadedSiteConfig {
  const defaults = readJson(join(resourcesDir, 'site-config.default.json'), 'The default site configuration');
  let merged: unknown = defaults;
  if (override) {
    const parsedOverride = SiteConfigOverrideSchema.safeParse(override.value);
    if (!parsedOverride.success) {
      throw new ServiceError(
        'MISCONFIGURED',
        `The site configuration ${override.what} is invalid.`,
        issuesFromZod(parsedOverride.error),
      );
    }
    merged = { ...(defaults as object), ...parsedOverride.data };
  }
  const parsed = SiteConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ServiceError('MISCONFIGURED', 'The site configuration is invalid.', issuesFromZod(parsed.error));
  }
  const nameProblem = siteNameProblem(parsed.data.siteName);
  if (nameProblem) throw new ServiceError('MISCONFIGURED', `The site configuration is invalid. ${nameProblem}`);
  const consent = parsed.data.consent ?? {
    title: 'U.S. Government Information System: Notice and Consent',
    text: readFileSync(join(resourcesDir, 'consent-banner.txt'), 'utf8').trim(),
  };
  return { config: parsed.data, consent };
}
