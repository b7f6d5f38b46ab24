import type { ResponseOf } from '../../../common/ipc/contract';
import * as q from '../../db/queries/runs';
import { readable } from '../models/model-library';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';
import type { SamplesLayout } from './sample-pages';

export type SavedRun = ResponseOf<'runs', 'list'>['runs'][number];

/** A run still being saved and not finished within this long is discarded. */
export const UPLOAD_MINUTES = 15;
/** Saves with samples one user may have in progress at once: the store's unfinished bytes stay bounded. */
export const MAX_UPLOADS = 3;

/** A saved run as the channels give it; `mayDelete`: its owner, or its model's owner. */
export function savedRunOf(row: q.RunRow, ws: Workspace): SavedRun {
  const samples = row.samples ? (JSON.parse(row.samples) as SamplesLayout) : null;
  return {
    id: row.id,
    model: { id: row.modelId, version: row.version, name: row.modelName },
    name: row.name,
    comment: row.comment,
    banner: row.banner,
    owner: { id: row.ownerId, name: row.ownerName },
    seed: Number(row.seed),
    sampling: row.sampling,
    engine: row.engine,
    engineDescription: row.engineDescription,
    iterations: row.iterations,
    appVersion: row.appVersion,
    settings: JSON.parse(row.settings) as SavedRun['settings'],
    startedAt: row.startedAt ?? row.savedAt,
    finishedAt: row.finishedAt ?? row.savedAt,
    savedAt: row.savedAt,
    samples: samples ? { ...samples, pages: row.pages, bytes: row.bytes } : null,
    mayDelete: ws.user.id !== null && (row.ownerId === ws.user.id || row.modelOwnerId === ws.user.id),
  };
}

const noRun = (id: number) => new ServiceError('FORBIDDEN', `There is no saved run ${id} that you may see.`);

/**
 * A finished run the user may read: whoever may read its model reads its runs (docs/runs.md). The
 * same refusal whether the run does not exist, is still being saved, or its model is not theirs.
 */
export function readableRun(ws: Workspace, id: number): q.RunRow {
  const row = q.runById.get(ws.db, id);
  if (!row || row.state !== 'complete') throw noRun(id);
  try {
    readable(ws, row.modelId);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'FORBIDDEN') throw noRun(id);
    throw error;
  }
  return row;
}

/** A run the signed-in user is saving now: theirs, and not yet finished. */
export function uploadingRun(ws: Workspace, id: number): q.RunRow {
  const row = q.runById.get(ws.db, id);
  if (!row || row.state !== 'uploading' || row.ownerId !== ws.user.id)
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `Run ${id} is not being saved by you now: save it again (an unfinished save is discarded after ${UPLOAD_MINUTES} minutes).`,
    );
  return row;
}

export function discardStaleUploads(ws: Workspace, now: Date): void {
  q.deleteStaleUploads.run(ws.db, new Date(now.getTime() - UPLOAD_MINUTES * 60_000).toISOString());
}
