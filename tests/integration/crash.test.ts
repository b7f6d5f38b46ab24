import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreFile } from '../../electron/services/vault/store-file';
import { repoRoot } from '../support/services';
import { createTempStore, type TempStore } from '../support/store';

const KILLS = 50;
let t: TempStore;
let writer: string;

beforeAll(async () => {
  t = createTempStore();
  t.store.db
    .prepare("INSERT INTO users (id, display_name, role, created_at) VALUES (1, 'writer', 'analyst', 'now')")
    .run();
  t.store.close();
  writer = join(mkdtempSync(join(tmpdir(), 'enclave-crash-writer-')), 'crash-writer.cjs');
  await build({
    entryPoints: [join(repoRoot, 'tests', 'support', 'crash-writer.ts')],
    outfile: writer,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3-multiple-ciphers'],
    define: { __ENCLAVE_VERSION__: '"test"', 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    nodePaths: [join(repoRoot, 'node_modules')],
    logLevel: 'warning',
  });
});
afterAll(() => t.cleanup());

/** Runs the writer, kills it with SIGKILL after `ms`, and returns the versions it acknowledged. */
function runAndKill(ms: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, t.path], {
      env: { ...process.env, ENCLAVE_TEST_SECRET: t.secret, NODE_PATH: join(repoRoot, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready') && !child.killed) setTimeout(() => child.kill('SIGKILL'), ms).unref();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${err}`));
      resolve([...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1])));
    });
  });
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs mid-transaction: the file opens, passes integrity_check, and keeps every acknowledged commit`, async () => {
    const acknowledged: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      acknowledged.push(...(await runAndKill(20 + Math.floor(Math.random() * 180))));
      const store = StoreFile.open(t.path, { recoverySecret: t.secret });
      try {
        const check = store.verify();
        expect(check.integrity).toBe('ok');
        expect(check.audit.ok, JSON.stringify(check.audit)).toBe(true);
        const present = new Set(
          (store.db.prepare('SELECT version FROM model_versions').all() as { version: number }[]).map((r) => r.version),
        );
        const lost = acknowledged.filter((n) => !present.has(n));
        expect(lost, `kill ${kill + 1}: acknowledged commits lost`).toEqual([]);
      } finally {
        store.close();
      }
    }
    expect(acknowledged.length).toBeGreaterThan(KILLS);
  }, 240_000);
});
