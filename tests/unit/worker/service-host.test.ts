import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HUNG_MIDDLEWARE, ServiceHost } from '../../../electron/worker/service-host';
import { repoRoot } from '../../support/services';

const dir = mkdtempSync(join(tmpdir(), 'enclave-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paths = {
  dataDir: dir,
  resourcesDir: join(repoRoot, 'resources'),
  siteConfigPath: join(dir, 'site-config.json'),
};

describe('service host', () => {
  it('reports UNAVAILABLE, not a crash, when the worker cannot start', async () => {
    const host = new ServiceHost({ workerPath: join(dir, 'missing-worker.cjs'), paths });
    const result = await host.call('system', 'info', {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/could not start/) },
    });
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
    expect(first).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/exit code 7/) },
    });
    const second = await host.call('system', 'info', {});
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/exit code 7/) },
    });
    await host.stop();
  });

  it('times out a call the worker never answers', async () => {
    const silent = join(dir, 'silent-worker.cjs');
    writeFileSync(
      silent,
      "const { parentPort } = require('node:worker_threads');\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', () => {});\n",
    );
    const host = new ServiceHost({ workerPath: silent, paths, callTimeoutMs: 200 });
    expect(await host.call('system', 'health', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'system.health did not answer in time.' },
    });
    await host.stop();
  });

  it('closes the services for good when a PKCS#11 call never returns, and does not wait for the stuck worker', async () => {
    // On its first call this worker marks a native call as started (as native/pkcs11 does) and then
    // blocks its thread for good, as OpenSC does when a card is pulled mid-operation.
    const stuck = join(dir, 'stuck-worker.cjs');
    writeFileSync(
      stuck,
      [
        "const { parentPort, workerData } = require('node:worker_threads');",
        'const clock = new BigInt64Array(workerData.nativeCallClock, 0, 1);',
        "parentPort.postMessage({ type: 'ready' });",
        "parentPort.on('message', () => { Atomics.store(clock, 0, BigInt(Date.now())); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });",
      ].join('\n'),
    );
    const hung: string[] = [];
    const host = new ServiceHost({
      workerPath: stuck,
      paths,
      hungAfterMs: 300,
      onHung: (message) => hung.push(message),
    });
    const started = Date.now();
    expect(await host.call('identity', 'login', {})).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: HUNG_MIDDLEWARE },
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(hung).toEqual([HUNG_MIDDLEWARE]);
    expect(await host.call('identity', 'status', {})).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: HUNG_MIDDLEWARE },
    });
    const stopping = Date.now();
    await host.stop();
    expect(Date.now() - stopping).toBeLessThan(500);
  });

  it('does not mistake slow work outside PKCS#11 for a hang', async () => {
    const slow = join(dir, 'slow-worker.cjs');
    writeFileSync(
      slow,
      [
        "const { parentPort } = require('node:worker_threads');",
        "parentPort.postMessage({ type: 'ready' });",
        "parentPort.on('message', (m) => { const end = Date.now() + 800; while (Date.now() < end); parentPort.postMessage({ type: 'result', id: m.id, result: { ok: true, value: 'done' } }); });",
      ].join('\n'),
    );
    const hung: string[] = [];
    const host = new ServiceHost({
      workerPath: slow,
      paths,
      hungAfterMs: 200,
      onHung: (message) => hung.push(message),
    });
    expect(await host.call('system', 'info', {})).toEqual({ ok: true, value: 'done' });
    expect(hung).toEqual([]);
    await host.stop();
  });

  it('refuses calls after stop', async () => {
    const host = new ServiceHost({ workerPath: join(repoRoot, 'dist', 'node', 'service-worker.cjs'), paths });
    await host.start();
    await host.stop();
    expect(await host.call('system', 'info', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});
