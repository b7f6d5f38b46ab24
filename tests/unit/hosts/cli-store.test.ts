import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    expect(again.stderr).toMatch(/already exists; refusing to overwrite it/);
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
    expect(enclave(['audit', 'verify'])).toMatchObject({ code: 0, stdout: '1 entries; chain intact.\n' });
    const wrong = enclave(['db', 'status'], {
      ENCLAVE_RECOVERY_SECRET: '0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000',
    });
    expect(wrong).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^enclave: The recovery secret does not unlock/),
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
      .map((l) => JSON.parse(l) as { event: string });
    expect(jsonl.map((e) => e.event)).toEqual(['setup', 'backup', 'key.rotate']);
    const cef = enclave(['audit', 'export', '--format', 'cef']).stdout.trim().split('\n');
    expect(cef[2]).toMatch(
      /^<86>1 \S+ \S+ enclave - audit - CEF:0\|Enclave\|Enclave\|[\d.]+\|key\.rotate\|key rotate\|3\|/,
    );
    expect(enclave(['audit', 'export', '--format', 'xml']).code).toBe(2);
  });

  it('restores a backup over the live database', () => {
    expect(enclave(['db', 'restore', join(dataDir, 'b1.db')])).toMatchObject({ code: 0 });
    const events = enclave(['audit', 'export', '--format', 'jsonl'])
      .stdout.trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(['setup']);
    expect(existsSync(join(dataDir, 'enclave.db.restoring'))).toBe(false);
  });
});
