import { createHash } from 'node:crypto';
import { RECORD_FORMAT } from '../../../common/bundle/bundle-format';
import { describeRecord, type BundleRecord } from '../../../common/bundle/bundle-record';
import { ReportDefinitionSchema } from '../../../common/report/report-definition';
import { RunResultsSchema, RunSettingsSchema } from '../../../common/ipc/channels/runs';
import { formatPortion, parseMarking, type Marking, type MarkingPolicy } from '../../../common/markings';
import * as reportQueries from '../../db/queries/reports';
import * as runQueries from '../../db/queries/runs';
import { canonicalJson } from '../models/model-canonical';
import { modelOf, readable, version as modelVersion } from '../models/model-library';
import { readableReport, reportVersion } from '../reports/report-library';
import { readableRun } from '../runs/run-library';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';

/** What an analyst picks for a bundle; dependencies (a run's model version, a report's runs) come with it. */
export type ExportPick =
  | { kind: 'model-version'; model: number; version: number }
  | { kind: 'run'; run: number }
  | { kind: 'report'; report: number; version: number };

/** A record ready to write: its file's bytes and what the preview shows of it. */
export interface ExportRecord {
  record: BundleRecord;
  bytes: Buffer;
  sha256: string;
  marking: Marking;
  banner: string;
  label: string;
  /** Picked by the analyst, or brought along because a picked record needs it. */
  picked: boolean;
}

/** A record without the fields every record has (distributed over the kinds). */
type RecordContent = BundleRecord extends infer R
  ? R extends BundleRecord
    ? Omit<R, 'portionMark' | 'format'>
    : never
  : never;

const iso = (at: string) => new Date(at).toISOString();

/**
 * The records of a pick, read with the caller's access (a model, run or report they may not read is
 * refused as not there), each model version once, in dependency order: model versions, runs, reports.
 */
export function collectRecords(ws: Workspace, picks: readonly ExportPick[], policy: MarkingPolicy): ExportRecord[] {
  const found = new Map<string, ExportRecord>();
  const markingOf = (banner: string, what: string): Marking => {
    const parsed = parseMarking(banner, policy);
    if (!parsed.ok)
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `The marking of ${what} ("${banner}") does not parse under this site's policy.`,
      );
    return parsed.marking;
  };
  const add = (key: string, record: RecordContent, banner: string, picked: boolean) => {
    const existing = found.get(key);
    if (existing) {
      existing.picked ||= picked;
      return;
    }
    const label = describeRecord({ ...record, format: RECORD_FORMAT, portionMark: 'U' } as BundleRecord);
    const marking = markingOf(banner, label);
    const full = { format: RECORD_FORMAT, portionMark: formatPortion(marking), ...record } as BundleRecord;
    const bytes = Buffer.from(`${canonicalJson(full)}\n`, 'utf8');
    found.set(key, {
      record: full,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      marking,
      banner,
      label,
      picked,
    });
  };
  const addModelVersion = (modelId: number, number: number, picked: boolean) => {
    const { row } = readable(ws, modelId);
    const v = modelVersion(ws, modelId, number);
    add(
      `model:${modelId}@${v.version}`,
      {
        kind: 'model-version',
        model: {
          key: `model:${modelId}`,
          name: row.name,
          version: v.version,
          comment: v.comment,
          author: v.author,
          createdAt: iso(v.createdAt),
          body: modelOf(v),
        },
      },
      v.banner,
      picked,
    );
  };
  const addRun = (runId: number, picked: boolean) => {
    const run = readableRun(ws, runId);
    addModelVersion(run.modelId, run.version, false);
    const results = runQueries.runResults.get(ws.db, runId)!.results;
    add(
      `run:${runId}`,
      {
        kind: 'run',
        run: {
          key: `run:${runId}`,
          model: { key: `model:${run.modelId}`, version: run.version },
          modelName: run.modelName,
          name: run.name,
          comment: run.comment,
          author: run.ownerName,
          seed: Number(run.seed),
          sampling: run.sampling,
          engine: run.engine,
          engineDescription: run.engineDescription,
          iterations: run.iterations,
          appVersion: run.appVersion,
          settings: RunSettingsSchema.parse(JSON.parse(run.settings)),
          results: RunResultsSchema.parse(JSON.parse(results)),
          startedAt: run.startedAt ? iso(run.startedAt) : null,
          finishedAt: run.finishedAt ? iso(run.finishedAt) : null,
          savedAt: iso(run.savedAt),
        },
      },
      run.banner,
      picked,
    );
  };
  for (const pick of picks) {
    if (pick.kind === 'model-version') addModelVersion(pick.model, pick.version, true);
    else if (pick.kind === 'run') addRun(pick.run, true);
    else {
      const { row } = readableReport(ws, pick.report);
      const v = reportVersion(ws, pick.report, pick.version);
      const definition = ReportDefinitionSchema.parse(JSON.parse(v.definition));
      addModelVersion(definition.model.id, definition.model.version, false);
      for (const run of definition.runs) addRun(run, false);
      const pdf = reportQueries.reportPdf.get(ws.db, pick.report, v.version)!.pdf;
      add(
        `report:${pick.report}@${v.version}`,
        {
          kind: 'report',
          report: {
            key: `report:${pick.report}`,
            title: row.title,
            version: v.version,
            comment: v.comment,
            author: v.savedBy,
            createdAt: iso(v.createdAt),
            model: { key: `model:${definition.model.id}`, version: definition.model.version },
            runs: definition.runs.map((id) => `run:${id}`),
            definition,
            pdf: pdf.toString('base64'),
            pdfSha256: createHash('sha256').update(pdf).digest('hex'),
          },
        },
        v.banner,
        true,
      );
    }
  }
  const order = { 'model-version': 0, run: 1, report: 2 } as const;
  return [...found.values()].sort((a, b) => order[a.record.kind] - order[b.record.kind]);
}
