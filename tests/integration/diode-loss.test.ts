import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INCOMING, REPORT_FILE, type SendResult } from '../../electron/services/diode';
import { sendWithCli, startReceiver, writeSeededFile } from '../support/diode-transfer';
import { LossyRelay, type LossyRelayOptions } from '../support/lossy-relay';

/**
 * The diode end to end on loopback: `enclave diode send` (the built CLI, its own process) through
 * the seeded lossy relay into a DiodeReceiver. Redundancies are the ones docs/diode.md recommends.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-diode-loss-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// Modest: the relay and the receiver share this process's event loop.
const RATE = '150M';

async function transfer(name: string, size: number, link: Omit<LossyRelayOptions, 'targetPort'>, args: string[]) {
  const quarantine = join(work, `q-${name}`);
  const path = writeSeededFile(mkdtempSync(join(work, 'src-')), name, size, link.seed);
  const { receiver, port, next } = await startReceiver({ quarantineDir: quarantine, endGraceSeconds: 1 });
  const relay = new LossyRelay({ targetPort: port, ...link });
  const relayPort = await relay.start();
  try {
    const sent = await sendWithCli(path, relayPort, ['--rate', RATE, ...args]);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const outcome = await next();
    // The relay may still hold back a few reordered datagrams (some corrupted) after the file is
    // complete: wait, briefly, until it has delivered every corrupted one before counting.
    for (let waited = 0; receiver.stats().corrupt < relay.stats.corrupted && waited < 3000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const report = readFileSync(join(quarantine, REPORT_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
    return {
      outcome,
      sent: JSON.parse(sent.stdout) as SendResult,
      relay: relay.stats,
      stats: receiver.stats(),
      quarantine,
      original: readFileSync(path),
      report,
    };
  } finally {
    await relay.stop();
    await receiver.stop();
  }
}

function expectArrived(r: Awaited<ReturnType<typeof transfer>>) {
  if (r.outcome.kind !== 'received')
    throw new Error(`lost: ${JSON.stringify(r.outcome.lost)} ${JSON.stringify(r.relay)}`);
  expect(readFileSync(r.outcome.file.path).equals(r.original)).toBe(true);
  expect(r.outcome.file.path).toBe(join(r.quarantine, r.outcome.file.name));
  expect(readdirSync(join(r.quarantine, INCOMING))).toEqual([]);
  expect(r.report.map((line) => line.event)).toEqual(['received']);
  // One way: nothing came back to the relay from the receiver, nor to the sender's socket.
  expect(r.relay.backward).toBe(0);
  expect(r.sent.datagramsReceived).toBe(0);
}

describe('diode transfer through a lossy relay', () => {
  it('at 0% loss the file arrives byte-identical', async () => {
    const r = await transfer('zero.tar', 3_000_000, { seed: 1 }, ['--json']);
    expectArrived(r);
    expect(r.relay.dropped).toBe(0);
  });

  it('at 5% loss with 25% redundancy, reordered and duplicated, the file arrives byte-identical', async () => {
    const r = await transfer('five.tar', 4_000_000, { seed: 5, drop: 0.05, reorder: 0.05, duplicate: 0.02 }, [
      '--json',
      '--redundancy',
      '25%',
    ]);
    expect(r.relay.dropped).toBeGreaterThan(100);
    expect(r.relay.reordered).toBeGreaterThan(50);
    expect(r.stats.duplicate + r.stats.redundant).toBeGreaterThan(0);
    expectArrived(r);
  });

  it('at 10% loss with 40% redundancy the file arrives byte-identical', async () => {
    const r = await transfer('ten.tar', 4_000_000, { seed: 10, drop: 0.1, reorder: 0.02 }, [
      '--json',
      '--redundancy',
      '40%',
    ]);
    expect(r.relay.dropped).toBeGreaterThan(200);
    expectArrived(r);
  });

  it('corrupted datagrams are dropped and counted, never written: the file arrives byte-identical', async () => {
    const r = await transfer('bits.tar', 3_000_000, { seed: 7, corrupt: 0.05 }, ['--json', '--redundancy', '25%']);
    expect(r.relay.corrupted).toBeGreaterThan(50);
    expect(r.stats.corrupt).toBe(r.relay.corrupted);
    expectArrived(r);
  });

  it('at 25% loss with 10% redundancy, three passes are merged into a whole file', async () => {
    const r = await transfer('passes.tar', 2_000_000, { seed: 25, drop: 0.25 }, [
      '--json',
      '--redundancy',
      '10%',
      '--repeat',
      '3',
    ]);
    expect(r.sent.passes).toBe(3);
    expectArrived(r);
  });

  it('at 60% loss with 10% redundancy the transfer is reported lost and nothing is left behind', async () => {
    const r = await transfer('sixty.tar', 2_000_000, { seed: 60, drop: 0.6 }, ['--json', '--redundancy', '10%']);
    if (r.outcome.kind !== 'lost') throw new Error('a transfer beyond repair was reported received');
    const lost = r.outcome.lost;
    expect(lost).toMatchObject({ name: 'sixty.tar', size: 2_000_000, sessionId: r.sent.sessionId });
    expect(lost.groupsMissing).toBeGreaterThan(0);
    expect(lost.blocksMissing).toBeGreaterThan(0);
    expect(lost.bytesMissing).toBeGreaterThan(0);
    expect(r.report).toEqual([
      expect.objectContaining({ event: 'lost', sessionId: r.sent.sessionId, groupsMissing: lost.groupsMissing }),
    ]);
    expect(readdirSync(r.quarantine).sort()).toEqual([INCOMING, REPORT_FILE]);
    expect(readdirSync(join(r.quarantine, INCOMING))).toEqual([]);
    expect(existsSync(join(r.quarantine, 'sixty.tar'))).toBe(false);
  });

  it('two transfers at once into one receiver both arrive whole', async () => {
    const quarantine = join(work, 'q-two');
    const dir = mkdtempSync(join(work, 'src-'));
    const a = writeSeededFile(dir, 'a.tar', 3_000_000, 31);
    const b = writeSeededFile(dir, 'b.tar', 2_500_000, 32);
    const { receiver, port, next } = await startReceiver({ quarantineDir: quarantine, endGraceSeconds: 1 });
    const relay = new LossyRelay({ targetPort: port, seed: 3, drop: 0.03, reorder: 0.02 });
    const relayPort = await relay.start();
    try {
      const sends = await Promise.all(
        [a, b].map((path) => sendWithCli(path, relayPort, ['--rate', '75M', '--redundancy', '25%'])),
      );
      expect(sends.map((s) => s.code)).toEqual([0, 0]);
      const outcomes = [await next(), await next()];
      const names = outcomes.map((o) => (o.kind === 'received' ? o.file.name : `lost ${o.lost.name}`)).sort();
      expect(names).toEqual(['a.tar', 'b.tar']);
      expect(readFileSync(join(quarantine, 'a.tar')).equals(readFileSync(a))).toBe(true);
      expect(readFileSync(join(quarantine, 'b.tar')).equals(readFileSync(b))).toBe(true);
    } finally {
      await relay.stop();
      await receiver.stop();
    }
  });
});
