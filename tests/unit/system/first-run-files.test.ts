import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/worker/dispatch';
import { ServiceHost } from '../../../electron/worker/service-host';
import { acknowledgeConsent, repoRoot, setUpStore, workerBundle, type TestServices } from '../../support/services';

// First-run setup through the real worker, on a data directory as a new workstation has it (none
// yet) or as an older install left it (world-readable); then a backup through the real CLI. Every
// file the app writes is the signed-in user's alone: the store, its WAL and shared memory, its key
// file, the trust copy, the pending journal, the site configuration and backups.

const roots: string[] = [];
const running: TestServices[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.services.stop();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

async function servicesOn(dataDir: string): Promise<TestServices> {
  const logs: string[] = [];
  const services = new ServiceHost({
    workerPath: workerBundle,
    paths: { dataDir, resourcesDir: join(repoRoot, 'resources'), siteConfigPath: join(dataDir, 'site-config.json') },
    log: (line) => logs.push(line),
  });
  await services.start();
  const t: TestServices = {
    dataDir,
    services,
    dispatch: createDispatcher(services, (line) => logs.push(line)),
    logs,
    close: () => services.stop(),
  };
  running.push(t);
  return t;
}

const modeOf = (path: string) => statSync(path).mode & 0o777;
/** Every file under `dir` that someone other than its owner could read or write. */
const openToOthers = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => (statSync(path).mode & 0o077) !== 0)
    .map((path) => `${path} ${modeOf(path).toString(8)}`);

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'enclave-first-run-'));
  chmodSync(root, 0o755); // as a home directory is: the data directory must close itself
  roots.push(root);
  return root;
}

describe('first-run files', () => {
  it('setup creates a missing data directory (0700); every file it and a backup write is owner-only', async () => {
    const root = freshRoot();
    const dataDir = join(root, 'share', 'enclave');
    const t = await servicesOn(dataDir);
    await acknowledgeConsent(t);
    const secret = await setUpStore(t);
    expect(modeOf(dataDir)).toBe(0o700);

    const db = join(dataDir, 'enclave.db');
    for (const file of ['enclave.db', 'enclave.db-wal', 'enclave.db-shm', 'enclave.db.keys', 'enclave.db.trust.json'])
      expect(existsSync(join(dataDir, file)), file).toBe(true);
    expect(existsSync(join(dataDir, 'site-config.json'))).toBe(true);
    // A refusal while locked goes to the journal beside the database.
    await t.dispatch('enclave:identity.lock', {});
    await t.dispatch('enclave:audit.list', { limit: 1 });
    expect(existsSync(`${db}.audit-pending.jsonl`)).toBe(true);
    expect(openToOthers(dataDir)).toEqual([]);
    await t.services.stop();

    const backups = join(root, 'backups');
    mkdirSync(backups, { mode: 0o755 });
    const backup = spawnSync(
      process.execPath,
      [join(repoRoot, 'dist', 'node', 'cli.cjs'), '--data-dir', dataDir, 'db', 'backup', join(backups, 'monday.db')],
      { encoding: 'utf8', env: { ...process.env, ENCLAVE_RECOVERY_SECRET: secret }, input: '', timeout: 60_000 },
    );
    expect(backup.status, backup.stderr).toBe(0);
    expect(readdirSync(backups).sort()).toEqual(['monday.db', 'monday.db.keys']);
    expect(openToOthers(backups)).toEqual([]);
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it('an existing data directory is closed to others (0700) when the services start', async () => {
    const dataDir = join(freshRoot(), 'enclave');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const t = await servicesOn(dataDir);
    expect((await t.dispatch('enclave:system.info', {})).ok).toBe(true);
    expect(modeOf(dataDir)).toBe(0o700);
  });

  it('refuses a site name with control, direction-changing or invisible characters, plainly, and writes nothing', async () => {
    const dataDir = join(freshRoot(), 'enclave');
    const t = await servicesOn(dataDir);
    await acknowledgeConsent(t);
    for (const [siteName, named] of [
      ['Field Site 7\nSECRET//NOFORN', 'U+000A'],
      ['Field \u202eSite 7', 'U+202E'],
      ['Field Site\u2066 7', 'U+2066'],
      ['Field\u200b Site 7', 'U+200B'],
      ['Field Site\u0007 7', 'U+0007'],
      ['Field\u2028Site', 'U+2028'],
    ] as const) {
      const result = await t.dispatch('enclave:setup.begin', { siteName, systemHigh: 'SECRET' });
      expect(result, named).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(
            new RegExp(
              `^The site name may not contain .*\\(${named.replace('+', '\\+')} at position \\d+\\)\\. Type it again`,
            ),
          ),
        },
      });
    }
    expect(existsSync(join(dataDir, 'site-config.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'enclave.db'))).toBe(false);
    // Letters of other scripts are names like any other.
    expect(
      await t.dispatch('enclave:setup.begin', { siteName: 'Füssen Außenstelle 7', systemHigh: 'SECRET' }),
    ).toMatchObject({
      ok: true,
    });
  });
});
