import { ROLES } from '../../../common/access/roles';
import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { Model } from '../../../common/model/model';
import * as q from '../../db/queries/models';
import type { ServiceContext } from '../context';
import type { ServiceCall } from '../service-call';
import { assertStorable } from '../markings/marking-guard';
import { loadSiteConfig } from '../system/site-config';
import type { Workspace } from '../vault/vault-service';
import { canManage } from './model-access';
import { diffModels } from './model-diff';
import { readModelImport } from './model-import';
import * as lib from './model-library';
import { bannerOf } from './model-markings';
import { purgeExpiredTrash } from './model-trash';
import { grantsOf, shareModel } from './model-share';
import { ServiceError } from '../service-error';

const REFUSALS = new Set(['FORBIDDEN', 'ABOVE_SYSTEM_HIGH']);

/** Each method of a service, with its refusals handed to `record` before they reach the caller. */
function recordingRefusals<S extends Record<string, (request: never, call: ServiceCall) => unknown>>(
  record: (method: string, request: unknown, error: unknown) => void,
  service: S,
): S {
  const wrapped = Object.entries(service).map(([method, fn]) => [
    method,
    (request: never, call: ServiceCall) => {
      try {
        return fn(request, call);
      } catch (error) {
        record(method, request, error);
        throw error;
      }
    },
  ]);
  return Object.fromEntries(wrapped) as S;
}

/**
 * The models.* channels (docs/models.md). The router has checked the role's permission; this
 * service checks ownership and grants, the markings against the system high, and audits each change
 * with the user's name. `clock` is injectable so the trash's 30 days can be tested.
 */
