import { generateKeyPairSync, privateDecrypt, diffieHellman, constants, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA } from '../../../electron/db/migrations';
import { StoreError } from '../../../electron/db/store-error';
import { keysPath, StoreFile } from '../../../electron/services/vault/store-file';
import { generateRecoverySecret } from '../../../electron/services/vault/recovery-secret';
import { createTempStore, FAST_SCRYPT, flipByte, type TempStore } from '../../support/store';

let t: TempStore;
afterEach(() => t?.cleanup());

function expectStoreError(action: () => unknown, code: string, message: RegExp) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}`);
}

/** A software stand-in for a card's key-management key: the same operations the card performs. */
function softwareCard(type: 'rsa' | 'ec') {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKeyDer: pair.publicKey.export({ format: 'der', type: 'spki' }),
    operations: {
      decryptRsaOaep: (ciphertext: Buffer, label: Buffer) =>
        privateDecrypt(
          { key: pair.privateKey, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING, oaepLabel: label },
          ciphertext,
        ),
      deriveEcdh: (ephemeral: KeyObject) => diffieHellman({ privateKey: pair.privateKey, publicKey: ephemeral }),
    },
  };
}

const planted = 'PLANTED-PLAINTEXT-7f3a9c';

describe('encrypted store', () => {
  it('creates an encrypted, migrated database with one recovery slot and a setup audit entry', () => {
    t = createTempStore();
    const status = t.store.status();
    expect(status).toMatchObject({
      schema: LATEST_SCHEMA,
      cipher: 'sqlcipher',
      journalMode: 'wal',
      slots: [{ id: 'recovery', type: 'recovery' }],
    });
    expect(status.rows.audit_log).toBe(1);
    // Every table of the schema is counted (a backup must reproduce each count): none left out.
    const tables = (
      t.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    expect(Object.keys(status.rows).sort()).toEqual(tables.filter((name) => name !== 'schema_migrations').sort());
    expect(t.secret).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(readFileSync(t.path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    t.store.close();
    const reopened = StoreFile.open(t.path, { recoverySecret: t.secret.toLowerCase().replace(/-/g, ' ') });
    expect(reopened.verify()).toMatchObject({
      integrity: 'ok',
      foreignKeyViolations: 0,
      audit: { ok: true, entries: 1 },
    });
    reopened.close();
  });

  it('never writes the data key, the page key or planted content in plaintext: database, WAL, key file', () => {
    t = createTempStore();
    t.store.db.prepare("INSERT INTO users (display_name, role, created_at) VALUES (?, 'analyst', 'now')").run(planted);
    t.store.audit.append({ actor: planted, event: 'object.save', outcome: 'success', detail: { note: planted } });
    const wal = readFileSync(`${t.path}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    const files = [readFileSync(t.path), wal, readFileSync(keysPath(t.path))];
    for (const bytes of files) {
      expect(bytes.includes(planted)).toBe(false);
      expect(bytes.includes(Buffer.from(planted, 'utf16le'))).toBe(false);
      expect(bytes.includes('SQLite format 3')).toBe(false);
    }
    t.store.close();
  });

  it('gives a distinct, clear error for a wrong secret, a truncated file, a damaged page, a newer schema, and changes nothing', () => {
    t = createTempStore();
    t.store.close();
    const original = readFileSync(t.path);
    expectStoreError(
      () => StoreFile.open(t.path, { recoverySecret: generateRecoverySecret() }),
      'WRONG_SECRET',
      /recovery secret does not unlock/,
    );
    expect(readFileSync(t.path).equals(original)).toBe(true);
    expect(existsSync(`${t.path}-wal`)).toBe(false);

    const damaged = Buffer.from(original);
    flipByte(damaged, 2 * 4096 + 200);
    writeFileSync(t.path, damaged);
    expectStoreError(
      () => StoreFile.open(t.path, { recoverySecret: t.secret }),
      'CORRUPT',
      /is damaged .*Restore it from a backup; nothing was changed/,
    );
    expect(readFileSync(t.path).equals(damaged)).toBe(true);

    const header = Buffer.from(original);
    flipByte(header, 30);
    writeFileSync(t.path, header);
    expectStoreError(() => StoreFile.open(t.path, { recoverySecret: t.secret }), 'CORRUPT', /first page is damaged/);

    writeFileSync(t.path, original);
    truncateSync(t.path, original.length - 1000);
    expectStoreError(() => StoreFile.open(t.path, { recoverySecret: t.secret }), 'TRUNCATED', /is truncated/);

    writeFileSync(t.path, original);
    const store = StoreFile.open(t.path, { recoverySecret: t.secret });
    store.db.pragma('user_version = 99');
    store.close();
    const newer = readFileSync(t.path);
    expectStoreError(
      () => StoreFile.open(t.path, { recoverySecret: t.secret }),
      'NEWER_SCHEMA',
      new RegExp(`written by a newer version of Enclave \\(schema 99; this version knows up to ${LATEST_SCHEMA}\\)`),
    );
    expect(readFileSync(t.path).equals(newer)).toBe(true);

    writeFileSync(keysPath(t.path), '{"format":');
    expectStoreError(
      () => StoreFile.open(t.path, { recoverySecret: t.secret }),
      'KEYSLOTS_INVALID',
      /key-slot file .* is damaged/,
    );
  });

  it.each(['rsa', 'ec'] as const)(
    'adds a card slot (%s key-management key) that opens the store, and removing it stops that card',
    (type) => {
      t = createTempStore();
      const card = softwareCard(type);
      t.store.addCardSlot('card-1234', 'analyst 1234', card.publicKeyDer, 'test-admin');
      t.store.close();
      const viaCard = StoreFile.open(t.path, { card: { slotId: 'card-1234', operations: card.operations } });
      expect(viaCard.slots.map((s) => s.id)).toEqual(['recovery', 'card-1234']);
      viaCard.removeSlot('card-1234', 'test-admin');
      viaCard.close();
      expectStoreError(
        () => StoreFile.open(t.path, { card: { slotId: 'card-1234', operations: card.operations } }),
        'NO_SUCH_SLOT',
        /no key slot for this card/,
      );
      const other = softwareCard(type);
      const store = StoreFile.open(t.path, { recoverySecret: t.secret });
      store.addCardSlot('card-9999', 'other', other.publicKeyDer, 'test-admin');
      store.close();
      expectStoreError(
        () => StoreFile.open(t.path, { card: { slotId: 'card-9999', operations: card.operations } }),
        'WRONG_SECRET',
        /card does not unlock/,
      );
    },
  );

  it('refuses to remove the last slot', () => {
    t = createTempStore();
    expectStoreError(() => t.store.removeSlot('recovery', 'test-admin'), 'LAST_SLOT', /last way in/);
    t.store.close();
  });

  it('replaces the recovery secret: the old one stops working', () => {
    t = createTempStore();
    const next = generateRecoverySecret();
    t.store.setRecoverySecret(next, 'test-admin', FAST_SCRYPT);
    t.store.close();
    expectStoreError(() => StoreFile.open(t.path, { recoverySecret: t.secret }), 'WRONG_SECRET', /does not unlock/);
    StoreFile.open(t.path, { recoverySecret: next }).close();
  });

  it('rotates the data key: the file is re-encrypted, every slot still opens, the data is intact', () => {
    t = createTempStore();
    const card = softwareCard('ec');
    t.store.addCardSlot('card-1', 'analyst', card.publicKeyDer, 'test-admin');
    t.store.db.prepare("INSERT INTO users (display_name, role, created_at) VALUES ('kept', 'viewer', 'now')").run();
    const before = readFileSync(keysPath(t.path), 'utf8');
    t.store.rotateKey(t.secret, 'test-admin');
    const firstPage = readFileSync(t.path).subarray(0, 4096);
    t.store.close();
    expect(JSON.parse(readFileSync(keysPath(t.path), 'utf8')).keyCheck).not.toBe(JSON.parse(before).keyCheck);
    expect(existsSync(`${keysPath(t.path)}.pending`)).toBe(false);
    for (const unlock of [{ recoverySecret: t.secret }, { card: { slotId: 'card-1', operations: card.operations } }]) {
      const store = StoreFile.open(t.path, unlock);
      expect(store.db.prepare('SELECT display_name FROM users').get()).toEqual({ display_name: 'kept' });
      expect(store.verify().audit).toMatchObject({ ok: true });
      store.close();
    }
    expect(firstPage.equals(readFileSync(t.path).subarray(0, 4096))).toBe(true);
    expectStoreError(
      () => StoreFile.open(t.path, { recoverySecret: generateRecoverySecret() }),
      'WRONG_SECRET',
      /does not unlock/,
    );
  });

  it('rotation needs the recovery secret', () => {
    t = createTempStore();
    expectStoreError(
      () => t.store.rotateKey(generateRecoverySecret(), 'test-admin'),
      'WRONG_SECRET',
      /needed to rotate/,
    );
    t.store.close();
  });

  it('uses scrypt at full cost (2^17) by default', () => {
    t = createTempStore();
    t.store.close();
    const { store, recoverySecret } = StoreFile.create(`${t.dir}/full.db`, { actor: 'test-admin' });
    store.close();
    const slot = JSON.parse(readFileSync(`${t.dir}/full.db.keys`, 'utf8')).slots[0];
    expect(slot.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    const started = Date.now();
    StoreFile.open(`${t.dir}/full.db`, { recoverySecret }).close();
    expect(Date.now() - started).toBeGreaterThan(50);
    expect(statSync(`${t.dir}/full.db`).size % 4096).toBe(0);
  });
});

describe('store health (without unlocking)', () => {
  it('reports absent, present, damaged-key-file and truncated stores', async () => {
    const { storeHealth } = await import('../../../electron/services/vault/store-health');
    t = createTempStore();
    expect(storeHealth(`${t.dir}/elsewhere`)).toEqual({ ok: true, detail: expect.stringMatching(/^not set up yet/) });
    t.store.close();
    expect(storeHealth(t.dir)).toEqual({
      ok: true,
      detail: expect.stringMatching(/^present, \d+ KiB, 1 key slot \(recovery\)$/),
    });
    truncateSync(t.path, 5000);
    expect(storeHealth(t.dir)).toEqual({ ok: false, detail: expect.stringMatching(/is truncated \(5000 bytes\)/) });
    writeFileSync(keysPath(t.path), 'garbage');
    expect(storeHealth(t.dir)).toEqual({ ok: false, detail: expect.stringMatching(/key-slot file .* is damaged/) });
  });
});
