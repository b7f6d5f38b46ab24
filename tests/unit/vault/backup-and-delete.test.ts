import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decryptAllPages } from '../../support/sqlcipher-pages';
import { databaseKey, readKeyHeader } from '../../../electron/services/vault/keyslots';
import { generateRecoverySecret } from '../../../electron/services/vault/recovery-secret';
import { StoreError } from '../../../electron/db/store-error';
import { LATEST_SCHEMA } from '../../../electron/db/migrations';
import { keysPath, StoreFile } from '../../../electron/services/vault/store-file';
import { createTempStore, FAST_SCRYPT, flipByte, type TempStore } from '../../support/store';

let t: TempStore;
afterEach(() => t?.cleanup());

const planted = 'PLANTED-MODEL-BODY-c41e0b';

function seed(store: StoreFile, marker = planted) {
  const db = store.db;
  const user = db
    .prepare(
      "INSERT INTO users (display_name, edipi, role, created_at) VALUES ('Alice Analyst', '1234567890', 'analyst', ?)",
    )
    .run(new Date().toISOString()).lastInsertRowid;
  const model = db
    .prepare("INSERT INTO models (owner_id, name, marking, created_at) VALUES (?, 'cost model', 'UNCLASSIFIED', ?)")
    .run(user, new Date().toISOString()).lastInsertRowid;
  for (let v = 1; v <= 3; v++) {
    const version = db
      .prepare(
        "INSERT INTO model_versions (model_id, version, owner_id, marking, body, created_at) VALUES (?, ?, ?, 'UNCLASSIFIED', ?, ?)",
      )
      .run(model, v, user, `{"note":"${marker}-${v}"}`, new Date().toISOString()).lastInsertRowid;
    db.prepare(
      "INSERT INTO runs (model_version_id, owner_id, marking, seed, engine, iterations, summary, created_at) VALUES (?, ?, 'UNCLASSIFIED', '42', 'cpu', 1000, '{}', ?)",
    ).run(version, user, new Date(Date.now() - v * 40 * 86_400_000).toISOString());
  }
  return Number(user);
}

