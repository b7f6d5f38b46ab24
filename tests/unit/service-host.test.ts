import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceHost } from '../../electron/services/service-host';
import { repoRoot } from '../support/services';

const dir = mkdtempSync(join(tmpdir(), 'enclave-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paths = { dataDir: dir, resourcesDir: join(repoRoot, 'resources'), siteConfigPath: join(dir, 'site-config.json') };

describe('service host', () => {
  it('reports UNAVAILABLE, not a crash, when the worker cannot start', async () => {
    const host = new ServiceHost({ workerPath: join(dir, 'missing-worker.cjs'), paths });
    const result = await host.call('system', 'info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/could not start/) } });
    await host.stop();
  });

  it('fails pending calls when the worker dies, and starts a fresh worker for the next call', async () => {
    // A worker that answers "ready", then exits on its first call without answering.
    const dying = join(dir, 'dying-worker.cjs');
    writeFileSync(
      dying,
      "const { parentPort } = require('node:worker_threads');\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', () => process.exit(7));\n",
    );
    const host = new ServiceHost({ workerPath: dying, paths });
    const first = await host.call('system', 'info', {});
    expect(first).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/exit code 7/) } });
    const second = await host.call('system', 'info', {});
    expect(second).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/exit code 7/) } });
    await host.stop();
  });

  it('times out a call the worker never answers', async () => {
    const silent = join(dir, 'silent-worker.cjs');
    writeFileSync(silent, "const { parentPort } = require('node:worker_threads');\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', () => {});\n");
    const host = new ServiceHost({ workerPath: silent, paths, callTimeoutMs: 200 });
    expect(await host.call('system', 'health', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: 'system.health did not answer in time.' } });
    await host.stop();
  });

  it('refuses calls after stop', async () => {
    const host = new ServiceHost({ workerPath: join(repoRoot, 'dist', 'node', 'service-worker.cjs'), paths });
    await host.start();
    await host.stop();
    expect(await host.call('system', 'info', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});
