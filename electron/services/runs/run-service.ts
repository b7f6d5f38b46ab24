import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import { assertStorable, describeMarking } from '../markings/marking-guard';
import { loadSiteConfig } from '../system/site-config';

/** The runs.* channels: the router has checked models.write; the marking and the record are this service's. */
export function createRunService(ctx: ServiceContext) {
  return {
    authorize(request: RequestOf<'runs', 'authorize'>): ResponseOf<'runs', 'authorize'> {
      const { audit, user } = ctx.vault.workspace();
      const site = loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath });
      const marking = describeMarking(assertStorable(request.marking, site.config));
      audit.append({
        actor: user.actor,
        event: 'run.start',
        object: request.model,
        outcome: 'success',
        detail: {
          marking: marking.banner,
          iterations: request.iterations,
          seed: request.seed,
          sampling: request.sampling,
        },
      });
      return marking;
    },
  };
}
