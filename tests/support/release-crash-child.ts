import { readFileSync, writeSync } from 'node:fs';
import { applyAppRelease, type ReleaseStep } from '../../electron/services/updates/release';
import { releaseTarget } from './release-kit';

// Child process for the release crash test: applies one app release (stage, then switch), printing
// each step as it is reached. With a step named in argv[5] it stops itself there (SIGSTOP) so the
// parent can SIGKILL it exactly at that point; the stop is in this test child only, never in Enclave.
const [root, tarPath, version, stopAt] = process.argv.slice(2) as [string, string, string, string];
const target = releaseTarget(version, readFileSync(tarPath));
writeSync(1, 'ready\n');
applyAppRelease(root, target, {
  onStep: (step: ReleaseStep) => {
    writeSync(1, `step ${step}\n`);
    if (step === stopAt) process.kill(process.pid, 'SIGSTOP');
  },
}).then(
  (outcome) => writeSync(1, `done ${outcome.detail}\n`),
  (error: Error) => {
    writeSync(2, `${error.message}\n`);
    process.exitCode = 1;
  },
);
