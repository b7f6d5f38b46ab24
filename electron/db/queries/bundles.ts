import { sql } from './sql';

/** Bundles (docs/bundle-format.md): channels, the ledger, the quarantine, applied records, origins. */

export const outChannel = sql<[channel: string], { lastSequence: number; lastHash: string }>(
  'SELECT last_sequence AS lastSequence, last_hash AS lastHash FROM bundle_channels_out WHERE channel = ?',
);
export const setOutChannel = sql<
  [channel: string, destination: string, lastSequence: number, lastHash: string, updatedAt: string]
>(
  `INSERT INTO bundle_channels_out (channel, destination, last_sequence, last_hash, updated_at) VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (channel) DO UPDATE SET destination = excluded.destination, last_sequence = excluded.last_sequence,
     last_hash = excluded.last_hash, updated_at = excluded.updated_at`,
);

export const inChannel = sql<[sourceSite: string, channel: string], { lastSequence: number; lastHash: string }>(
  'SELECT last_sequence AS lastSequence, last_hash AS lastHash FROM bundle_channels_in WHERE source_site = ? AND channel = ?',
);
export const setInChannel = sql<
  [sourceSite: string, channel: string, lastSequence: number, lastHash: string, updatedAt: string]
>(
  `INSERT INTO bundle_channels_in (source_site, channel, last_sequence, last_hash, updated_at) VALUES (?, ?, ?, ?, ?)
   ON CONFLICT (source_site, channel) DO UPDATE SET last_sequence = excluded.last_sequence,
     last_hash = excluded.last_hash, updated_at = excluded.updated_at`,
);

export interface LedgerRow {
  direction: 'export' | 'import';
  bundleId: string;
  bundleHash: string;
  fileSha256: string;
  marking: string;
  sourceSite: string;
  channel: string;
  sequence: number;
  records: number;
  actor: string;
  at: string;
}
export const insertLedger = sql<
  [
    direction: 'export' | 'import',
    bundleId: string,
    bundleHash: string,
    fileSha256: string,
    marking: string,
    sourceSite: string,
    channel: string,
    sequence: number,
    records: number,
    actor: string,
    at: string,
  ]
>(
  `INSERT INTO bundle_ledger (direction, bundle_id, bundle_hash, file_sha256, marking, source_site, channel, sequence, records, actor, at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
export const ledgerEntry = sql<[direction: 'export' | 'import', bundleId: string], LedgerRow>(
  `SELECT direction, bundle_id AS bundleId, bundle_hash AS bundleHash, file_sha256 AS fileSha256, marking,
     source_site AS sourceSite, channel, sequence, records, actor, at FROM bundle_ledger WHERE direction = ? AND bundle_id = ?`,
);
export const ledger = sql<[], LedgerRow>(
  `SELECT direction, bundle_id AS bundleId, bundle_hash AS bundleHash, file_sha256 AS fileSha256, marking,
     source_site AS sourceSite, channel, sequence, records, actor, at FROM bundle_ledger ORDER BY id DESC LIMIT 1000`,
);

export interface QuarantineRow {
  id: number;
  bundleId: string;
  bundleHash: string;
  fileSha256: string;
  folder: string;
  marking: string;
  summary: string;
  state: 'verified' | 'released' | 'rejected';
  receivedBy: string;
  receivedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}
const QUARANTINE_COLUMNS = `id, bundle_id AS bundleId, bundle_hash AS bundleHash, file_sha256 AS fileSha256, folder, marking,
  summary, state, received_by AS receivedBy, received_at AS receivedAt, reviewed_by AS reviewedBy,
  reviewed_at AS reviewedAt, review_note AS reviewNote FROM bundle_quarantine`;
export const insertQuarantine = sql<
  [
    bundleId: string,
    bundleHash: string,
    fileSha256: string,
    folder: string,
    marking: string,
    summary: string,
    receivedBy: string,
    receivedAt: string,
  ]
>(
  `INSERT INTO bundle_quarantine (bundle_id, bundle_hash, file_sha256, folder, marking, summary, state, received_by, received_at)
   VALUES (?, ?, ?, ?, ?, ?, 'verified', ?, ?)`,
);
export const quarantineById = sql<[id: number], QuarantineRow>(`SELECT ${QUARANTINE_COLUMNS} WHERE id = ?`);
export const quarantineList = sql<[], QuarantineRow>(`SELECT ${QUARANTINE_COLUMNS} ORDER BY id DESC LIMIT 1000`);
export const waitingWithBundleId = sql<[bundleId: string], { id: number }>(
  "SELECT id FROM bundle_quarantine WHERE bundle_id = ? AND state = 'verified'",
);
export const setReviewed = sql<
  [state: 'released' | 'rejected', reviewedBy: string, reviewedAt: string, note: string, id: number]
>(
  "UPDATE bundle_quarantine SET state = ?, reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ? AND state = 'verified'",
);

export const appliedRecord = sql<[sha256: string], { bundleId: string; kind: string; localId: number }>(
  'SELECT bundle_id AS bundleId, kind, local_id AS localId FROM bundle_records WHERE sha256 = ?',
);
export const insertAppliedRecord = sql<
  [sha256: string, bundleId: string, kind: string, localId: number, appliedAt: string]
>('INSERT INTO bundle_records (sha256, bundle_id, kind, local_id, applied_at) VALUES (?, ?, ?, ?, ?)');

export const origin = sql<[sourceSite: string, originKey: string], { localId: number; recordSha256: string | null }>(
  'SELECT local_id AS localId, record_sha256 AS recordSha256 FROM bundle_origins WHERE source_site = ? AND origin_key = ?',
);
export const insertOrigin = sql<[sourceSite: string, originKey: string, localId: number, recordSha256: string | null]>(
  'INSERT INTO bundle_origins (source_site, origin_key, local_id, record_sha256) VALUES (?, ?, ?, ?)',
);

/** A user's display name, enabled or not (who received or reviewed a bundle). */
export const userName = sql<[id: number], { name: string }>('SELECT display_name AS name FROM users WHERE id = ?');
