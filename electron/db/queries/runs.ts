import { sql } from './sql';

/** The `runs` and `run_sample_pages` tables: saved runs of model versions (docs/runs.md). */
export interface RunRow {
  id: number;
  modelId: number;
  modelName: string;
  modelOwnerId: number;
  version: number;
  ownerId: number;
  ownerName: string;
  banner: string;
  name: string;
  comment: string;
  seed: string;
  sampling: 'mc' | 'lhs';
  engine: 'cpu' | 'webgpu';
  engineDescription: string;
  iterations: number;
  appVersion: string;
  settings: string;
  startedAt: string | null;
  finishedAt: string | null;
  savedAt: string;
  samples: string | null;
  state: 'uploading' | 'complete';
  pages: number;
  bytes: number;
}

const RUN_COLUMNS = `r.id, m.id AS modelId, m.name AS modelName, m.owner_id AS modelOwnerId, v.version,
  r.owner_id AS ownerId, u.display_name AS ownerName, r.marking AS banner, r.name, r.comment, r.seed, r.sampling,
  r.engine, r.engine_description AS engineDescription, r.iterations, r.app_version AS appVersion, r.settings,
  r.started_at AS startedAt, r.finished_at AS finishedAt, r.created_at AS savedAt, r.samples, r.state,
  (SELECT count(*) FROM run_sample_pages p WHERE p.run_id = r.id) AS pages,
  (SELECT COALESCE(sum(length(p.data)), 0) FROM run_sample_pages p WHERE p.run_id = r.id) AS bytes
  FROM runs r JOIN model_versions v ON v.id = r.model_version_id JOIN models m ON m.id = v.model_id
  JOIN users u ON u.id = r.owner_id`;

export const runById = sql<[id: number], RunRow>(`SELECT ${RUN_COLUMNS} WHERE r.id = ?`);

/** The finished runs of every version of a model, newest first (who may read them is the model's question). */
export const completeRunsOfModel = sql<[modelId: number], RunRow>(
  `SELECT ${RUN_COLUMNS} WHERE v.model_id = ? AND r.state = 'complete' ORDER BY r.created_at DESC, r.id DESC`,
);

/** The results JSON of a run (kept in schema 1's `summary` column). */
export const runResults = sql<[id: number], { results: string }>('SELECT summary AS results FROM runs WHERE id = ?');

export const versionRowId = sql<[modelId: number, version: number], { id: number; banner: string }>(
  'SELECT id, marking AS banner FROM model_versions WHERE model_id = ? AND version = ?',
);

export const insertRun = sql<
  [
    modelVersionId: number,
    ownerId: number,
    banner: string,
    name: string,
    comment: string,
    seed: string,
    sampling: string,
    engine: string,
    engineDescription: string,
    iterations: number,
    appVersion: string,
    settings: string,
    results: string,
    startedAt: string,
    finishedAt: string,
    savedAt: string,
    samples: string | null,
    state: 'uploading' | 'complete',
  ]
>(
  `INSERT INTO runs (model_version_id, owner_id, marking, name, comment, seed, sampling, engine, engine_description,
     iterations, app_version, settings, summary, started_at, finished_at, created_at, samples, state)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
export const setRunComplete = sql<[savedAt: string, id: number]>(
  "UPDATE runs SET state = 'complete', created_at = ? WHERE id = ?",
);
export const deleteRun = sql<[id: number]>('DELETE FROM runs WHERE id = ?');
/** Runs whose samples never finished arriving, begun before the cutoff: discarded (pages go with them). */
export const deleteStaleUploads = sql<[cutoff: string]>(
  "DELETE FROM runs WHERE state = 'uploading' AND created_at < ?",
);

export const insertSamplePage = sql<[runId: number, page: number, data: Buffer]>(
  'INSERT INTO run_sample_pages (run_id, page, data) VALUES (?, ?, ?)',
);
export const samplePage = sql<[runId: number, page: number], { data: Buffer }>(
  'SELECT data FROM run_sample_pages WHERE run_id = ? AND page = ?',
);
export const samplePageCount = sql<[runId: number], { n: number }>(
  'SELECT count(*) AS n FROM run_sample_pages WHERE run_id = ?',
);

/** A user's saves whose samples are still arriving. */
export const uploadsOf = sql<[ownerId: number], { n: number }>(
  "SELECT count(*) AS n FROM runs WHERE owner_id = ? AND state = 'uploading'",
);
