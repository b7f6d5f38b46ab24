import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyAppRelease,
  installedVersion,
  readPrevious,
  recoverInterruptedRelease,
  releaseState,
  rollbackRelease,
  stageRelease,
  switchRelease,
} from '../../../electron/services/updates/release';
import { kitTar, releaseTarget, sampleKit } from '../../support/release-kit';

const work = mkdtempSync(join(tmpdir(), 'enclave-release-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const freshRoot = () => mkdtempSync(join(work, `root-${++n}-`));
const release = (version: string) => releaseTarget(version, kitTar(sampleKit(version)));
const versions = (root: string) => readdirSync(join(root, 'versions')).sort();

describe('app release install, switch and rollback', () => {
  it('installs a first release: versions/<v> holds the kit, current links to it, nothing else is left', async () => {
    const root = freshRoot();
    expect(installedVersion(root)).toBeNull();
    const staged = await stageRelease(root, release('0.1.0'));
    expect(staged).toMatchObject({ version: '0.1.0', files: 4 });
    expect(installedVersion(root)).toBeNull(); // staged, not yet switched to
    expect(switchRelease(root, '0.1.0')).toEqual({ from: null, to: '0.1.0', removed: [] });
    expect(readlinkSync(join(root, 'current'))).toBe('versions/0.1.0');
    expect(readFileSync(join(root, 'current', 'bin', 'enclave'), 'utf8')).toContain('enclave 0.1.0');
    expect(versions(root)).toEqual(['0.1.0']);
    expect(readPrevious(root)).toBeNull();
    expect(lstatSync(join(root, 'versions', '0.1.0')).mode & 0o077).toBe(0); // the staging folder's 0700
  });

  it('updates to a newer release, records the old one, rolls back to it and keeps the newer one installed', async () => {
    const root = freshRoot();
    await applyAppRelease(root, release('0.1.0'));
    const outcome = await applyAppRelease(root, release('0.2.0'));
    expect(outcome).toMatchObject({ kind: 'app-release', result: 'staged' });
    expect(outcome.detail).toMatch(
      /^app 0\.1\.0 → 0\.2\.0 \(4 files, \d+ bytes\), runs from the next start; rollback returns to 0\.1\.0$/,
    );
    expect(installedVersion(root)).toBe('0.2.0');
    expect(readPrevious(root)).toBe('0.1.0');

    expect(rollbackRelease(root)).toEqual({ from: '0.2.0', to: '0.1.0', removed: [] });
    expect(installedVersion(root)).toBe('0.1.0');
    expect(readFileSync(join(root, 'current', 'VERSION'), 'utf8')).toBe('0.1.0\n');
    expect(versions(root)).toEqual(['0.1.0', '0.2.0']);
    expect(() => rollbackRelease(root)).toThrow(/no earlier version to roll back to.*nothing was changed/);

    // Applying 0.2.0 again after the rollback moves forward, replacing its folder.
    await applyAppRelease(root, release('0.2.0'));
    expect(installedVersion(root)).toBe('0.2.0');
    expect(readPrevious(root)).toBe('0.1.0');
    expect(releaseState(root)).toMatchObject({ installed: ['0.2.0', '0.1.0'], interrupted: [], problems: [] });
  });

  it('keeps the current and the previous version and deletes older ones', async () => {
    const root = freshRoot();
    for (const v of ['0.1.0', '0.2.0', '0.3.0']) await applyAppRelease(root, release(v));
    expect(versions(root)).toEqual(['0.2.0', '0.3.0']);
    rollbackRelease(root); // 0.3.0 → 0.2.0; 0.3.0 stays
    const moved = await applyAppRelease(root, release('0.4.0'));
    expect(moved.detail).toMatch(/rollback returns to 0\.2\.0$/);
    expect(versions(root)).toEqual(['0.2.0', '0.3.0', '0.4.0']); // current 0.4.0, previous 0.2.0, second newest 0.3.0
    await applyAppRelease(root, release('0.5.0'));
    expect(versions(root)).toEqual(['0.4.0', '0.5.0']);
  });

  it('orders pre-releases: 1.0.0-rc.1 updates to 1.0.0, never the other way', async () => {
    const root = freshRoot();
    await applyAppRelease(root, release('1.0.0-rc.1'));
    await applyAppRelease(root, release('1.0.0'));
    expect(installedVersion(root)).toBe('1.0.0');
    await expect(stageRelease(root, release('1.0.0-rc.2'))).rejects.toThrow(
      /1\.0\.0-rc\.2 .* is older than the installed version 1\.0\.0/,
    );
  });

  it('replaces a complete versions/<v> left by an apply interrupted after staging', async () => {
    const root = freshRoot();
    await applyAppRelease(root, release('0.1.0'));
    await stageRelease(root, release('0.2.0')); // staged, never switched: a crash here leaves it
    const newer = releaseTarget('0.2.0', kitTar({ ...sampleKit('0.2.0'), 'NOTES.txt': 'second build\n' }));
    const staged = await stageRelease(root, newer);
    expect(staged.files).toBe(5);
    expect(readFileSync(join(root, 'versions', '0.2.0', 'NOTES.txt'), 'utf8')).toBe('second build\n');
    expect(versions(root)).toEqual(['0.1.0', '0.2.0']);
    expect(recoverInterruptedRelease(root)).toEqual({ cleaned: [], problems: [] });
  });
});
