import type { IpcIssue } from '../../../common/ipc/result';
import type { ReportMarkingVerdict } from '../../../common/ipc/contract';
import { parseMarking, withinSystemHigh } from '../../../common/markings';
import type { Model } from '../../../common/model/model';
import type { ReportDefinition } from '../../../common/report/report-definition';
import { checkReportMarkings, type ReportMarkingSite } from '../../../common/report/report-marking';
import { siteMarkings, type SiteConfig } from '../../../common/site/site-config';
import { assertStorable } from '../markings/marking-guard';
import { modelOf, readable, version as modelVersion } from '../models/model-library';
import { readableRun } from '../runs/run-library';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';

/**
 * A refusal of the report library's own (markings that do not check, a PDF that is not the report's,
 * a stored PDF that fails its hash): put on the record as `report.refused`.
 */
export class ReportRefusal extends ServiceError {}

/** What the marking rules need of the site: its policy, system high and authority-block defaults. */
export function reportMarkingSite(site: SiteConfig): ReportMarkingSite {
  return {
    policy: siteMarkings(site).policy,
    systemHigh: site.systemHigh,
    authorityDefaults: site.reports?.authority ?? null,
  };
}

/**
 * The model versions a definition reports on, as the marking rules take them: the definition's
 * version first, then each other version its runs are of. The caller must be able to read the model
 * (and so its runs); the version must exist; every run must be a saved run of that model, named once.
 * Each version is checked against today's system high before its content is used.
 */
export function modelsOf(ws: Workspace, definition: ReportDefinition, site: SiteConfig) {
  const { id, version } = definition.model;
  const { row } = readable(ws, id);
  const described = modelVersion(ws, id, version);
  const problems: IpcIssue[] = [];
  const others = new Map<number, Model>();
  definition.runs.forEach((runId, i) => {
    const run = readableRun(ws, runId);
    if (definition.runs.indexOf(runId) !== i)
      problems.push({ path: `runs.${i}`, message: `run ${runId} is named twice` });
    else if (run.modelId !== id)
      problems.push({
        path: `runs.${i}`,
        message: `run ${runId} ("${run.name || runId}") is a run of "${run.modelName}", not of the report's model "${row.name}"`,
      });
    else if (run.version !== version && !others.has(run.version)) {
      const kept = modelVersion(ws, id, run.version);
      assertStorable(kept.banner, site);
      others.set(run.version, modelOf(kept));
    }
  });
  if (problems.length > 0)
    throw new ServiceError('INVALID_ARGUMENT', `The report's runs are not all runs of "${row.name}".`, problems);
  assertStorable(described.banner, site);
  return { modelName: row.name, models: [modelOf(described), ...others.values()] };
}

/** A definition's verdict under the site's rules, after the access checks of modelsOf. */
export function verdictOf(ws: Workspace, definition: ReportDefinition, site: SiteConfig) {
  const { modelName, models } = modelsOf(ws, definition, site);
  return { modelName, verdict: checkReportMarkings(definition, models, reportMarkingSite(site)) };
}

type Problem = Extract<ReportMarkingVerdict, { ok: false }>['problems'][number];

const described = (p: Problem) => `${p.where}${p.portion ? ` ${p.portion}` : ''}: ${p.message}`;

/**
 * The refusal of a definition whose markings do not check: every problem named (where, portion,
 * why), ABOVE_SYSTEM_HIGH when a portion it names is above the system high, else INVALID_ARGUMENT.
 */
export function markingRefusal(problems: readonly Problem[], site: SiteConfig, action: string): ReportRefusal {
  const { policy, systemHigh } = siteMarkings(site);
  const above = problems.some((p) => {
    const parsed = parseMarking(p.portion, policy);
    return parsed.ok && !withinSystemHigh(systemHigh, parsed.marking, policy);
  });
  const count = problems.length === 1 ? 'one marking problem' : `${problems.length} marking problems`;
  let message = `The report cannot be ${action}: ${count}. ${problems.map(described).join('; ')}`;
  if (message.length > 4000) message = `${message.slice(0, 3990)} …`;
  const issues = problems.slice(0, 100).map((p) => ({
    path: p.where.slice(0, 512),
    message: `${p.portion ? `${p.portion}: ` : ''}${p.message}`.slice(0, 1024),
  }));
  return new ReportRefusal(above ? 'ABOVE_SYSTEM_HIGH' : 'INVALID_ARGUMENT', message, issues);
}
