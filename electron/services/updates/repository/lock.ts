import { closeSync, constants, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RepositoryError } from './errors';

/**
 * One command at a time changes a repository: a second `add-target` or `sign` while another runs
 * would lose one of the two. The lock file is created exclusively and removed when done; one left by
 * a crash names itself in the error, to be removed by hand once nothing else runs.
 */
export async function withRepositoryLock<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const path = join(dir, '.lock');
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new RepositoryError(
        'refused',
        `Another command is changing ${dir} (${path} exists). If none is running, a crash left it: remove it and try again.`,
      );
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new RepositoryError('usage', `${dir} is not an update repository (run enclave update init-repo).`);
    throw error;
  }
  closeSync(fd);
  try {
    return await run();
  } finally {
    rmSync(path, { force: true });
  }
}
