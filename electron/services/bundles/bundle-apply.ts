import { createHash } from 'node:crypto';
import { BundleRecordSchema, type BundleRecord } from '../../../common/bundle/bundle-record';
import { parseMarking, formatBanner, type MarkingPolicy } from '../../../common/markings';
import * as q from '../../db/queries/bundles';
import * as models from '../../db/queries/models';
import * as reports from '../../db/queries/reports';
import * as runs from '../../db/queries/runs';
import { canonicalJson } from '../models/model-canonical';
import { roleGrantee } from '../models/model-access';
import type { Workspace } from '../vault/vault-service';
import type { BundleInfo } from '../../../common/bundle/bundle-info';
import { keysOf } from './record-check';

/** Imported models and reports are read by analysts and viewers; the releasing administrator owns them. */
const READERS = ['analyst', 'viewer'] as const;

export class ApplyError extends Error {}

export interface ApplyContext {
  ws: Workspace;
  ownerId: number;
  info: BundleInfo;
  policy: MarkingPolicy;
  at: string;
}

/**
 * Applies one record, inside the release's transaction (the caller's): skipped when the same bytes
 * were applied before; otherwise stored under a local id and its origin kept, so later records and
 * bundles from the same site find it. Throws ApplyError for what cannot be applied (the transaction
 * then rolls back whole).
 */
export function applyRecord(context: ApplyContext, bytes: Buffer): 'applied' | 'already' {
  const { ws, info, at } = context;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (q.appliedRecord.get(ws.db, sha256)) return 'already';
  const record = BundleRecordSchema.parse(JSON.parse(bytes.toString('utf8')));
  const { key } = keysOf(record);
  const known = q.origin.get(ws.db, info.sourceSite, key);
  if (known) {
    if (known.recordSha256 === sha256) return 'already';
    throw new ApplyError(
      `${key} from ${info.sourceSite} was imported before with different content; the two cannot both be kept.`,
    );
  }
  const banner = bannerOf(record, context.policy);
  const localId = apply(context, record, banner);
  q.insertOrigin.run(ws.db, info.sourceSite, key, localId, sha256);
  q.insertAppliedRecord.run(ws.db, sha256, info.bundleId, record.kind, localId, at);
  return 'applied';
}

function bannerOf(record: BundleRecord, policy: MarkingPolicy): string {
  const parsed = parseMarking(record.portionMark.replace(/^\((.*)\)$/, '$1'), policy);
  if (!parsed.ok) throw new ApplyError(`the portion mark ${record.portionMark} does not parse`);
  return formatBanner(parsed.marking);
}

function provenance(context: ApplyContext, author: string, comment: string): string {
  return `Imported from ${context.info.sourceSite} (bundle ${context.info.bundleId}; author ${author}). ${comment}`.slice(
    0,
    2000,
  );
}

function localOf(context: ApplyContext, key: string): number {
  const found = q.origin.get(context.ws.db, context.info.sourceSite, key);
  if (!found) throw new ApplyError(`${key} from ${context.info.sourceSite} is not here`);
  return found.localId;
}

function apply(context: ApplyContext, record: BundleRecord, banner: string): number {
  const { ws, ownerId, at } = context;
  const db = ws.db;
  switch (record.kind) {
    case 'model-version': {
      const m = record.model;
      let modelId = q.origin.get(db, context.info.sourceSite, m.key)?.localId;
      if (modelId === undefined) {
        modelId = Number(models.insertModel.run(db, ownerId, m.name, banner, at, at).lastInsertRowid);
        q.insertOrigin.run(db, context.info.sourceSite, m.key, modelId, null);
        for (const role of READERS) models.insertShare.run(db, modelId, roleGrantee(role), 'read');
      }
      const next = (models.latestVersionNo.get(db, modelId)?.version ?? 0) + 1;
      const body = canonicalJson(m.body);
      const sha = createHash('sha256').update(body, 'utf8').digest('hex');
      models.insertVersion.run(
        db,
        modelId,
        next,
        ownerId,
        banner,
        body,
        provenance(context, m.author, m.comment),
        sha,
        m.createdAt,
      );
      models.touchModel.run(db, m.name, banner, at, modelId);
      return runs.versionRowId.get(db, modelId, next)!.id;
    }
    case 'run': {
      const r = record.run;
      const versionRow = localOf(context, `${r.model.key}@${r.model.version}`);
      return Number(
        runs.insertRun.run(
          db,
          versionRow,
          ownerId,
          banner,
          r.name,
          provenance(context, r.author, r.comment),
          String(r.seed),
          r.sampling,
          r.engine,
          r.engineDescription,
          r.iterations,
          r.appVersion,
          JSON.stringify(r.settings),
          JSON.stringify(r.results),
          r.startedAt ?? r.savedAt,
          r.finishedAt ?? r.savedAt,
          r.savedAt,
          null,
          'complete',
        ).lastInsertRowid,
      );
    }
    case 'report': {
      const r = record.report;
      const versionRowId = localOf(context, `${r.model.key}@${r.model.version}`);
      const local = models.versionById.get(db, versionRowId)!;
      const definition = {
        ...r.definition,
        model: { id: local.modelId, version: local.version },
        runs: r.runs.map((key) => localOf(context, key)),
      };
      let reportId = q.origin.get(db, context.info.sourceSite, r.key)?.localId;
      if (reportId === undefined) {
        reportId = Number(
          reports.insertReport.run(db, ownerId, r.title, banner, local.modelId, local.version, local.name, at, at)
            .lastInsertRowid,
        );
        q.insertOrigin.run(db, context.info.sourceSite, r.key, reportId, null);
        for (const role of READERS) reports.insertReportShare.run(db, reportId, roleGrantee(role), 'read');
      }
      const next = (reports.latestReportVersionNo.get(db, reportId)?.version ?? 0) + 1;
      const pdf = Buffer.from(r.pdf, 'base64');
      reports.insertReportVersion.run(
        db,
        reportId,
        next,
        ownerId,
        banner,
        JSON.stringify(definition),
        provenance(context, r.author, r.comment),
        r.createdAt,
        r.pdfSha256,
        pdf.length,
        pdf,
      );
      reports.touchReport.run(db, r.title, banner, local.modelId, local.version, local.name, at, reportId);
      return reportId;
    }
  }
}
