import { MAX_KEPT_VALUES, type RequestOf, type ResponseOf } from '../../../common/ipc/contract';
import { APP_VERSION } from '../../../common/version';
import * as q from '../../db/queries/runs';
import type { ServiceContext } from '../context';
import { assertStorable, describeMarking } from '../markings/marking-guard';
import { authorId, modelOf, readable, version as modelVersion } from '../models/model-library';
import { ServiceError } from '../service-error';
import { loadSiteConfig } from '../system/site-config';
import type { Workspace } from '../vault/vault-service';
import { discardStaleUploads, MAX_UPLOADS, readableRun, savedRunOf, uploadingRun } from './run-library';
import { base64Pieces, checkedPage, pageCountOf, rawBytesOf, type SamplesLayout } from './sample-pages';

type Detail = Record<string, string | number | boolean | null>;

/** Names listed twice, or a sample layout that does not match the model version's inputs and outputs. */
function checkLayout(layout: SamplesLayout, inputs: readonly string[], outputs: readonly string[], iterations: number) {
  const problems: string[] = [];
  if (layout.iterations > iterations)
    problems.push(`it keeps ${layout.iterations} iterations of a run of ${iterations}`);
  const values = layout.iterations * (layout.inputs.length + layout.outputs.length);
  if (values > MAX_KEPT_VALUES)
    problems.push(
      `it keeps ${values.toLocaleString('en-US')} values; a saved run keeps at most ${MAX_KEPT_VALUES.toLocaleString('en-US')}`,
    );
  if (new Set(layout.inputs).size !== layout.inputs.length) problems.push('an input is listed twice');
  const unknown = layout.inputs.filter((name) => !inputs.includes(name));
  if (unknown.length) problems.push(`the model version has no input ${unknown.join(', ')}`);
  if (layout.outputs.join('\n') !== outputs.join('\n'))
    problems.push(`its outputs are not the model version's (${outputs.join(', ')})`);
  if (problems.length)
    throw new ServiceError('INVALID_ARGUMENT', `The samples cannot be kept: ${problems.join('; ')}.`);
}

/**
 * The runs.* channels (docs/runs.md). The router has checked the role; this service checks the
 * model's access (whoever may read a model may read its runs), sets a run's marking from its model
 * version, keeps samples only once every page has arrived and checked, and audits each run, save
 * and delete with the user's name. `clock` is injectable so the discarding of unfinished saves can be tested.
 */
