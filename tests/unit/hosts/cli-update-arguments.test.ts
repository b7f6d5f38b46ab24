import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RepositoryError } from '../../../electron/services/updates/repository/errors';
import { initOptions, parseDays, readKeyFile, type InitRepoArgs } from '../../../hosts/cli/update-arguments';
import { p384Signer } from '../updates/repository-support';

const work = mkdtempSync(join(tmpdir(), 'enclave-update-args-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const NOW = new Date('2026-12-04T00:00:00Z');

const keyFile = (name: string) => {
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify(p384Signer().key));
  return path;
};
const a = keyFile('a');
const b = keyFile('b');
const complete: InitRepoArgs = {
  rootKey: [a, b],
  rootThreshold: '2',
  targetsKey: [a],
  snapshotKey: [b],
  timestampKey: [a],
  roleKey: ['releases=' + a, 'trust=' + b, 'site=' + a, 'users=' + a, 'models=' + a],
};
const usage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RepositoryError);
    expect((error as RepositoryError).code).toBe('usage');
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('enclave update init-repo arguments', () => {
  it('reads key files into roles, thresholds default to 1, expiry periods override the defaults', () => {
    const options = initOptions(
      { ...complete, roleThreshold: ['trust=1'], expires: '400d', roleExpires: ['timestamp=7', 'delegated=30d'] },
      NOW,
    );
    expect(options.roles.root).toMatchObject({ threshold: 2 });
    expect(options.roles.root!.keys).toHaveLength(2);
    expect(options.roles.trust).toMatchObject({ threshold: 1 });
    expect(options.expiryDays).toEqual({ root: 400, targets: 365, delegated: 30, snapshot: 30, timestamp: 7 });
  });

  it('refuses a missing role key, malformed pairs, unknown roles, bad numbers and bad key files, each by name', () => {
    expect(usage(() => initOptions({ ...complete, roleKey: complete.roleKey!.slice(1) }, NOW))).toMatch(
      /The releases role needs a key: --role-key releases=FILE/,
    );
    expect(usage(() => initOptions({ ...complete, snapshotKey: [] }, NOW))).toMatch(/--snapshot-key FILE/);
    expect(usage(() => initOptions({ ...complete, roleKey: ['trust'] }, NOW))).toMatch(/--role-key takes ROLE=VALUE/);
    expect(usage(() => initOptions({ ...complete, roleKey: ['root=' + a] }, NOW))).toMatch(
      /--role-key: "root" is not one of releases, trust/,
    );
    expect(usage(() => initOptions({ ...complete, rootThreshold: 'two' }, NOW))).toMatch(
      /The root threshold must be a whole number/,
    );
    expect(usage(() => initOptions({ ...complete, roleThreshold: ['trust=1', 'trust=2'] }, NOW))).toMatch(
      /names trust twice/,
    );
    expect(usage(() => parseDays('1y', '--expires'))).toMatch(/--expires is a number of days such as 365d/);
    expect(usage(() => parseDays('9999', '--expires'))).toMatch(/from 1 to 3650/);
    const notKey = join(work, 'not-key.json');
    writeFileSync(notKey, JSON.stringify({ keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp384', keyval: {} }));
    expect(usage(() => readKeyFile(notKey))).toMatch(/is not a TUF public key \(keyval.public/);
    const huge = join(work, 'huge.json');
    writeFileSync(huge, 'x'.repeat(70 * 1024));
    expect(usage(() => readKeyFile(huge))).toMatch(/over its 65536-byte limit/);
    expect(usage(() => readKeyFile(join(work, 'absent.json')))).toMatch(/does not exist/);
  });
});