export function createModelService(ctx: ServiceContext, clock: () => Date = () => new Date()) {
  const ws = () => ctx.vault.workspace();
  const site = () =>
    loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config;
  const audit = (w: Workspace, event: string, id: number, detail: Record<string, string | number | boolean | null>) =>
    w.audit.append({
      actor: w.user.actor,
      event,
      object: `model:${id}`,
      outcome: 'success',
      detail: { by: w.user.displayName, ...detail },
    });

  /** A new model (create, duplicate, import): checked, kept and audited in one transaction. */
  const keepNew = (w: Workspace, model: Model, comment: string, event: string, extra: Record<string, string> = {}) => {
    const banner = bannerOf(model, site());
    return w.db.transaction(() => {
      const { id, version } = lib.newModel(w, model, banner, comment, clock());
      audit(w, event, id, { name: model.name, banner, version: version.version, sha256: version.sha256, ...extra });
      return { model: lib.summaryById(w, id) };
    })();
  };

  /** A kept version, checked against today's system high before its content leaves the store. */
  const handleable = (row: q.VersionBodyRow) => {
    assertStorable(row.banner, site());
    return row;
  };

  const saveVersion = (w: Workspace, id: number, model: Model, comment: string, event: string, extra = {}) => {
    const banner = bannerOf(model, site());
    return w.db.transaction(() => {
      const version = lib.appendVersion(w, id, model, banner, comment, clock());
      audit(w, event, id, { name: model.name, banner, version: version.version, sha256: version.sha256, ...extra });
      return { model: lib.summaryById(w, id), version };
    })();
  };

  /** The service's own refusals go on record, as the router's role refusals do: who tried what, on which model. */
  const recordRefusal = (method: string, request: unknown, error: unknown) => {
    if (!(error instanceof ServiceError) || !REFUSALS.has(error.code)) return;
    const w = ctx.vault.current();
    if (!w) return;
    const model = (request as { id?: unknown } | null)?.id;
    w.audit.append({
      actor: w.user.actor,
      event: error.code === 'FORBIDDEN' ? 'access.denied' : 'model.refused',
      object: `models.${method}`,
      outcome: 'denied',
      detail: {
        by: w.user.displayName,
        code: error.code,
        model: typeof model === 'number' ? model : null,
        reason: error.message.slice(0, 300),
      },
    });
  };

  return recordingRefusals(recordRefusal, {
    list(request: RequestOf<'models', 'list'>): ResponseOf<'models', 'list'> {
      const w = ws();
      purgeExpiredTrash(w, clock());
      return { models: lib.listModels(w, request.search, request.trash ?? false) };
    },
    create(request: RequestOf<'models', 'create'>): ResponseOf<'models', 'create'> {
      return keepNew(ws(), request.model, request.comment ?? '', 'model.create');
    },
    open(request: RequestOf<'models', 'open'>): ResponseOf<'models', 'open'> {
      const w = ws();
      const { access } = lib.readable(w, request.id);
      const row = handleable(lib.version(w, request.id, request.version));
      const model = { ...lib.modelOf(row), name: q.modelById.get(w.db, request.id)!.name };
      const grants = access === 'owner' ? grantsOf(w, request.id) : null;
      return { summary: lib.summaryById(w, request.id), version: lib.versionOf(row), model, grants };
    },
    save(request: RequestOf<'models', 'save'>): ResponseOf<'models', 'save'> {
      const w = ws();
      lib.editable(w, request.id);
      return saveVersion(w, request.id, request.model, request.comment ?? '', 'model.save');
    },
    rename(request: RequestOf<'models', 'rename'>): ResponseOf<'models', 'rename'> {
      const w = ws();
      const { row } = lib.editable(w, request.id);
      return w.db.transaction(() => {
        q.renameModel.run(w.db, request.name, clock().toISOString(), request.id);
        audit(w, 'model.rename', request.id, { from: row.name, to: request.name });
        return { model: lib.summaryById(w, request.id) };
      })();
    },
    duplicate(request: RequestOf<'models', 'duplicate'>): ResponseOf<'models', 'duplicate'> {
      const w = ws();
      const { row } = lib.readable(w, request.id);
      const model = { ...lib.modelOf(lib.version(w, request.id)), name: request.name ?? `${row.name} (copy)` };
      return keepNew(w, model, `Copy of "${row.name}"`, 'model.duplicate', { from: `model:${request.id}` });
    },
    delete(request: RequestOf<'models', 'delete'>): ResponseOf<'models', 'delete'> {
      const w = ws();
      const { row, access } = lib.findModel(w, request.id);
      if (!canManage(access, w.user))
        throw new ServiceError('FORBIDDEN', `Only the owner or an administrator may delete "${row.name}".`);
      return w.db.transaction(() => {
        q.setModelDeleted.run(w.db, clock().toISOString(), w.user.actor, request.id);
        audit(w, 'model.delete', request.id, { name: row.name, purgeAfterDays: lib.TRASH_DAYS });
        return { model: lib.summaryById(w, request.id) };
      })();
    },
    restore(request: RequestOf<'models', 'restore'>): ResponseOf<'models', 'restore'> {
      const w = ws();
      const { row, access } = lib.findModel(w, request.id, { trashed: true });
      if (!canManage(access, w.user))
        throw new ServiceError('FORBIDDEN', `Only the owner or an administrator may restore "${row.name}".`);
      return w.db.transaction(() => {
        q.setModelDeleted.run(w.db, null, null, request.id);
        audit(w, 'model.restore', request.id, { name: row.name });
        return { model: lib.summaryById(w, request.id) };
      })();
    },
    versions(request: RequestOf<'models', 'versions'>): ResponseOf<'models', 'versions'> {
      const w = ws();
      lib.readable(w, request.id);
      return { versions: q.versionList.all(w.db, request.id) };
    },
    diff(request: RequestOf<'models', 'diff'>): ResponseOf<'models', 'diff'> {
      const w = ws();
      lib.readable(w, request.id);
      const before = lib.modelOf(handleable(lib.version(w, request.id, request.from)));
      const after = lib.modelOf(handleable(lib.version(w, request.id, request.to)));
      return { changes: diffModels(before, after).slice(0, 20_000) };
    },
    restoreVersion(request: RequestOf<'models', 'restoreVersion'>): ResponseOf<'models', 'restoreVersion'> {
      const w = ws();
      const { row } = lib.editable(w, request.id);
      const old = lib.modelOf(lib.version(w, request.id, request.version));
      const comment = request.comment ?? `Restored version ${request.version}`;
      return saveVersion(w, request.id, { ...old, name: row.name }, comment, 'model.restore-version', {
        restored: request.version,
      });
    },
    share(request: RequestOf<'models', 'share'>): ResponseOf<'models', 'share'> {
      const w = ws();
      const { row, access } = lib.findModel(w, request.id);
      if (access !== 'owner') throw new ServiceError('FORBIDDEN', `Only the owner may share "${row.name}".`);
      return shareModel(w, request.id, request.grants, (grants) =>
        audit(w, 'model.share', request.id, { name: row.name, grants }),
      );
    },
    shareTargets(): ResponseOf<'models', 'shareTargets'> {
      const w = ws();
      return { users: q.shareableUsers.all(w.db, w.user.id ?? 0), roles: [...ROLES] };
    },
    importFile(request: RequestOf<'models', 'importFile'>, call: ServiceCall): ResponseOf<'models', 'importFile'> {
      const w = ws();
      lib.authorId(w);
      const { name, model } = readModelImport(request.file, call, site());
      return keepNew(w, model, `Imported from ${name}`, 'model.import', { file: name });
    },
    exportFile(request: RequestOf<'models', 'exportFile'>): ResponseOf<'models', 'exportFile'> {
      const w = ws();
      const { row } = lib.readable(w, request.id);
      const version = handleable(lib.version(w, request.id, request.version));
      // The banner is checked again: a system high lowered since the save must not let it leave.
      const model = { ...lib.modelOf(version), name: row.name };
      const banner = bannerOf(model, site());
      audit(w, 'model.export', request.id, {
        name: row.name,
        banner,
        version: version.version,
        sha256: version.sha256,
      });
      const fileName = `${row.name.replace(/[^A-Za-z0-9 ._-]+/g, '_').slice(0, 200)}.enclave-model.json`;
      return { fileName, banner, text: `${JSON.stringify(model, null, 2)}\n` };
    },
  });
}
