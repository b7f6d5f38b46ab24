import { writeSync } from 'node:fs';
import { StoreFile } from '../../electron/services/vault/store-file';

// Child process for the crash test: commits transactions in a loop and acknowledges each one on
// stdout only after SQLite reports it committed. The parent kills it with SIGKILL at random.
const [path, secret] = [process.argv[2]!, process.env.ENCLAVE_TEST_SECRET!];
const store = StoreFile.open(path, { recoverySecret: secret });
const db = store.db;
const model = Number(
  db
    .prepare("INSERT INTO models (owner_id, name, marking, created_at) VALUES (1, 'crash', 'UNCLASSIFIED', 'now')")
    .run().lastInsertRowid,
);
let n = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM model_versions').get() as { v: number }).v;
const insert = db.prepare(
  "INSERT INTO model_versions (model_id, version, owner_id, marking, body, created_at) VALUES (?, ?, 1, 'UNCLASSIFIED', ?, 'now')",
);
const commit = db.transaction((version: number) => {
  insert.run(model, version, JSON.stringify({ version, padding: 'x'.repeat(500 + (version % 7) * 300) }));
  store.audit.append({
    actor: 'crash-writer',
    event: 'object.save',
    object: `model:${model}`,
    outcome: 'success',
    detail: { version },
  });
});
writeSync(1, 'ready\n');
for (;;) {
  n += 1;
  commit(n);
  writeSync(1, `ack ${n}\n`);
}
