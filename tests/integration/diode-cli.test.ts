import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_FILE } from '../../electron/services/diode';
import { sendWithCli, writeSeededFile } from '../support/diode-transfer';
import { repoRoot } from '../support/services';

/** `enclave diode receive --once` and `enclave diode send`, both the built CLI, each its own process. */
const work = mkdtempSync(join(tmpdir(), 'enclave-diode-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = join(repoRoot, 'dist', 'node', 'cli.cjs');
const enclave = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('enclave diode', () => {
  it('receive --once exits 0 after one verified file, which is in quarantine with a report line', async () => {
    const quarantine = join(work, 'q');
    const port = 30000 + Math.floor(Math.random() * 20000);
    const receiver = spawn(
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
        '--once',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    receiver.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => receiver.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const source = writeSeededFile(mkdtempSync(join(work, 'src-')), 'bundle.tar', 1_500_000, 8);
    const sent = await sendWithCli(source, port, ['--rate', '100M']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^sent bundle\.tar \(1500000 bytes, session [0-9a-f]{32}\)/);
    expect(await exited).toBe(0);
    const event = JSON.parse(stdout.trim()) as { event: string; path: string };
    expect(event).toMatchObject({ event: 'received', name: 'bundle.tar', size: 1_500_000 });
    expect(readFileSync(event.path).equals(readFileSync(source))).toBe(true);
    const report = readFileSync(join(quarantine, REPORT_FILE), 'utf8').trim().split('\n');
    expect(report.map((line) => (JSON.parse(line) as { event: string }).event)).toEqual(['received']);
  });

  it('bad arguments exit 2 with a specific message and send nothing', () => {
    const file = writeSeededFile(mkdtempSync(join(work, 'args-')), 'ok.tar', 1000, 1);
    const cases: [string[], RegExp][] = [
      [['diode', 'send', file], /--to HOST:PORT is required/],
      [['diode', 'send', file, '--to', 'localhost'], /is not HOST:PORT/],
      [['diode', 'send', file, '--to', '127.0.0.1:9', '--redundancy', 'lots'], /not a percentage/],
      [['diode', 'send', file, '--to', '127.0.0.1:9', '--rate', '10'], /outside 100k/],
      [['diode', 'send', file, '--to', '127.0.0.1:9', '--packet-size', '100'], /outside 512 to 65000/],
      [['diode', 'send', join(work, 'missing.tar'), '--to', '127.0.0.1:9'], /ENOENT|no such file/],
      [['diode', 'receive', '--quarantine', work], /--port is required/],
      [['diode', 'receive', '--port', '9'], /--quarantine DIR is required/],
    ];
    for (const [args, message] of cases) {
      const result = enclave(args);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.status, args.join(' ')).toBe(2);
    }
    const unsafe = writeSeededFile(mkdtempSync(join(work, 'args-')), 'has space.tar', 1000, 1);
    const refused = enclave(['diode', 'send', unsafe, '--to', '127.0.0.1:9']);
    expect(refused.stderr).toMatch(/not a safe|must start with a letter/);
    expect(refused.status).toBe(2);
    expect(readdirSync(work).includes(REPORT_FILE)).toBe(false);
  });
});
