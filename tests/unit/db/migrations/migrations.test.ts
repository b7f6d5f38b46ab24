import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertKnownSchema, migrate, schemaVersion } from '../../../../electron/db/migrate';
import { LATEST_SCHEMA, MIGRATIONS } from '../../../../electron/db/migrations';
import { useFreshDatabases } from './fresh-database';

// The migration runner; each migration has its own test beside this one (NNNN-name.test.ts), which
// builds a database as the previous version left it, with data, migrates it and checks the data.

const fresh = useFreshDatabases();

describe('migrations', () => {
  it('are numbered 1, 2, 3… with no gaps, and the latest is what the store expects', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA).toBe(MIGRATIONS.length);
  });

  it('each has its own test, named as its file', () => {
    const sources = readdirSync(new URL('../../../../electron/db/migrations', import.meta.url)).filter((f) =>
      /^\d{4}-.*\.ts$/.test(f),
    );
    expect(sources).toHaveLength(MIGRATIONS.length);
    const tests = readdirSync(new URL('.', import.meta.url));
    for (const source of sources) expect(tests, source).toContain(source.replace(/\.ts$/, '.test.ts'));
  });

  it('run all pending steps in one transaction and record user_version; a second run does nothing', () => {
    const db = fresh();
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
    expect(migrate(db)).toEqual([]);
  });

  it('a failing step leaves the database exactly as it was (user_version included)', () => {
    const db = fresh();
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_SCHEMA + 1,
        name: 'broken',
        up: (d: typeof db) => d.exec('CREATE TABLE half (x INTEGER) STRICT; SELECT no_such_function();'),
      },
    ];
    expect(() => migrate(db, broken)).toThrow(/no such function/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
  });

  it('refuse a database from a newer version with a clear message', () => {
    const db = fresh();
    db.pragma(`user_version = ${LATEST_SCHEMA + 3}`);
    expect(() => assertKnownSchema(db, 'x.db')).toThrow(
      `x.db was written by a newer version of Enclave (schema ${LATEST_SCHEMA + 3}; this version knows up to ${LATEST_SCHEMA})`,
    );
  });
});
