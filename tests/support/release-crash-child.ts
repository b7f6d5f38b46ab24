import { readFileSync, writeSync } from 'node:fs';
import { applyAppRelease, rollbackRelease, type ReleaseStep } from '../../electron/services/updates/release';
import { releaseTarget } from './release-kit';

// Child process for the release crash test: applies one app release (stage, then switch), or rolls
// back, printing each step as it is reached. With a step named in the last argument it stops itself
// there (SIGSTOP) so the parent can SIGKILL it exactly at that point; the stop lives in this test
// child only, never in Enclave.
const [mode, root, tarPath, version, stopAt] = process.argv.slice(2) as [string, string, string, string, string];
const onStep = (step: ReleaseStep) => {
  writeSync(1, `step ${step}\n`);
  if (step === stopAt) process.kill(process.pid, 'SIGSTOP');
};
writeSync(1, 'ready\n');
const work =
  mode === 'rollback'
    ? Promise.resolve().then(() => rollbackRelease(root, { onStep }).to)
    : applyAppRelease(root, releaseTarget(version, readFileSync(tarPath)), { onStep }).then((o) => o.detail);
work.then(
  (what) => writeSync(1, `done ${what}\n`),
  (error: Error) => {
    writeSync(2, `${error.message}\n`);
    process.exitCode = 1;
  },
);
