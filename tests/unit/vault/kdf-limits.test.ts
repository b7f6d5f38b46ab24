import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';

// A key file is not protected against edits: whoever can write the data directory can ask the
// recovery unlock for any scrypt cost. The real CLI must refuse an absurd one before running it.
const dataDir = mkdtempSync(join(tmpdir(), 'enclave-kdf-'));
const keys = join(dataDir, 'enclave.db.keys');
let secret = '';
let original = '';
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function enclave(args: string[], timeout = 60_000) {
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'node', 'cli.cjs'), '--data-dir', dataDir, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, ENCLAVE_RECOVERY_SECRET: secret },
      input: '',
      timeout,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

/** Rewrites the recovery slot's scrypt parameters in the real key file. */
function editKdf(change: Record<string, number>) {
  const header = JSON.parse(original) as { slots: { type: string; kdf?: Record<string, unknown> }[] };
  const slot = header.slots.find((s) => s.type === 'recovery');
  if (!slot?.kdf) throw new Error('no recovery slot');
  Object.assign(slot.kdf, change);
  writeFileSync(keys, JSON.stringify(header, null, 2));
}

beforeAll(() => {
  const init = enclave(['db', 'init', '--json']);
  expect(init.code).toBe(0);
  secret = (JSON.parse(init.stdout) as { recoverySecret: string }).recoverySecret;
  original = readFileSync(keys, 'utf8');
});

describe('scrypt cost in a key file', () => {
  it.each([
    ['N', { N: 2 ** 22 }, /scrypt N=4194304.*at most N=262144/],
    ['r', { r: 1024 }, /scrypt r=1024.*at most r=8/],
    ['p', { p: 64 }, /scrypt p=64.*at most p=4/],
  ])('an edited %s is refused at once, with its own message, before scrypt runs', (_name, change, message) => {
    editKdf(change);
    const status = enclave(['db', 'status'], 15_000);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(message);
    expect(status.stderr).toMatch(/^enclave: The key-slot file's recovery slot asks for scrypt/m);
    expect(status.stderr).not.toMatch(/\n\s+at /);
    expect(status.ms).toBeLessThan(3_000);
    const json = enclave(['db', 'status', '--json'], 15_000);
    // Through the services the refusal is the IPC's FAILED_PRECONDITION, in the store's own words.
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', message });
  });

  it('the cost Enclave writes still opens the store', () => {
    writeFileSync(keys, original);
    expect(enclave(['db', 'status'])).toMatchObject({ code: 0 });
  });
});
