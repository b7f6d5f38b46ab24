import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../electron/db/queries/users';
import { startedUpdates, trustedMetadata, updateHistory } from '../../electron/db/queries/updates';
import { parseMetadata } from '../../electron/services/updates/tuf/metadata';
import { reportInterrupted } from '../../electron/services/updates/update-apply';
import { trustFirstRoot } from '../../electron/services/updates/update-root';
import { StoreFile } from '../../electron/services/vault/store-file';
import { workspaceOf, type SessionUser } from '../../electron/services/vault/vault-service';
import { labModel } from '../support/bundle-lab';
import { repoRoot } from '../support/services';
import { createTempStore } from '../support/store';
import { UpdateRepository } from '../support/update-repository';

// An update apply killed with SIGKILL at random points of its transaction: the store opens intact,
// holds either all of the bundle (metadata, templates, history) or none of it, and an attempt cut
// short is reported at the next start as interrupted.

const TEMPLATES = 300;
const KILLS = 12;
const resources = join(repoRoot, 'resources');
let child: string;
let tar: string;
let work: string;
let applyMs = 0;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'enclave-update-crash-'));
  child = join(work, 'update-apply-child.cjs');
  await build({
    entryPoints: [join(repoRoot, 'tests', 'support', 'update-apply-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3-multiple-ciphers', 'pkcs11js'],
    define: { __ENCLAVE_VERSION__: '"test"', 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    nodePaths: [join(repoRoot, 'node_modules')],
    logLevel: 'warning',
  });
  const repo = await UpdateRepository.create();
  for (let i = 0; i < TEMPLATES; i++)
    repo.add(
      'models',
      `models/template-${i}.json`,
      'model-template',
      Buffer.from(JSON.stringify(labModel(`Template ${i}`, 'UNCLASSIFIED'))),
    );
  await repo.publish();
  tar = await repo.tar(work);
  rootBytes = repo.initialRoot;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

let rootBytes: Buffer;

/** A fresh store that trusts the repository's first root, with the administrator who applies. */
function freshStore() {
  const temp = createTempStore(work);
  const id = insertUser(
    temp.store.db,
    { edipi: null, upn: 'ada@test.example', uuid: null, displayName: 'Ada Admin' },
    'admin',
    new Date().toISOString(),
  );
  const admin: SessionUser = { id, displayName: 'Ada Admin', role: 'admin', actor: `user:${id}` };
  trustFirstRoot(workspaceOf(temp.store, admin), rootBytes, new Date());
  temp.store.close();
  return { ...temp, admin };
}

/** Runs the child; kills it `killAfterMs` after it has planned (never, when null). */
function run(
  path: string,
  secret: string,
  userId: number,
  killAfterMs: number | null,
): Promise<{ applied: number | null; killed: boolean; err: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [child, path, tar, resources, String(userId)], {
      env: { ...process.env, ENCLAVE_TEST_SECRET: secret, NODE_PATH: join(repoRoot, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAfterMs !== null && out.includes('planned') && !proc.killed)
        setTimeout(() => proc.kill('SIGKILL'), killAfterMs).unref();
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('exit', (_code, signal) => {
      const applied = /applied (\d+)/.exec(out);
      resolve({ applied: applied ? Number(applied[1]) : null, killed: signal === 'SIGKILL', err });
    });
  });
}

const templateCount = (store: StoreFile) =>
  (store.db.prepare("SELECT count(*) AS n FROM models WHERE name LIKE 'Template %'").get() as { n: number }).n;
const timestampVersion = (store: StoreFile) => {
  const bytes = trustedMetadata(store.db, 'timestamp');
  return bytes ? parseMetadata(bytes, 'timestamp', 'timestamp').signed.version : null;
};

describe('an update apply killed half-way', () => {
  it('applies whole when left alone', async () => {
    const s = freshStore();
    const result = await run(s.path, s.secret, s.admin.id!, null);
    expect(result.err).toBe('');
    expect(result.applied).not.toBeNull();
    applyMs = result.applied!;
    const store = StoreFile.open(s.path, { recoverySecret: s.secret });
    expect(templateCount(store)).toBe(TEMPLATES);
    expect(updateHistory(store.db, 10).map((h) => h.state)).toEqual(['applied']);
    store.close();
    s.cleanup();
  }, 120_000);

  it(`leaves all or nothing after ${KILLS} SIGKILLs at random points of the apply, and the next start reports the cut-short one`, async () => {
    const outcomes = { whole: 0, none: 0, reported: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const s = freshStore();
      const result = await run(s.path, s.secret, s.admin.id!, Math.floor(Math.random() * Math.max(applyMs, 20) * 1.2));
      const store = StoreFile.open(s.path, { recoverySecret: s.secret });
      try {
        expect(store.verify().integrity).toBe('ok');
        const applied = updateHistory(store.db, 10).some((h) => h.state === 'applied');
        if (applied) {
          outcomes.whole += 1;
          expect(templateCount(store)).toBe(TEMPLATES);
          expect(timestampVersion(store)).not.toBeNull();
        } else {
          outcomes.none += 1;
          expect(result.killed).toBe(true);
          expect(templateCount(store), `kill ${kill + 1}: a half-applied update`).toBe(0);
          expect(timestampVersion(store)).toBeNull();
          const started = startedUpdates(store.db).length;
          const lines = reportInterrupted(workspaceOf(store, s.admin));
          expect(lines).toHaveLength(started);
          if (started > 0) {
            outcomes.reported += 1;
            expect(lines[0]).toMatch(/was interrupted before it completed .*nothing of it was applied/);
            expect(updateHistory(store.db, 10).map((h) => h.state)).toEqual(['interrupted']);
          }
        }
      } finally {
        store.close();
        s.cleanup();
      }
    }
    expect(outcomes.none, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.reported, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 300_000);
});
