import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import { ReportDefinitionSchema } from '../../../common/report/report-definition';
import * as q from '../../db/queries/reports';
import type { ServiceContext } from '../context';
import { assertStorable } from '../markings/marking-guard';
import { canManage } from '../models/model-access';
import { canonicalJson } from '../models/model-canonical';
import { authorId } from '../models/model-library';
import { ServiceError } from '../service-error';
import { loadSiteConfig } from '../system/site-config';
import type { Workspace } from '../vault/vault-service';
import { markingRefusal, ReportRefusal, verdictOf } from './report-check';
import * as lib from './report-library';
import { pdfBytesOf, pdfFileName, pdfPieces, readArrivedPdf, sha256Of } from './report-pdf';
import { reportGrantsOf, shareReport } from './report-share';

type Detail = Record<string, string | number | boolean | null>;

/**
 * The reports.* channels (docs/reports.md). The router has checked the role; this service checks
 * the report's owner and grants (as models have them), and on every save, check and export that the
 * caller may read the definition's model version and runs and that its markings check
 * (common/report/report-marking.ts). A version's banner is the service's, never the request's, and
 * its PDF must carry that banner in its metadata; the PDF's SHA-256 is checked again whenever it
 * leaves. Saves, exports, shares, deletions and refusals are audited with the user's name.
 */
