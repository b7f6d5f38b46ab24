import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DiodeReceiver,
  type ReceiverOptions,
  type LostTransfer,
  type ReceivedFile,
} from '../../electron/services/diode';
import { seededRandom } from './lossy-relay';
import { repoRoot } from './services';

/** A file of `size` bytes from a seed (random bytes would make a failing run unrepeatable). */
export function writeSeededFile(dir: string, name: string, size: number, seed: number): string {
  const random = seededRandom(seed);
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 4) bytes.writeUInt32LE(Math.floor(random() * 2 ** 32) >>> 0, Math.min(i, size - 4));
  const path = join(dir, name);
  writeFileSync(path, size >= 4 ? bytes : randomBytes(size));
  return path;
}

export type Outcome = { kind: 'received'; file: ReceivedFile } | { kind: 'lost'; lost: LostTransfer };

/** Starts a receiver on 127.0.0.1 with an ephemeral port; `next()` waits for the next outcome. */
export async function startReceiver(options: Omit<ReceiverOptions, 'port'>) {
  const receiver = new DiodeReceiver({ host: '127.0.0.1', port: 0, ...options });
  const outcomes: Outcome[] = [];
  const waiters: ((o: Outcome) => void)[] = [];
  const deliver = (o: Outcome) => {
    const waiter = waiters.shift();
    if (waiter) waiter(o);
    else outcomes.push(o);
  };
  receiver.on('received', (file) => deliver({ kind: 'received', file }));
  receiver.on('lost', (lost) => deliver({ kind: 'lost', lost }));
  const { port } = await receiver.start();
  const next = () =>
    new Promise<Outcome>((resolve) => {
      const ready = outcomes.shift();
      if (ready) resolve(ready);
      else waiters.push(resolve);
    });
  return { receiver, port, next };
}

/**
 * Runs `enclave diode send` from the built CLI in its own process (the receiver and relay in this
 * one must not share an event loop with the sender), resolving with its exit code and output.
 */
export function sendWithCli(
  path: string,
  port: number,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'dist', 'node', 'cli.cjs'), 'diode', 'send', path, '--to', `127.0.0.1:${port}`, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
