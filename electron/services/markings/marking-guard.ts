import {
  bannerLevel,
  formatBanner,
  formatPortion,
  parseMarking,
  withinSystemHigh,
  type Marking,
} from '../../../common/markings';
import type { SiteConfig } from '../../../common/site/site-config';
import { siteMarkings } from '../../../common/site/site-config';
import { ServiceError } from '../service-error';

/**
 * The service-side marking gate: every object a service keeps or exports passes here first.
 * A marking that does not parse under the site's policy is INVALID_ARGUMENT; one above the
 * site's system high is ABOVE_SYSTEM_HIGH. Nothing is written in either case.
 */
export function assertStorable(marking: string, site: SiteConfig): Marking {
  const { policy, systemHigh } = siteMarkings(site);
  const parsed = parseMarking(marking, policy);
  if (!parsed.ok) {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `"${marking.slice(0, 120)}" is not a valid marking.`,
      parsed.issues.map((issue) => ({
        path: 'marking',
        message: issue.token ? `"${issue.token}" at ${issue.position}: ${issue.message}` : issue.message,
      })),
    );
  }
  if (!withinSystemHigh(systemHigh, parsed.marking, policy)) {
    throw new ServiceError(
      'ABOVE_SYSTEM_HIGH',
      `${formatBanner(parsed.marking)} is above this system's high-water mark (${formatBanner(systemHigh)}): it cannot be stored or handled here.`,
    );
  }
  return parsed.marking;
}

export function describeMarking(m: Marking) {
  return { banner: formatBanner(m), portion: formatPortion(m), bannerLevel: bannerLevel(m) };
}
