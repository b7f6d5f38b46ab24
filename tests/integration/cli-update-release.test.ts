import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyAppRelease, installedVersion } from '../../electron/services/updates/release';
import { kitTar, releaseTarget, sampleKit } from '../support/release-kit';
import { repoRoot } from '../support/services';

/** `enclave update release-status` and `enclave update rollback` end to end: the built CLI. */
const work = mkdtempSync(join(tmpdir(), 'enclave-cli-release-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function enclave(args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ENCLAVE_DATA_DIR: join(work, 'no-data-dir') },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('enclave update (built CLI)', () => {
  it('shows the running, previous and installed versions and leftovers, rolls back once, then refuses', async () => {
    const root = join(work, 'install');
    mkdirSync(root);
    for (const v of ['0.1.0', '0.2.0']) await applyAppRelease(root, releaseTarget(v, kitTar(sampleKit(v))));
    mkdirSync(join(root, 'versions', '.staging-0.3.0-0123456789ab'));

    const status = enclave(['update', 'release-status', '--install-root', root]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Running:      0.2.0\n');
    expect(status.stdout).toContain('Previous:     0.1.0 (enclave update rollback returns to it)\n');
    expect(status.stdout).toContain('Installed:    0.2.0, 0.1.0\n');
    expect(status.stdout).toMatch(
      /Interrupted: {2}an app update to 0\.3\.0 was interrupted while staging; its partial files are in .*; 0\.2\.0 is still the running version/,
    );

    const rolled = enclave(['update', 'rollback', '--install-root', root]);
    expect(rolled).toMatchObject({
      code: 0,
      stdout: 'Rolled back from 0.2.0 to 0.1.0; 0.2.0 stays installed. Enclave runs 0.1.0 from its next start.\n',
    });
    expect(installedVersion(root)).toBe('0.1.0');
    const again = enclave(['update', 'rollback', '--install-root', root]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^enclave: There is no earlier version to roll back to .*nothing was changed\.\n$/);

    const json = JSON.parse(enclave(['--json', 'update', 'release-status', '--install-root', root]).stdout);
    expect(json).toMatchObject({
      current: '0.1.0',
      currentPresent: true,
      previous: null,
      installed: ['0.2.0', '0.1.0'],
    });
    expect(json.interrupted).toHaveLength(1);
  });

  it('exits 1 naming the problem when current points at a missing folder; 2 for a missing install root', async () => {
    const root = join(work, 'broken');
    mkdirSync(root);
    for (const v of ['0.1.0', '0.2.0']) await applyAppRelease(root, releaseTarget(v, kitTar(sampleKit(v))));
    rmSync(join(root, 'versions', '0.2.0'), { recursive: true });
    const status = enclave(['update', 'release-status', '--install-root', root]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('Running:      0.2.0 (its folder is missing)\n');
    expect(status.stdout).toContain(
      'PROBLEM:      current points at versions/0.2.0, which is missing: that version cannot start. Nothing was changed; roll back to 0.1.0 (enclave update rollback) or reinstall.',
    );
    expect(enclave(['update', 'rollback', '--install-root', root]).code).toBe(0);
    expect(installedVersion(root)).toBe('0.1.0');

    const absent = enclave(['update', 'rollback', '--install-root', join(work, 'absent')]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/^enclave: --install-root .*absent is not a folder\.\n$/);
    expect(enclave(['update', 'rollback']).code).toBe(2);
  });
});