export function createReportService(ctx: ServiceContext, clock: () => Date = () => new Date()) {
  const ws = () => ctx.vault.workspace();
  const site = () =>
    loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config;
  const audit = (w: Workspace, event: string, object: string, detail: Detail) =>
    w.audit.append({
      actor: w.user.actor,
      event,
      object,
      outcome: 'success',
      detail: { by: w.user.displayName, ...detail },
    });

  /** The service's own refusals on the record: access as `access.denied`, the library's as `report.refused`. */
  const recordRefusal = (method: string, request: { id?: unknown }, error: unknown) => {
    const w = ctx.vault.current();
    if (!w || !(error instanceof ServiceError)) return;
    const library = error instanceof ReportRefusal || error.code === 'ABOVE_SYSTEM_HIGH';
    if (error.code !== 'FORBIDDEN' && !library) return;
    w.audit.append({
      actor: w.user.actor,
      event: error.code === 'FORBIDDEN' ? 'access.denied' : 'report.refused',
      object: `reports.${method}`,
      outcome: 'denied',
      detail: {
        by: w.user.displayName,
        code: error.code,
        report: typeof request.id === 'number' ? request.id : null,
        reason: error.message.slice(0, 1000),
      },
    });
  };
  const refused = <T>(method: string, request: { id?: unknown }, work: () => T): T => {
    try {
      const result = work();
      if (result instanceof Promise)
        return result.catch((error: unknown) => {
          recordRefusal(method, request, error);
          throw error;
        }) as T;
      return result;
    } catch (error) {
      recordRefusal(method, request, error);
      throw error;
    }
  };

  return {
    list(request: RequestOf<'reports', 'list'>): ResponseOf<'reports', 'list'> {
      return { reports: lib.listReports(ws(), request.model) };
    },

    open(request: RequestOf<'reports', 'open'>): ResponseOf<'reports', 'open'> {
      return refused('open', request, () => {
        const w = ws();
        const { access } = lib.readableReport(w, request.id);
        const row = lib.reportVersion(w, request.id, request.version);
        // A report kept under a system high since lowered does not leave the store.
        assertStorable(row.banner, site());
        return {
          report: lib.reportSummaryById(w, request.id),
          version: lib.versionOf(row),
          definition: ReportDefinitionSchema.parse(JSON.parse(row.definition)),
          grants: access === 'owner' ? reportGrantsOf(w, request.id) : null,
        };
      });
    },

    check(request: RequestOf<'reports', 'check'>): ResponseOf<'reports', 'check'> {
      return refused('check', {}, () => verdictOf(ws(), request.definition, site()).verdict);
    },

    save(request: RequestOf<'reports', 'save'>): Promise<ResponseOf<'reports', 'save'>> {
      return refused('save', request, async () => {
        const caller = ws();
        authorId(caller); // before reading the file: a session with no user keeps nothing
        const arrived = await readArrivedPdf(pdfBytesOf(request.pdf));
        // From here on nothing awaits: the checks and the write see the same store, for the same session.
        const w = ws();
        if (w.db !== caller.db || w.user !== caller.user)
          throw new ServiceError('UNAUTHENTICATED', 'The session changed while the PDF was read: nothing was kept.');
        const savedBy = authorId(w);
        if (request.id !== null) lib.editableReport(w, request.id);
        const config = site();
        const { definition } = request;
        const { modelName, verdict } = verdictOf(w, definition, config);
        if (!verdict.ok) throw markingRefusal(verdict.problems, config, 'kept');
        if (arrived.subject !== verdict.banner)
          throw new ReportRefusal(
            'INVALID_ARGUMENT',
            `The PDF is not this report's rendering: its metadata carries the banner ${arrived.subject === null ? '(none)' : `"${arrived.subject.slice(0, 200)}"`}, and the report's banner is ${verdict.banner}. Render it again from this definition.`,
          );
        const at = clock().toISOString();
        return w.db.transaction(() => {
          const { id: modelId, version: modelVersion } = definition.model;
          const id =
            request.id ??
            Number(
              q.insertReport.run(
                w.db,
                savedBy,
                definition.title,
                verdict.banner,
                modelId,
                modelVersion,
                modelName,
                at,
                at,
              ).lastInsertRowid,
            );
          const next = (q.latestReportVersionNo.get(w.db, id)?.version ?? 0) + 1;
          q.insertReportVersion.run(
            w.db,
            id,
            next,
            savedBy,
            verdict.banner,
            canonicalJson(definition),
            request.comment,
            at,
            arrived.sha256,
            arrived.bytes.length,
            arrived.bytes,
          );
          q.touchReport.run(w.db, definition.title, verdict.banner, modelId, modelVersion, modelName, at, id);
          audit(w, 'report.save', `report:${id}`, {
            title: definition.title,
            version: next,
            banner: verdict.banner,
            model: modelId,
            modelVersion,
            runs: definition.runs.join(','),
            sha256: arrived.sha256,
            bytes: arrived.bytes.length,
          });
          return { report: lib.reportSummaryById(w, id), version: lib.versionOf(lib.reportVersion(w, id, next)) };
        })();
      });
    },

    versions(request: RequestOf<'reports', 'versions'>): ResponseOf<'reports', 'versions'> {
      return refused('versions', request, () => {
        const w = ws();
        lib.readableReport(w, request.id);
        return { versions: q.reportVersionList.all(w.db, request.id).map(lib.versionOf) };
      });
    },

    pdf(request: RequestOf<'reports', 'pdf'>): ResponseOf<'reports', 'pdf'> {
      return refused('pdf', request, () => {
        const w = ws();
        const { row: report } = lib.readableReport(w, request.id);
        const row = lib.reportVersion(w, request.id, request.version);
        assertStorable(row.banner, site());
        const banner = row.banner;
        const bytes = q.reportPdf.get(w.db, request.id, request.version)!.pdf;
        const sha256 = sha256Of(bytes);
        if (sha256 !== row.pdfSha256 || bytes.length !== row.pdfBytes)
          throw new ReportRefusal(
            'FAILED_PRECONDITION',
            `The stored PDF of version ${row.version} of "${report.title}" failed its integrity check: its SHA-256 is not the one recorded when it was saved, so the store has been altered or damaged. It was not handed out; tell the administrator.`,
          );
        const fileName = pdfFileName(report.title, row.version);
        audit(w, 'report.export', `report:${request.id}`, {
          title: report.title,
          version: row.version,
          banner,
          format: 'pdf',
          file: fileName,
          sha256,
        });
        return { fileName, banner, sha256, pdf: pdfPieces(bytes) };
      });
    },

    recordExport(request: RequestOf<'reports', 'recordExport'>): ResponseOf<'reports', 'recordExport'> {
      return refused('recordExport', {}, () => {
        const w = ws();
        const config = site();
        const { definition } = request;
        const { verdict } = verdictOf(w, definition, config);
        const detail: Detail = {
          title: definition.title,
          model: definition.model.id,
          modelVersion: definition.model.version,
          runs: definition.runs.join(','),
          format: request.format,
          file: request.fileName,
        };
        if (verdict.ok)
          audit(w, 'report.export', `model:${definition.model.id}`, { ...detail, banner: verdict.banner });
        else
          // A refused export is on the record with its reason; the caller saves nothing.
          recordRefusal('recordExport', {}, markingRefusal(verdict.problems, config, 'exported'));
        return verdict;
      });
    },

    share(request: RequestOf<'reports', 'share'>): ResponseOf<'reports', 'share'> {
      return refused('share', request, () => {
        const w = ws();
        const { row, access } = lib.findReport(w, request.id);
        if (access !== 'owner') throw new ServiceError('FORBIDDEN', `Only the owner may share "${row.title}".`);
        return shareReport(w, request.id, request.grants, (grants) =>
          audit(w, 'report.share', `report:${request.id}`, { title: row.title, grants }),
        );
      });
    },

    delete(request: RequestOf<'reports', 'delete'>): ResponseOf<'reports', 'delete'> {
      return refused('delete', request, () => {
        const w = ws();
        const { row, access } = lib.findReport(w, request.id);
        if (!canManage(access, w.user))
          throw new ServiceError('FORBIDDEN', `Only the owner or an administrator may delete "${row.title}".`);
        return w.db.transaction(() => {
          const report = lib.reportSummaryById(w, request.id);
          q.deleteReport.run(w.db, request.id);
          audit(w, 'report.delete', `report:${request.id}`, { title: row.title, versions: row.versions });
          return { report };
        })();
      });
    },
  };
}
