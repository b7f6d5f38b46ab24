import { copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/connection';
import { storedAuditKey } from '../../../electron/db/queries/vault';
import { sealPath, SEAL_KEY_FILE } from '../../../electron/services/audit/audit-seal';
import { hmacSha256 } from '../../../electron/services/audit/hmac';
import {
  databaseKey,
  openRecoverySlot,
  readKeyHeader,
  type RecoverySlot,
} from '../../../electron/services/vault/keyslots';
import { keysPath, StoreFile } from '../../../electron/services/vault/store-file';
import { createTempStore, type TempStore } from '../../support/store';

// The insider of the penetration test: the recovery secret and the store's files, but not the
// workstation's seal key. Everything here goes through the real SQLCipher file.
let t: TempStore;
beforeEach(() => {
  t = createTempStore();
  for (let i = 2; i <= 12; i++)
    t.store.audit.append({
      actor: 'analyst',
      event: i === 5 ? 'login.failure' : 'object.save',
      object: `model:${i}`,
      outcome: i === 5 ? 'failure' : 'success',
    });
  t.store.close();
});
afterEach(() => t.cleanup());

const open = () => StoreFile.open(t.path, { recoverySecret: t.secret });

/** Opens the database as the insider would: the data key from the recovery slot, then SQL. */
function openAsInsider() {
  const header = readKeyHeader(keysPath(t.path));
  const slot = header.slots.find((s): s is RecoverySlot => s.type === 'recovery')!;
  const dataKey = openRecoverySlot(slot, header.databaseId, t.secret)!;
  return openDatabase(t.path, databaseKey(dataKey, header.databaseId));
}

/** Rewrites entry `seq` and recomputes every mac after it and the authenticated head, with the key from the database. */
function forge(seq: number, edit: (entry: string) => string) {
  const db = openAsInsider();
  try {
    const mac = hmacSha256(Buffer.from(storedAuditKey(db)!, 'hex'));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    const rows = db.prepare('SELECT seq, entry FROM audit_log ORDER BY seq').all() as { seq: number; entry: Buffer }[];
    let prev: Buffer = Buffer.alloc(32);
    for (const row of rows) {
      const entry = row.seq === seq ? Buffer.from(edit(row.entry.toString())) : row.entry;
      prev = mac(prev, entry);
      db.prepare('UPDATE audit_log SET entry = ?, mac = ? WHERE seq = ?').run(entry, prev, row.seq);
    }
    const last = rows.at(-1)!.seq;
    db.prepare('UPDATE audit_head SET seq = ?, last_mac = ?, mac = ? WHERE id = 1').run(
      last,
      prev,
      mac(Buffer.from(`head:${last}:`), prev),
    );
  } finally {
    db.close();
  }
}

describe('the audit seal (an insider with the recovery secret)', () => {
  it('a log rewritten with the key from the database no longer verifies, and the log records it', () => {
    forge(5, (entry) => entry.replace('"failure"', '"success"').replace('"login.failure"', '"login"'));
    const store = open();
    try {
      const verdict = store.audit.verify();
      expect(verdict).toMatchObject({
        ok: false,
        problem: 'rollback',
        message: expect.stringMatching(
          /found that entry 1[23] is not the one this workstation sealed .*: the log was rewritten/,
        ),
      });
      const recorded = [...store.audit.entries()].at(-1)!;
      expect(recorded).toMatchObject({ actor: 'system', event: 'audit.rollback', outcome: 'failure' });
    } finally {
      store.close();
    }
  });

  it('an older copy of the store and its key file, put back by hand, is reported as a rollback', () => {
    const saved = join(t.dir, 'saved');
    copyFileSync(t.path, `${saved}.db`);
    copyFileSync(keysPath(t.path), `${saved}.keys`);
    const store = open();
    store.audit.append({ actor: 'analyst', event: 'object.delete', object: 'model:3', outcome: 'success' });
    store.close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${t.path}${suffix}`, { force: true });
    copyFileSync(`${saved}.db`, t.path);
    copyFileSync(`${saved}.keys`, keysPath(t.path));

    const reopened = open();
    try {
      expect(reopened.audit.verify()).toMatchObject({
        ok: false,
        problem: 'rollback',
        message: expect.stringMatching(
          /the log ends at entry \d+, but this workstation sealed it at entry \d+ .*an older copy of the store was put back/,
        ),
      });
    } finally {
      reopened.close();
    }
  });

  it('a missing or altered seal is reported, not silently replaced', () => {
    rmSync(sealPath(t.path));
    const store = open();
    try {
      expect(store.audit.verify()).toMatchObject({
        ok: false,
        problem: 'rollback',
        message: expect.stringMatching(/the seal of the audit log is missing/),
      });
    } finally {
      store.close();
    }
  });

  it('a restore made by the app moves the seal: the restored store verifies', () => {
    const store = open();
    const backup = join(t.dir, 'backup.db');
    store.backup(backup, 'admin');
    store.audit.append({ actor: 'analyst', event: 'object.save', object: 'model:after-backup', outcome: 'success' });
    store.close();
    StoreFile.restore(backup, t.path, { recoverySecret: t.secret });
    const restored = open();
    try {
      expect(restored.audit.verify()).toMatchObject({ ok: true });
      expect([...restored.audit.entries()].map((e) => e.object)).not.toContain('model:after-backup');
    } finally {
      restored.close();
    }
  });

  it('the seal key is in no database, key file or backup: only in the data directory, mode 0600', () => {
    const store = open();
    store.backup(join(t.dir, 'copy.db'), 'admin');
    store.close();
    expect(readdirSync(t.dir).sort()).toEqual(
      ['audit-seal.key', 'copy.db', 'copy.db.keys', 'enclave.db', 'enclave.db.keys', 'enclave.db.seal'].sort(),
    );
    expect(statSync(join(t.dir, SEAL_KEY_FILE)).mode & 0o777).toBe(0o600);
  });
});
