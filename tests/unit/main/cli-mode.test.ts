import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliArguments, runCliMode, type CliBundle } from '../../../electron/main/cli-mode';
import { repoRoot } from '../../support/services';

describe("the packaged app's CLI mode", () => {
  it('takes the arguments after --enclave-cli, whatever Chromium switches come before it', () => {
    expect(
      cliArguments(['/opt/Enclave/enclave-app', '--ozone-platform=headless', '--enclave-cli', 'db', 'status']),
    ).toEqual(['db', 'status']);
    expect(cliArguments(['electron', '.', '--enclave-cli'])).toEqual([]);
    expect(cliArguments(['/opt/Enclave/enclave-app', '--no-sandbox'])).toBeNull();
  });

  it('ends with the command’s exit code, and an exception is exit 3 with a one-line message', async () => {
    const codes: number[] = [];
    await runCliMode(
      () => ({ runCli: async () => 1 }),
      [],
      (code) => codes.push(code),
    );
    const broken: CliBundle = {
      runCli: () => {
        throw new Error('no such bundle');
      },
    };
    await runCliMode(
      () => broken,
      [],
      (code) => codes.push(code),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(codes).toEqual([1, 3]);
  });

  it('the CLI bundle loaded as a module (as the app binary loads it) runs a command and does not run itself', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'enclave-cli-mode-'));
    try {
      // What electron/main/main.ts does in CLI mode, in plain Node: require the bundle, run, exit with its code.
      const script = `require(${JSON.stringify(join(repoRoot, 'dist', 'node', 'cli.cjs'))}).runCli(process.argv.slice(1)).then((c) => process.exit(c))`;
      const run = (args: string[]) =>
        spawnSync(process.execPath, ['-e', script, '--', '--data-dir', dataDir, ...args], {
          encoding: 'utf8',
          timeout: 60_000,
        });
      const version = run(['version', '--json']);
      expect(version.status).toBe(0);
      expect(JSON.parse(version.stdout)).toMatchObject({ enclave: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      const refused = run(['db', 'status']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^enclave: /m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