describe('backup and restore', () => {
  it('writes an encrypted backup that verifies, and restores it over a damaged live database', () => {
    t = createTempStore();
    seed(t.store);
    const backup = join(t.dir, 'backup.db');
    const result = t.store.backup(backup, 'test-admin');
    expect(result.bytes).toBeGreaterThan(0);
    expect(readFileSync(backup).includes(planted)).toBe(false);
    expect(readFileSync(backup).includes('SQLite format 3')).toBe(false);
    expect(existsSync(`${backup}.partial`)).toBe(false);
    t.store.close();

    const damaged = readFileSync(t.path);
    flipByte(damaged, 3 * 4096 + 10);
    writeFileSync(t.path, damaged);
    expect(() => StoreFile.open(t.path, { recoverySecret: t.secret })).toThrow(/is damaged/);

    StoreFile.restore(backup, t.path, { recoverySecret: t.secret });
    const restored = StoreFile.open(t.path, { recoverySecret: t.secret });
    expect(restored.db.prepare('SELECT count(*) AS n FROM model_versions').get()).toEqual({ n: 3 });
    expect(restored.verify()).toMatchObject({ integrity: 'ok', audit: { ok: true } });
    restored.close();
  });

  it('a backup under its own recovery secret opens only with that secret', () => {
    t = createTempStore();
    seed(t.store);
    const own = generateRecoverySecret();
    const backup = join(t.dir, 'offsite.db');
    t.store.backup(backup, 'test-admin', { recoverySecret: own, scrypt: FAST_SCRYPT });
    t.store.close();
    expect(() => StoreFile.restore(backup, t.path, { recoverySecret: t.secret })).toThrow(/does not unlock/);
    StoreFile.restore(backup, t.path, { recoverySecret: own });
    const restored = StoreFile.open(t.path, { recoverySecret: own });
    expect(restored.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 3 });
    restored.close();
  });

  it('refuses a backup from a newer schema, a damaged backup, or a wrong secret, and leaves the live database untouched', () => {
    t = createTempStore();
    seed(t.store);
    const backup = join(t.dir, 'backup.db');
    t.store.backup(backup, 'test-admin');
    t.store.close();
    const live = readFileSync(t.path);

    expect(() => StoreFile.restore(backup, t.path, { recoverySecret: generateRecoverySecret() })).toThrow(
      /does not unlock/,
    );

    const header = readKeyHeader(keysPath(backup));
    const newer = join(t.dir, 'newer.db');
    copyFileSync(backup, newer);
    copyFileSync(keysPath(backup), keysPath(newer));
    const store = StoreFile.open(newer, { recoverySecret: t.secret });
    store.db.pragma(`user_version = ${LATEST_SCHEMA + 1}`);
    store.close();
    try {
      StoreFile.restore(newer, t.path, { recoverySecret: t.secret });
      throw new Error('expected NEWER_SCHEMA');
    } catch (error) {
      expect((error as StoreError).code).toBe('NEWER_SCHEMA');
    }

    const broken = readFileSync(backup);
    flipByte(broken, 2 * 4096 + 99);
    writeFileSync(backup, broken);
    expect(() => StoreFile.restore(backup, t.path, { recoverySecret: t.secret })).toThrow(/is damaged/);

    expect(readFileSync(t.path).equals(live)).toBe(true);
    expect(existsSync(`${t.path}.restoring`)).toBe(false);
    expect(header.databaseId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('secure delete and retention', () => {
  it("deleting a user's data leaves no readable trace in the file, even with every page decrypted", () => {
    t = createTempStore();
    const user = seed(t.store);
    t.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const key = (t.store as unknown as { dataKey: Buffer }).dataKey;
    const id = readKeyHeader(keysPath(t.path)).databaseId;
    const before = decryptAllPages(t.path, databaseKey(key, id));
    expect(before.includes(`${planted}-1`)).toBe(true); // the decrypted image does show live data
    expect(before.includes('1234567890')).toBe(true);

    expect(t.store.deleteUserData(user, 'test-admin')).toEqual({ models: 1, runs: 3, reports: 0 });
    const after = decryptAllPages(t.path, databaseKey(key, id));
    for (const trace of [`${planted}-1`, `${planted}-2`, `${planted}-3`, '1234567890', 'Alice Analyst'])
      expect(after.includes(trace), trace).toBe(false);
    expect(readFileSync(`${t.path}-wal`).length).toBe(0);
    t.store.close();
  });

  it("keeps what the deleted user saved in someone else's model: that model's history has no gap", () => {
    t = createTempStore();
    const alice = seed(t.store);
    const db = t.store.db;
    const now = new Date().toISOString();
    const bob = Number(
      db.prepare("INSERT INTO users (display_name, role, created_at) VALUES ('Bob Owner', 'analyst', ?)").run(now)
        .lastInsertRowid,
    );
    const shared = db
      .prepare("INSERT INTO models (owner_id, name, marking, created_at) VALUES (?, 'shared model', 'UNCLASSIFIED', ?)")
      .run(bob, now).lastInsertRowid;
    const insertVersion = db.prepare(
      "INSERT INTO model_versions (model_id, version, owner_id, marking, body, created_at) VALUES (?, ?, ?, 'UNCLASSIFIED', '{}', ?)",
    );
    for (const [version, author] of [
      [1, bob],
      [2, alice],
      [3, bob],
    ])
      insertVersion.run(shared, version, author, now);
    t.store.deleteUserData(alice, 'test-admin');
    const left = db.prepare('SELECT version FROM model_versions WHERE model_id = ? ORDER BY version').all(shared);
    expect(left).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    t.store.close();
  });

  it('applies the retention policy to runs', () => {
    t = createTempStore();
    seed(t.store);
    expect(t.store.applyRunRetention(60, 'test-admin')).toBe(2);
    expect(t.store.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 1 });
    expect([...t.store.audit.entries()].at(-1)).toMatchObject({
      event: 'retention',
      detail: '{"days":60,"removed":2}',
    });
    t.store.close();
  });
});
