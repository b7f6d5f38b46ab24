import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/db/migrate';
import { MIGRATIONS } from '../../../../electron/db/migrations';
import { useFreshDatabases } from './fresh-database';

// 0006-bundles: from a schema 5 database (schema 1's bundle_ledger was never written).

const fresh = useFreshDatabases();

describe('0006-bundles', () => {
  it('adds the channels, quarantine, applied records and origins; one ledger row per bundle and direction', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 5));
    migrate(db);
    const ledger = db.prepare(
      "INSERT INTO bundle_ledger (direction, bundle_id, bundle_hash, file_sha256, marking, source_site, channel, sequence, records, actor, at) VALUES (?, 'b1', 'h', 'f', 'SECRET', 's', 'c', 1, 1, 'user:1', 't')",
    );
    ledger.run('export');
    ledger.run('import');
    expect(() => ledger.run('import')).toThrow(/UNIQUE/);
    expect(() => ledger.run('sideways')).toThrow(/CHECK constraint/);
    const channel = db.prepare(
      "INSERT INTO bundle_channels_in (source_site, channel, last_sequence, last_hash, updated_at) VALUES ('s', 'c', ?, 'h', 't')",
    );
    expect(() => channel.run(0)).toThrow(/CHECK constraint/);
    channel.run(1);
    expect(() => channel.run(2)).toThrow(/UNIQUE|PRIMARY KEY/);
    const quarantine = db.prepare(
      "INSERT INTO bundle_quarantine (bundle_id, bundle_hash, file_sha256, folder, marking, summary, state, received_by, received_at) VALUES ('b', 'h', 'f', ?, 'SECRET', '{}', ?, 'user:1', 't')",
    );
    quarantine.run('q1', 'verified');
    expect(() => quarantine.run('q1', 'verified')).toThrow(/UNIQUE/);
    expect(() => quarantine.run('q2', 'half-done')).toThrow(/CHECK constraint/);
  });

  it('refuses, changing nothing, a schema 5 store with rows in the old bundle ledger', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 5));
    db.exec(`
      INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'A', 'admin', 't0');
      INSERT INTO bundle_ledger (id, owner_id, marking, direction, bundle_id, sha256, peer, created_at) VALUES (1, 1, 'SECRET', 'export', 'b', 'h', 'p', 't0');
    `);
    expect(() => migrate(db)).toThrow(/1 bundle ledger row\(s\) of schema 1/);
    expect(db.prepare('SELECT count(*) AS n FROM bundle_ledger').get()).toEqual({ n: 1 });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'bundle_quarantine'").get()).toEqual({
      n: 0,
    });
  });
});
