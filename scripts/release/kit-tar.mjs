// The kit as one file for an app-update bundle (docs/updates.md, "App releases"): a ustar archive
// of the kit's files, named relative to the kit, sorted, with owner, group, mode and time fixed
// (SOURCE_DATE_EPOCH), so the same kit gives the same tar. GNU tar writes it; Enclave's safe tar
// reader reads it.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { listFiles } from './app-payload.mjs';

export function writeKitTar(kitDir, tarFile, sourceDateEpoch) {
  const listFile = `${tarFile}.list-${process.pid}`;
  const partial = `${tarFile}.partial-${process.pid}`;
  writeFileSync(listFile, listFiles(kitDir).join('\n') + '\n');
  try {
    const flags = ['--format=ustar', '--no-recursion', '--owner=0', '--group=0', '--numeric-owner'];
    flags.push('--mode=a=r,u+w', `--mtime=@${sourceDateEpoch}`, '--verbatim-files-from');
    execFileSync('tar', [...flags, '-C', kitDir, '-cf', partial, '-T', listFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(partial, tarFile);
  } finally {
    rmSync(listFile, { force: true });
    rmSync(partial, { force: true });
  }
}
