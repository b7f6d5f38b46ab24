import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyAppRelease,
  installedVersion,
  readPrevious,
  rollbackRelease,
  stageRelease,
  switchRelease,
} from '../../../electron/services/updates/release';
import { kitTar, releaseTarget, sampleKit, sha256sums } from '../../support/release-kit';

const work = mkdtempSync(join(tmpdir(), 'enclave-release-refusals-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
let root: string;
const versions = () => readdirSync(join(root, 'versions')).sort();

beforeEach(async () => {
  root = mkdtempSync(join(work, `root-${++n}-`));
  await applyAppRelease(root, releaseTarget('0.1.0', kitTar(sampleKit('0.1.0'))));
});

/** Stages 0.2.0 from this tar: the refusal must name the reason and leave versions/ and current as they were. */
async function refusedWith(tar: Buffer, reason: RegExp): Promise<void> {
  await expect(stageRelease(root, releaseTarget('0.2.0', tar))).rejects.toThrow(reason);
  expect(versions()).toEqual(['0.1.0']);
  expect(installedVersion(root)).toBe('0.1.0');
}

const kit = sampleKit('0.2.0');

describe('app release refusals', () => {
  it('refuses a release not newer than the installed one, naming both versions', async () => {
    await expect(stageRelease(root, releaseTarget('0.1.0', kitTar(sampleKit('0.1.0'))))).rejects.toThrow(
      'The app release 0.1.0 (app/enclave-0.1.0.tar) is the version already installed; nothing was changed.',
    );
    await expect(stageRelease(root, releaseTarget('0.0.9', kitTar(sampleKit('0.0.9'))))).rejects.toThrow(
      /The app release 0\.0\.9 \(app\/enclave-0\.0\.9\.tar\) is older than the installed version 0\.1\.0; an update never goes back/,
    );
    expect(versions()).toEqual(['0.1.0']);
  });

  it('refuses a target without a version, with a malformed one, or of another kind', async () => {
    const tar = kitTar(kit);
    await expect(stageRelease(root, releaseTarget(null, tar, 'app/enclave.tar'))).rejects.toThrow(
      'The app release app/enclave.tar carries no version in its metadata.',
    );
    await expect(stageRelease(root, releaseTarget('0.2', tar, 'app/enclave.tar'))).rejects.toThrow(
      'has version "0.2", not MAJOR.MINOR.PATCH',
    );
    await expect(stageRelease(root, releaseTarget('../0.2.0', tar, 'app/enclave.tar'))).rejects.toThrow(
      'has version "../0.2.0"',
    );
    await expect(stageRelease(root, { ...releaseTarget('0.2.0', tar), kind: 'crl' })).rejects.toThrow(
      'is not an app release (it is a crl)',
    );
    expect(versions()).toEqual(['0.1.0']);
  });

  it('refuses a file that differs from its SHA256SUMS line', async () => {
    const sums = sha256sums(kit);
    await refusedWith(
      kitTar({ ...kit, 'bin/enclave': '#!/bin/sh\ncurl evil\n' }, { sums }),
      /The app release 0\.2\.0 \(app\/enclave-0\.2\.0\.tar\) was refused: bin\/enclave does not match its SHA-256 in SHA256SUMS .* Nothing was installed\./,
    );
  });

  it('refuses a listed file the release does not hold', async () => {
    const rest = Object.fromEntries(Object.entries(kit).filter(([name]) => name !== 'VERSION'));
    await refusedWith(
      kitTar(rest, { sums: sha256sums(kit) }),
      /SHA256SUMS lists VERSION, which the release does not hold/,
    );
  });

  it('refuses a file SHA256SUMS does not list, but allows its signatures beside it', async () => {
    await refusedWith(
      kitTar(kit, { extra: [{ name: 'resources/app/extra.js', type: '0', data: Buffer.from('1') }] }),
      /resources\/app\/extra\.js is not listed in SHA256SUMS/,
    );
    const signed = kitTar(kit, {
      extra: [
        { name: 'SHA256SUMS.cms', type: '0', data: Buffer.from('signature') },
        { name: 'SHA384SUMS', type: '0', data: Buffer.from('more sums') },
      ],
    });
    expect((await stageRelease(root, releaseTarget('0.2.0', signed))).files).toBe(6);
  });

  it('refuses links, devices and paths that climb out, through the safe tar reader', async () => {
    await refusedWith(
      kitTar(kit, { extra: [{ name: 'bin/sh', type: '2', linkName: '/bin/sh' }] }),
      /its tar was refused at bin\/sh: The tar holds a symbolic link; bundles hold plain files only\./,
    );
    await refusedWith(
      kitTar(kit, { extra: [{ name: 'bin/hard', type: '1', linkName: 'VERSION' }] }),
      /refused at bin\/hard: The tar holds a hard link/,
    );
    await refusedWith(kitTar(kit, { extra: [{ name: 'dev/null', type: '3' }] }), /The tar holds a device or a pipe/);
    await refusedWith(
      kitTar(kit, { extra: [{ name: '../escape', type: '0', data: Buffer.from('x') }] }),
      /refused at \.\.\/escape: A tar entry's path is unsafe/,
    );
    expect(existsSync(join(work, 'escape'))).toBe(false);
  });

  it('refuses a kit without SHA256SUMS, or with a line sha256sum would not write', async () => {
    const { craftTar } = await import('../../support/bag-mutations');
    await refusedWith(
      craftTar(Object.entries(kit).map(([name, data]) => ({ name, type: '0', data: Buffer.from(data) }))),
      /was refused: it holds no SHA256SUMS at its top level\./,
    );
    await refusedWith(
      kitTar(kit, { sums: `${sha256sums(kit)}deadbeef  VERSION\n` }),
      /SHA256SUMS line 4 is not "<SHA-256 in hex> {2}<path>"/,
    );
    await refusedWith(
      kitTar(kit, { sums: `${sha256sums(kit)}${'0'.repeat(64)}  ../../etc/passwd\n` }),
      /SHA256SUMS line 4 names an unsafe path: it climbs out/,
    );
    await refusedWith(
      kitTar(kit, { sums: `${sha256sums(kit)}${sha256sums(kit)}` }),
      /SHA256SUMS line 4 lists VERSION a second time/,
    );
  });

  it('refuses a tar cut short or with garbage after it', async () => {
    const tar = kitTar(kit);
    await refusedWith(tar.subarray(0, tar.length - 2048), /its tar was refused.*cut short/);
    await refusedWith(Buffer.concat([tar, Buffer.from('trailing')]), /its tar was refused: The tar has data after/);
  });

  it('refuses to switch to a version not installed, not complete, or older', async () => {
    expect(() => switchRelease(root, '0.3.0')).toThrow(/Version 0\.3\.0 is not installed .* nothing was changed/);
    expect(() => switchRelease(root, '0.1.0')).toThrow('0.1.0 is already the running version; nothing was changed.');
    expect(() => switchRelease(root, 'latest')).toThrow('"latest" is not a release version');
    await applyAppRelease(root, releaseTarget('0.2.0', kitTar(kit)));
    expect(() => switchRelease(root, '0.1.0')).toThrow(
      /0\.1\.0 is older than the running version 0\.2\.0; only a rollback goes back/,
    );
    rmSync(join(root, 'versions', '0.1.0', 'SHA256SUMS'));
    expect(() => rollbackRelease(root)).toThrow(/holds no SHA256SUMS: it is not a complete release/);
    expect(installedVersion(root)).toBe('0.2.0');
  });

  it('refuses a rollback whose version folder is gone, changing nothing', async () => {
    await applyAppRelease(root, releaseTarget('0.2.0', kitTar(kit)));
    rmSync(join(root, 'versions', '0.1.0'), { recursive: true });
    expect(() => rollbackRelease(root)).toThrow(
      /The previous version 0\.1\.0 cannot be rolled back to: its folder .*versions\/0\.1\.0 is gone\. Nothing was changed\./,
    );
    expect(installedVersion(root)).toBe('0.2.0');
    expect(readPrevious(root)).toBe('0.1.0');
  });

  it('refuses a current that is not a versions/<v> link instead of guessing', async () => {
    rmSync(join(root, 'current'));
    symlinkSync('/opt/other', join(root, 'current'));
    await expect(stageRelease(root, releaseTarget('0.2.0', kitTar(kit)))).rejects.toThrow(
      /current points at "\/opt\/other", not at versions\/<version>; Enclave does not guess what to run\./,
    );
    expect(versions()).toEqual(['0.1.0']);
  });
});
