import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';
import { LATEST_SCHEMA } from '../../../electron/db/migrations';

const dataDir = mkdtempSync(join(tmpdir(), 'enclave-cli-db-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let secret = '';

function enclave(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'node', 'cli.cjs'), '--data-dir', dataDir, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, ENCLAVE_RECOVERY_SECRET: secret, ...env },
      input: '',
      timeout: 60_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('enclave db and audit (CLI)', () => {
  it('init creates the store and shows the recovery secret once; a second init refuses', () => {
    const init = enclave(['db', 'init', '--json']);
    expect(init.code).toBe(0);
    const result = JSON.parse(init.stdout) as { path: string; recoverySecret: string };
    secret = result.recoverySecret;
    expect(result.path).toBe(join(dataDir, 'enclave.db'));
    expect(secret).toMatch(/^([0-9A-Z]{4}-){12}[0-9A-Z]{4}$/);
    expect(readFileSync(`${result.path}.keys`, 'utf8')).not.toContain(secret.replace(/-/g, ''));
    const again = enclave(['db', 'init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^enclave: This workstation is already set up/m);
  });

  it('status, verify and audit verify work with the secret and refuse without it', () => {
    expect(JSON.parse(enclave(['db', 'status', '--json']).stdout)).toMatchObject({
      ok: true,
      schema: LATEST_SCHEMA,
      cipher: 'sqlcipher',
      slots: [{ id: 'recovery' }],
    });
    expect(enclave(['db', 'verify'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/integrity: ok[\s\S]*chain intact/),
    });
    expect(enclave(['audit', 'verify'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+ entries; chain intact\.\n$/),
    });
    const wrong = enclave(['db', 'status'], {
      ENCLAVE_RECOVERY_SECRET: '0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000',
    });
    expect(wrong).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^enclave: That recovery secret does not unlock this workstation/m),
    });
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });

  it('backs up (verified), rotates the key, and exports the audit log for a SIEM', () => {
    expect(enclave(['db', 'backup', join(dataDir, 'b1.db')])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Backup written and verified/),
    });
    expect(enclave(['db', 'rotate-key'])).toMatchObject({ code: 0 });
    const jsonl = enclave(['audit', 'export', '--format', 'jsonl'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; actor: string });
    // Through the services: each command signs in and out, the wrong secret's attempt is on record, and so is the export.
    const work = jsonl.filter((e) => !['login', 'lock'].includes(e.event));
    expect(work.map((e) => e.event)).toEqual([
      'setup',
      'setup.site',
      'login.failure',
      'backup',
      'key.rotate',
      'audit.export',
    ]);
    expect(work.slice(3).map((e) => e.actor)).toEqual(['recovery', 'recovery', 'recovery']);
    const cef = enclave(['audit', 'export', '--format', 'cef']).stdout.trim().split('\n');
    expect(cef.find((line) => line.includes('|key.rotate|'))).toMatch(
      /^<86>1 \S+ \S+ enclave - audit - CEF:0\|Enclave\|Enclave\|[\d.]+\|key\.rotate\|key rotate\|3\|/,
    );
    expect(enclave(['audit', 'export', '--format', 'xml']).code).toBe(2);
  });

  it('restores a backup over the live database, and the restored store records who restored it', () => {
    expect(enclave(['db', 'restore', join(dataDir, 'b1.db')])).toMatchObject({ code: 0 });
    const events = enclave(['audit', 'export', '--format', 'jsonl'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; object: string; actor: string })
      .filter((e) => !['login', 'lock'].includes(e.event));
    expect(events.map((e) => e.event)).toEqual(['setup', 'setup.site', 'login.failure', 'restore', 'audit.export']);
    expect(events[3]).toMatchObject({ object: 'b1.db', actor: 'recovery' });
    expect(existsSync(join(dataDir, 'enclave.db.restoring'))).toBe(false);
  });

  it('a backup its secret does not open changes nothing; a new workstation restores one as its first run', () => {
    const wrong = enclave(
      ['db', 'restore', join(dataDir, 'b1.db'), '--backup-secret-file', join(dataDir, 'no-secret')],
      {},
    );
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringMatching(/^enclave: Cannot read .*no-secret\.$/m) });
    writeFileSync(join(dataDir, 'wrong-secret'), '0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000');
    const refused = enclave([
      'db',
      'restore',
      join(dataDir, 'b1.db'),
      '--backup-secret-file',
      join(dataDir, 'wrong-secret'),
    ]);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/^enclave: .*recovery secret/m) });
    expect(enclave(['db', 'verify']).code).toBe(0); // still signed in with the live secret: nothing changed

    const fresh = mkdtempSync(join(tmpdir(), 'enclave-cli-fresh-'));
    try {
      const restored = spawnSync(
        process.execPath,
        [join(repoRoot, 'dist', 'node', 'cli.cjs'), '--data-dir', fresh, 'db', 'restore', join(dataDir, 'b1.db')],
        { encoding: 'utf8', env: { ...process.env, ENCLAVE_RECOVERY_SECRET: secret }, input: '', timeout: 60_000 },
      );
      expect(restored.status).toBe(0);
      expect(existsSync(join(fresh, 'enclave.db'))).toBe(true);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('prints no control character from what the user or the store named (a path with escape codes)', () => {
    const backup = enclave(['db', 'backup', join(dataDir, 'fake\u001b[42m banner.db')]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('fake\\u001b[42m banner.db');
    expect(backup.stdout + backup.stderr).not.toContain('\u001b');
  });

  it("an export to a file never overwrites, and the file is the owner's alone", () => {
    const file = join(dataDir, 'audit.jsonl');
    expect(enclave(['audit', 'export', '--format', 'jsonl', '--output', file]).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBeGreaterThan(3);
    expect(enclave(['audit', 'export', '--format', 'jsonl', '--output', file])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/already exists; refusing to overwrite it/),
    });
  });
});
