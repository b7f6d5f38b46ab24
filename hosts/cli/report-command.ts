import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Model } from '../../common/model/model';
import type { AuthorityBlock, ReportDefinition } from '../../common/report/report-definition';
import { checkReportMarkings, type ReportMarkingSite } from '../../common/report/report-marking';
import { standardDefinition } from '../../common/report/standard-definition';
import { rendererDir } from '../app-paths';
import { findChromium } from '../chromium';
import { checkReportTargets, type ReportTargets } from './report-files';
import { loadReportSite } from './report-site';

/** `simulate`'s report options, as commander gives them. */
export interface ReportOptions {
  report?: string;
  xlsx?: string;
  csvDir?: string;
  force?: boolean;
  classifiedBy?: string;
  derivedFrom?: string;
  declassifyOn?: string;
}

const authorityText = (name: string) => (value: string) => {
  const text = value.trim();
  if (text.length === 0 || text.length > 300) throw new InvalidArgumentError(`${name} takes 1 to 300 characters`);
  return text;
};

export function addReportOptions(command: Command): Command {
  return command
    .option('--report <file.pdf>', "write the run's standard report as a PDF (printed by headless Chromium)")
    .option('--xlsx <file.xlsx>', 'with --report: write the report as an Excel workbook too')
    .option('--csv-dir <dir>', "with --report: write each of the report's tables as a CSV file in this folder")
    .option('--force', 'replace report files that exist already')
    .option(
      '--classified-by <text>',
      "a classified report's Classified By (else the site's default)",
      authorityText('--classified-by'),
    )
    .option(
      '--derived-from <text>',
      "a classified report's Derived From (else the site's default)",
      authorityText('--derived-from'),
    )
    .option(
      '--declassify-on <text>',
      "a classified report's Declassify On (else the site's default)",
      authorityText('--declassify-on'),
    );
}

/** The report as planned before the run: where it goes, what it is checked against, its definition less the run. */
export interface ReportPlan {
  targets: ReportTargets;
  site: ReportMarkingSite;
  definition: ReportDefinition;
}

type Planned = { ok: true; plan: ReportPlan | null } | { ok: false; message: string };

function authorityOf(options: ReportOptions): AuthorityBlock | null | string {
  const given = [options.classifiedBy, options.derivedFrom, options.declassifyOn];
  if (given.every((v) => v === undefined)) return null;
  if (given.some((v) => v === undefined))
    return '--classified-by, --derived-from and --declassify-on go together: give all three';
  return {
    classifiedBy: options.classifiedBy!,
    derivedFrom: options.derivedFrom!,
    declassifyOn: options.declassifyOn!,
  };
}

/** Who the report names as its author: the user running the CLI. */
function author(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/**
 * Everything about the report that can be known before the run, checked before the run so none
 * is wasted: the targets, Chromium and the print page, and the markings of the standard report
 * (every section's portion, the banner, the system high, the authority block), exactly as the app's
 * services check a report. Null when no report was asked for.
 */
export function planReport(options: ReportOptions, model: Model, dataDir: string | undefined): Planned {
  const targets = checkReportTargets(options);
  if (!targets.ok) return targets;
  if (targets.targets.pdf === null) return { ok: true, plan: null };
  const authority = authorityOf(options);
  if (typeof authority === 'string') return { ok: false, message: authority };
  if (!findChromium())
    return {
      ok: false,
      message:
        "--report prints with Chromium, which is not installed here: install Debian's chromium, or set ENCLAVE_CHROMIUM to its path; nothing was written",
    };
  if (!existsSync(join(rendererDir(), 'print.html')))
    return {
      ok: false,
      message: `the print page is not built (${join(rendererDir(), 'print.html')} is missing): run npm run build`,
    };
  let site: ReportMarkingSite;
  try {
    site = loadReportSite(dataDir);
  } catch (error) {
    return { ok: false, message: `cannot check the report's markings: ${(error as Error).message}` };
  }
  let definition: ReportDefinition;
  try {
    // The run is not made yet; only a second run would add a section (the comparison), so none is needed here.
    definition = {
      ...standardDefinition({
        model,
        modelRef: { id: 1, version: 1 },
        runIds: [1],
        author: author(),
        runs: [],
        policy: site.policy,
      }),
      authority,
    };
  } catch (error) {
    return { ok: false, message: `the report cannot be marked: ${(error as Error).message}` };
  }
  const verdict = checkReportMarkings(definition, [model], site);
  if (!verdict.ok) {
    const lines = verdict.problems.map((p) => `  ${p.where}${p.portion ? ` ${p.portion}` : ''}: ${p.message}`);
    if (verdict.problems.some((p) => p.where === 'the authority block'))
      lines.push('  (here: give --classified-by, --derived-from and --declassify-on)');
    return { ok: false, message: `the report's markings do not check; nothing was written:\n${lines.join('\n')}` };
  }
  return { ok: true, plan: { targets: targets.targets, site, definition } };
}
