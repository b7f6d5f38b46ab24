import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyAppRelease,
  installedVersion,
  readPrevious,
  recoverInterruptedRelease,
  releaseState,
} from '../../../electron/services/updates/release';
import { kitTar, releaseTarget, sampleKit } from '../../support/release-kit';

const work = mkdtempSync(join(tmpdir(), 'enclave-release-recover-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
let root: string;

beforeEach(async () => {
  root = mkdtempSync(join(work, `root-${++n}-`));
  await applyAppRelease(root, releaseTarget('0.1.0', kitTar(sampleKit('0.1.0'))));
});

describe('recovering from an interrupted app release', () => {
  it('finds nothing on a clean install, and nothing when no install root exists yet', () => {
    expect(recoverInterruptedRelease(root)).toEqual({ cleaned: [], problems: [] });
    expect(recoverInterruptedRelease(join(work, 'absent'))).toEqual({ cleaned: [], problems: [] });
  });

  it('reports each leftover in status without touching it, then removes each at start with one line', () => {
    mkdirSync(join(root, 'versions', '.staging-0.2.0-0123456789ab', 'release', 'bin'), { recursive: true });
    writeFileSync(join(root, 'versions', '.staging-0.2.0-0123456789ab', 'release', 'bin', 'enclave'), 'half');
    mkdirSync(join(root, 'versions', '.removing-0.0.8-abcdefabcdef'));
    symlinkSync('versions/0.2.0', join(root, 'current.new-00aa11bb22cc'));
    writeFileSync(join(root, 'previous.tmp-1234abcd'), '0.0');

    const state = releaseState(root);
    expect(state.current).toEqual({ version: '0.1.0', present: true });
    expect(state.installed).toEqual(['0.1.0']);
    expect(state.problems).toEqual([]);
    expect(state.interrupted).toHaveLength(4);
    expect(state.interrupted).toContain(
      `an app update to 0.2.0 was interrupted while staging; its partial files are in ${join(root, 'versions', '.staging-0.2.0-0123456789ab')}; 0.1.0 is still the running version`,
    );
    expect(lstatSync(join(root, 'current.new-00aa11bb22cc')).isSymbolicLink()).toBe(true); // status changes nothing

    const report = recoverInterruptedRelease(root);
    expect(report.problems).toEqual([]);
    expect(report.cleaned.sort()).toEqual(
      [
        'an app update to 0.2.0 was interrupted while staging; its partial files were removed; 0.1.0 is still the running version',
        'deleting the old app version 0.0.8 was interrupted; its remaining files were removed',
        'an app update switch to 0.2.0 was interrupted before the pointer moved; its unused link was removed; 0.1.0 is still the running version',
        'recording the version to roll back to was interrupted; the unfinished record was removed',
      ].sort(),
    );
    expect(readdirSync(join(root, 'versions'))).toEqual(['0.1.0']);
    expect(readdirSync(root).sort()).toEqual(['current', 'versions']);
    expect(installedVersion(root)).toBe('0.1.0');
    expect(recoverInterruptedRelease(root)).toEqual({ cleaned: [], problems: [] });
  });

  it('clears a rollback record that names the running version (a switch cut off before the pointer moved)', () => {
    writeFileSync(join(root, 'previous'), '0.1.0\n');
    expect(releaseState(root).previous).toBeNull();
    expect(recoverInterruptedRelease(root).cleaned).toEqual([
      'the rollback record names the running version 0.1.0 (a switch or rollback was interrupted next to the pointer change); it was cleared: there is nothing to roll back to',
    ]);
    expect(readPrevious(root)).toBeNull();
  });

  it('reports loudly, and leaves alone, a current that points at a missing folder', async () => {
    await applyAppRelease(root, releaseTarget('0.2.0', kitTar(sampleKit('0.2.0'))));
    rmSync(join(root, 'versions', '0.2.0'), { recursive: true });
    mkdirSync(join(root, 'versions', '.staging-0.3.0-0123456789ab'));
    const report = recoverInterruptedRelease(root);
    expect(report.problems).toEqual([
      'current points at versions/0.2.0, which is missing: that version cannot start. Nothing was changed; roll back to 0.1.0 (enclave update rollback) or reinstall.',
    ]);
    expect(report.cleaned).toEqual([
      'an app update to 0.3.0 was interrupted while staging; its partial files were removed; the running version is in doubt (see the problem reported)',
    ]);
    expect(installedVersion(root)).toBe('0.2.0'); // not guessed, not moved
  });

  it('reports a current that is not a link, and a damaged rollback record, as problems', () => {
    rmSync(join(root, 'current'));
    mkdirSync(join(root, 'current'));
    writeFileSync(join(root, 'previous'), 'not a version\n');
    const report = recoverInterruptedRelease(root);
    expect(report.problems).toEqual([
      `${join(root, 'current')} is not a link to versions/<version>; Enclave does not guess what to run. No version will start until it is repaired or reinstalled.`,
      `${join(root, 'previous')} does not hold a release version. Rollback is not possible until it is removed.`,
    ]);
    expect(existsSync(join(root, 'previous'))).toBe(true);
  });
});
