import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../support/lossy-relay';

/**
 * Shared by the diode benchmarks: the built CLI (`npm run bench` builds dist/node first) as receiver
 * and sender, each in its own process, as a site would run them.
 */
export const cli = join(process.cwd(), 'dist', 'node', 'cli.cjs');

export type DiodeEvent =
  | { event: 'received'; name: string; path: string; sha512: string; size: number }
  | { event: 'lost'; name: string; reason: string; groupsMissing: number; bytesMissing: number };

/** `enclave --json diode receive` in the background; `next()` resolves with each event it prints. */
export function startCliReceiver(quarantine: string, port: number, extra: string[] = []) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      '--json',
      'diode',
      'receive',
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--quarantine',
      quarantine,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const events: DiodeEvent[] = [];
  const waiters: ((e: DiodeEvent) => void)[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const event = JSON.parse(buffered.slice(0, newline)) as DiodeEvent;
      buffered = buffered.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(event);
      else events.push(event);
    }
  });
  return {
    next: () =>
      new Promise<DiodeEvent>((resolve) => (events.length ? resolve(events.shift()!) : waiters.push(resolve))),
    stop: () => new Promise<void>((resolve) => (child.on('close', () => resolve()), child.kill('SIGTERM'))),
  };
}

export function runProcess(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

export const sendCli = (file: string, port: number, args: string[]) =>
  runProcess(process.execPath, [cli, 'diode', 'send', file, '--to', `127.0.0.1:${port}`, ...args]);

/** A file of seeded pseudo-random bytes (incompressible, repeatable). */
export function writeBenchFile(path: string, size: number, seed: number): void {
  const random = seededRandom(seed);
  const bytes = Buffer.allocUnsafe(size);
  const words = Math.floor(size / 4);
  for (let i = 0; i < words; i++) bytes.writeUInt32LE((random() * 2 ** 32) >>> 0, i * 4);
  for (let i = words * 4; i < size; i++) bytes[i] = (random() * 256) | 0;
  writeFileSync(path, bytes);
}

export async function sha512File(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
export const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
