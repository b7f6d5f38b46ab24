import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/db/migrate';
import { MIGRATIONS } from '../../../../electron/db/migrations';
import { useFreshDatabases } from './fresh-database';

// 0007-updates: from a schema 6 database.

const fresh = useFreshDatabases();

describe('0007-updates', () => {
  it('adds trusted TUF metadata, the update history and its targets, user certificates and template models', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 6));
    migrate(db);
    db.exec("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'A', 'admin', 't0')");
    const metadata = db.prepare("INSERT INTO tuf_metadata (role, bytes, updated_at) VALUES (?, x'7b7d', 't')");
    metadata.run('root');
    expect(() => metadata.run('root')).toThrow(/UNIQUE|PRIMARY KEY/);
    const history = db.prepare(
      "INSERT INTO update_history (state, actor, started_at, root_version, timestamp_version, snapshot_version, targets_version) VALUES (?, 'user:1', 't', 1, 1, 1, 1)",
    );
    const id = Number(history.run('started').lastInsertRowid);
    expect(() => history.run('half-done')).toThrow(/CHECK constraint/);
    const target = db.prepare(
      "INSERT INTO update_history_targets (update_id, name, kind, sha256, length, result) VALUES (?, 'trust/a.crl', 'crl', 'h', 1, 'applied')",
    );
    target.run(id);
    expect(() => target.run(id)).toThrow(/UNIQUE|PRIMARY KEY/);
    const certificate = db.prepare(
      "INSERT INTO user_certificates (sha256, user_id, kind, der, recorded_at) VALUES (?, 1, ?, x'30', 't')",
    );
    certificate.run('a', 'authentication');
    expect(() => certificate.run('b', 'signature')).toThrow(/CHECK constraint/);
  });
});
