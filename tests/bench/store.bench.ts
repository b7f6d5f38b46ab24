import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreFile } from '../../electron/services/vault/store-file';

// Store benchmark: open time with 10,000 model versions, audit appends per second, and audit
// verification of 1,000,000 entries (target: under 10 s). The peer is plain, unencrypted SQLite
// doing the same writes in the same run, so the ratio is the cost of encryption and the chain.
const Database = createRequire(import.meta.url)(
  'better-sqlite3-multiple-ciphers',
) as typeof import('better-sqlite3-multiple-ciphers');
const dir = mkdtempSync(join(tmpdir(), 'enclave-bench-'));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function plainPeer(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE log (seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, event TEXT, detail TEXT) STRICT');
  return db;
}

try {
  const path = join(dir, 'enclave.db');
  const { store, recoverySecret } = StoreFile.create(path, { actor: 'bench' });
  const db = store.db;
  db.prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'bench', 'analyst', 'now')").run();
  const body = JSON.stringify({
    format: 'enclave-model/1',
    inputs: Array.from({ length: 20 }, (_, i) => ({ name: `x${i}`, dist: { type: 'pert', min: 1, mode: 2, max: 5 } })),
  });
  db.transaction(() => {
    const model = db.prepare(
      "INSERT INTO models (owner_id, name, marking, created_at) VALUES (1, ?, 'UNCLASSIFIED', 'now')",
    );
    const version = db.prepare(
      "INSERT INTO model_versions (model_id, version, owner_id, marking, body, created_at) VALUES (?, ?, 1, 'UNCLASSIFIED', ?, 'now')",
    );
    for (let m = 0; m < 100; m++) {
      const id = model.run(`model ${m}`).lastInsertRowid;
      for (let v = 1; v <= 100; v++) version.run(id, v, body);
    }
  })();
  store.close();

  let start = process.hrtime.bigint();
  const opened = StoreFile.open(path, { recoverySecret });
  const openTotal = seconds(start);
  console.log(`open with 10,000 model versions: ${fmt(openTotal * 1000)} ms (unlock with scrypt N=2^17 included)`);

  const single = 500;
  start = process.hrtime.bigint();
  for (let i = 0; i < single; i++)
    opened.audit.append({
      actor: 'bench',
      event: 'object.save',
      object: `model:${i}`,
      outcome: 'success',
      detail: { i },
    });
  const appendRate = single / seconds(start);
  const peer = plainPeer(join(dir, 'peer.db'));
  const insert = peer.prepare('INSERT INTO log (at, actor, event, detail) VALUES (?, ?, ?, ?)');
  start = process.hrtime.bigint();
  for (let i = 0; i < single; i++) insert.run(new Date().toISOString(), 'bench', 'object.save', JSON.stringify({ i }));
  const peerRate = single / seconds(start);
  console.log(
    `audit appends, one transaction each (synchronous=FULL): ${fmt(appendRate)}/s; plain SQLite peer ${fmt(peerRate)}/s; ratio ${fmt(appendRate / peerRate, 2)}`,
  );

  const batch = 10_000;
  const events = Array.from({ length: batch }, (_, i) => ({
    actor: 'bench',
    event: 'object.save',
    object: `model:${i}`,
    outcome: 'success' as const,
    detail: { i },
  }));
  start = process.hrtime.bigint();
  const total = 1_000_000;
  for (let have = opened.audit.count(); have < total; have += batch)
    opened.audit.append(...events.slice(0, Math.min(batch, total - have)));
  const batchedRate = (total - single - 1) / seconds(start);
  const peerBatch = peer.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(new Date().toISOString(), 'bench', 'object.save', JSON.stringify({ i }));
  });
  start = process.hrtime.bigint();
  for (let done = 0; done < 200_000; done += batch) peerBatch(batch);
  const peerBatchedRate = 200_000 / seconds(start);
  console.log(
    `audit appends, batched 10,000 per transaction: ${fmt(batchedRate)}/s; plain SQLite peer ${fmt(peerBatchedRate)}/s; ratio ${fmt(batchedRate / peerBatchedRate, 2)}`,
  );

  start = process.hrtime.bigint();
  const result = opened.audit.verify();
  const verifySeconds = seconds(start);
  if (!result.ok) throw new Error(`verify failed: ${result.message}`);
  console.log(
    `audit verify of ${fmt(result.entries)} entries: ${fmt(verifySeconds, 2)} s (target under 10 s; ratio to target ${fmt(verifySeconds / 10, 2)})`,
  );
  opened.close();
  peer.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
