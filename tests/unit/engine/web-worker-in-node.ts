import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker as ThreadWorker } from 'node:worker_threads';
import type { EngineReply } from '../../../common/engine/cpu/messages';
import type { EngineWorkerPort } from '../../../renderer/engine/cpu/pool';

/**
 * The app's CPU engine worker (renderer/engine/cpu/worker.ts, unchanged) run from Node: bundled
 * as the app's build bundles it, in a worker thread whose `self` carries its messages. Node has
 * no Web Workers; this carries the same messages, with the same transfers, to the same worker code.
 */
export async function bundleRendererWorker(root: string): Promise<{ path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-renderer-worker-'));
  const path = join(dir, 'renderer-engine-worker.cjs');
  await build({
    entryPoints: [join(root, 'renderer', 'engine', 'cpu', 'worker.ts')],
    outfile: path,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
    // A worker scope's self: postMessage out, onmessage in.
    banner: {
      js: [
        "const { parentPort: __port } = require('node:worker_threads');",
        'globalThis.self = {',
        '  postMessage: (message, transfer) => __port.postMessage(message, transfer),',
        "  set onmessage(handler) { __port.on('message', (data) => handler({ data })); },",
        '};',
      ].join('\n'),
    },
  });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An engine worker port (renderer/engine/cpu/pool.ts) over a worker thread, as worker-url.ts gives one over a Web Worker. */
export function startWorkerThreadPort(path: string): EngineWorkerPort {
  const thread = new ThreadWorker(path);
  return {
    postMessage: (request, transfer) => thread.postMessage(request, transfer),
    listen(onReply, onError) {
      thread.on('message', (reply: EngineReply) => onReply(reply));
      thread.on('error', (error: Error) => onError(error.message));
    },
    terminate: () => void thread.terminate(),
  };
}