export function createRunService(ctx: ServiceContext, clock: () => Date = () => new Date()) {
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
  const runDetail = (row: q.RunRow): Detail => ({
    model: row.modelId,
    version: row.version,
    name: row.name,
    marking: row.banner,
    seed: row.seed,
    iterations: row.iterations,
    samples: row.samples !== null,
  });

  /** The service's own refusals on the record, as the router's role refusals are. */
  const refused = <T>(method: string, request: { id?: number; model?: unknown }, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      const w = ctx.vault.current();
      if (w && error instanceof ServiceError && (error.code === 'FORBIDDEN' || error.code === 'ABOVE_SYSTEM_HIGH'))
        w.audit.append({
          actor: w.user.actor,
          event: error.code === 'FORBIDDEN' ? 'access.denied' : 'run.refused',
          object: `runs.${method}`,
          outcome: 'denied',
          detail: {
            by: w.user.displayName,
            code: error.code,
            run: request.id ?? null,
            reason: error.message.slice(0, 300),
          },
        });
      throw error;
    }
  };

  return {
    authorize(request: RequestOf<'runs', 'authorize'>): ResponseOf<'runs', 'authorize'> {
      return refused('authorize', {}, () => {
        const w = ws();
        let banner = request.marking;
        let object = request.model;
        const extra: Detail = {};
        if (request.library) {
          // A library model's marking is the kept version's, never the page's word for it.
          readable(w, request.library.id);
          banner = modelVersion(w, request.library.id, request.library.version).banner;
          object = `model:${request.library.id}`;
          extra.version = request.library.version;
        }
        const marking = describeMarking(assertStorable(banner, site()));
        audit(w, 'run.start', object, {
          marking: marking.banner,
          iterations: request.iterations,
          seed: request.seed,
          sampling: request.sampling,
          ...extra,
        });
        return marking;
      });
    },

    save(request: RequestOf<'runs', 'save'>): ResponseOf<'runs', 'save'> {
      return refused('save', {}, () => {
        const w = ws();
        const owner = authorId(w);
        const { id: modelId, version } = request.model;
        readable(w, modelId);
        const kept = modelVersion(w, modelId, version);
        const banner = describeMarking(assertStorable(kept.banner, site())).banner;
        const model = modelOf(kept);
        const outputs = model.outputs;
        const missing = outputs.filter((name) => !request.results.outputs[name] || !request.results.sensitivity[name]);
        if (missing.length || Object.keys(request.results.outputs).length !== outputs.length)
          throw new ServiceError(
            'INVALID_ARGUMENT',
            `The results are not those of version ${version}: its outputs are ${outputs.join(', ')}.`,
          );
        if (request.samples)
          checkLayout(
            request.samples,
            model.inputs.map((i) => i.name),
            outputs,
            request.iterations,
          );
        const now = clock();
        return w.db.transaction(() => {
          discardStaleUploads(w, now);
          if (request.samples && (q.uploadsOf.get(w.db, owner)?.n ?? 0) >= MAX_UPLOADS)
            throw new ServiceError(
              'FAILED_PRECONDITION',
              `You have ${MAX_UPLOADS} runs with samples being saved already: let them finish (or discard them) first.`,
            );
          const versionRow = q.versionRowId.get(w.db, modelId, version)!;
          const id = Number(
            q.insertRun.run(
              w.db,
              versionRow.id,
              owner,
              banner,
              request.name.trim(),
              request.comment,
              String(request.seed),
              request.sampling,
              request.engine,
              request.engineDescription,
              request.iterations,
              APP_VERSION,
              JSON.stringify(request.settings),
              JSON.stringify(request.results),
              request.startedAt,
              request.finishedAt,
              now.toISOString(),
              request.samples ? JSON.stringify(request.samples) : null,
              request.samples ? 'uploading' : 'complete',
            ).lastInsertRowid,
          );
          const row = q.runById.get(w.db, id)!;
          if (!request.samples) audit(w, 'run.save', `run:${id}`, runDetail(row));
          return { run: savedRunOf(row, w), pages: request.samples ? pageCountOf(request.samples) : 0 };
        })();
      });
    },

    putSamples(request: RequestOf<'runs', 'putSamples'>): ResponseOf<'runs', 'putSamples'> {
      const w = ws();
      const row = uploadingRun(w, request.id);
      const layout = JSON.parse(row.samples!) as SamplesLayout;
      const pages = pageCountOf(layout);
      try {
        if (request.page !== row.pages || request.page >= pages)
          throw new ServiceError(
            'INVALID_ARGUMENT',
            `Page ${request.page} of the samples came out of order: page ${row.pages} of ${pages} was next.`,
          );
        q.insertSamplePage.run(w.db, request.id, request.page, checkedPage(layout, request.page, request.data));
      } catch (error) {
        // One bad page and the whole save is discarded: a half-kept run is never visible.
        q.deleteRun.run(w.db, request.id);
        throw error;
      }
      return { received: request.page + 1 };
    },

    completeSamples(request: RequestOf<'runs', 'completeSamples'>): ResponseOf<'runs', 'completeSamples'> {
      const w = ws();
      const row = uploadingRun(w, request.id);
      const layout = JSON.parse(row.samples!) as SamplesLayout;
      const pages = pageCountOf(layout);
      if (row.pages !== pages) {
        q.deleteRun.run(w.db, request.id);
        throw new ServiceError(
          'INVALID_ARGUMENT',
          `Only ${row.pages} of the ${pages} pages of samples arrived (${rawBytesOf(layout).toLocaleString('en-US')} bytes declared): the run was not kept.`,
        );
      }
      return w.db.transaction(() => {
        q.setRunComplete.run(w.db, clock().toISOString(), request.id);
        const done = q.runById.get(w.db, request.id)!;
        audit(w, 'run.save', `run:${request.id}`, { ...runDetail(done), bytes: done.bytes });
        return { run: savedRunOf(done, w) };
      })();
    },

    list(request: RequestOf<'runs', 'list'>): ResponseOf<'runs', 'list'> {
      return refused('list', { model: request.model }, () => {
        const w = ws();
        readable(w, request.model);
        return { runs: q.completeRunsOfModel.all(w.db, request.model).map((row) => savedRunOf(row, w)) };
      });
    },

    open(request: RequestOf<'runs', 'open'>): ResponseOf<'runs', 'open'> {
      return refused('open', request, () => {
        const w = ws();
        const row = readableRun(w, request.id);
        // A run kept under a system high since lowered does not leave the store.
        assertStorable(row.banner, site());
        const results = JSON.parse(q.runResults.get(w.db, request.id)!.results) as ResponseOf<
          'runs',
          'open'
        >['results'];
        return { run: savedRunOf(row, w), results };
      });
    },

    samples(request: RequestOf<'runs', 'samples'>): ResponseOf<'runs', 'samples'> {
      return refused('samples', request, () => {
        const w = ws();
        const row = readableRun(w, request.id);
        assertStorable(row.banner, site());
        if (!row.samples) throw new ServiceError('FAILED_PRECONDITION', `Run ${request.id} kept no samples.`);
        const page = q.samplePage.get(w.db, request.id, request.page);
        if (!page)
          throw new ServiceError('INVALID_ARGUMENT', `Run ${request.id} has pages 0 to ${row.pages - 1} of samples.`);
        return { page: request.page, pages: row.pages, data: base64Pieces(page.data.toString('base64')) };
      });
    },

    delete(request: RequestOf<'runs', 'delete'>): ResponseOf<'runs', 'delete'> {
      return refused('delete', request, () => {
        const w = ws();
        const pending = q.runById.get(w.db, request.id);
        if (pending?.state === 'uploading' && pending.ownerId === w.user.id) {
          q.deleteRun.run(w.db, request.id); // an unfinished save of one's own, discarded
          return { deleted: request.id };
        }
        const row = readableRun(w, request.id);
        if (!savedRunOf(row, w).mayDelete)
          throw new ServiceError(
            'FORBIDDEN',
            `Only the one who saved run "${row.name || row.id}" or the model's owner may delete it.`,
          );
        return w.db.transaction(() => {
          q.deleteRun.run(w.db, request.id);
          audit(w, 'run.delete', `run:${request.id}`, runDetail(row));
          return { deleted: request.id };
        })();
      });
    },

    recordExport(request: RequestOf<'runs', 'recordExport'>): ResponseOf<'runs', 'recordExport'> {
      return refused('recordExport', request, () => {
        const w = ws();
        // The marking the export carries is the store's where the store has it, never the page's word.
        let banner = request.marking;
        let object = request.model;
        if (request.run !== undefined) {
          const row = readableRun(w, request.run);
          banner = row.banner;
          object = `run:${request.run}`;
        } else if (request.library) {
          readable(w, request.library.id);
          banner = modelVersion(w, request.library.id, request.library.version).banner;
          object = `model:${request.library.id}`;
        }
        const marking = describeMarking(assertStorable(banner, site()));
        audit(w, 'run.export', object, {
          marking: marking.banner,
          rows: request.rows,
          columns: request.columns,
          file: request.fileName,
          ...(request.library ? { version: request.library.version } : {}),
        });
        return marking;
      });
    },
  };
}
