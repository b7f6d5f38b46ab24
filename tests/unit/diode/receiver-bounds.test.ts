import { createHash, randomBytes } from 'node:crypto';
import { createSocket, Socket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeBeacon, groupsOf } from '../../../electron/services/diode/beacon';
import { encodeDatagram, Kind } from '../../../electron/services/diode/datagram';
import { ReedSolomon } from '../../../electron/services/diode/reed-solomon';
import { INCOMING } from '../../../electron/services/diode';
import { startReceiver } from '../../support/diode-transfer';
import { seededRandom } from '../../support/lossy-relay';

/**
 * The receiver's bounds, fed by hand-made datagrams: whatever arrives, memory stays within its caps,
 * and the receiver never sends a datagram.
 */
const work = mkdtempSync(join(tmpdir(), 'enclave-diode-bounds-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BLOCK = 1024;

/** Every datagram of a file, as the sender would make them (one pass). */
function datagramsOf(name: string, file: Buffer, dataBlocks: number, repairBlocks: number) {
  const session = randomBytes(16);
  const groups = groupsOf(file.length, BLOCK, dataBlocks);
  const beacon = encodeBeacon({
    name,
    size: file.length,
    blockSize: BLOCK,
    dataBlocks,
    repairBlocks,
    groups,
    passes: 1,
    sha512: createHash('sha512').update(file).digest(),
  });
  const rs = new ReedSolomon(dataBlocks, repairBlocks, BLOCK);
  const byGroup: Buffer[][] = [];
  for (let g = 0; g < groups; g++) {
    const first = g * dataBlocks;
    const k = Math.min(dataBlocks, Math.ceil(file.length / BLOCK) - first);
    const region = rs.dataRegion(k);
    region.fill(0);
    region.set(file.subarray(first * BLOCK, Math.min(file.length, (first + k) * BLOCK)));
    rs.encode(k);
    const list: Buffer[] = [];
    for (let i = 0; i < k; i++)
      list.push(encodeDatagram({ kind: Kind.Data, session, group: g, index: i, pass: 1 }, rs.dataBlock(i)));
    for (let j = 0; j < repairBlocks; j++)
      list.push(
        encodeDatagram({ kind: Kind.Repair, session, group: g, index: dataBlocks + j, pass: 1 }, rs.repairBlock(j)),
      );
    byGroup.push(list);
  }
  const control = (kind: Kind) => encodeDatagram({ kind, session, group: 0, index: 0, pass: 1 }, beacon);
  return { session: session.toString('hex'), byGroup, beacon: control(Kind.Beacon), end: control(Kind.End) };
}

/** Sends in small bursts, letting the receiver (same process) drain its socket between them. */
async function deliver(port: number, datagrams: Buffer[]) {
  const socket = createSocket('udp4');
  for (let i = 0; i < datagrams.length; i++) {
    socket.send(datagrams[i]!, port, '127.0.0.1');
    if (i % 32 === 31) await sleep(1);
  }
  await sleep(50);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

describe('diode receiver bounds', () => {
  it('drops a flood of random datagrams, counted as corrupt, holding nothing', async () => {
    const { receiver, port } = await startReceiver({ quarantineDir: join(work, 'flood') });
    const random = seededRandom(99);
    const junk = Array.from({ length: 3000 }, (_, i) => {
      const bytes = randomBytes(1 + Math.floor(random() * 1400));
      // Some with the right magic and version, so that the hash is what refuses them.
      if (i % 2 && bytes.length > 8) bytes.write('EDIO\x01', 0, 'latin1');
      return bytes;
    });
    await deliver(port, junk);
    const stats = receiver.stats();
    await receiver.stop();
    expect(stats.datagrams).toBeGreaterThan(2500);
    expect(stats.corrupt).toBe(stats.datagrams);
    expect(stats).toMatchObject({ sessionsOpen: 0, groupMemoryBytes: 0, pendingBytes: 0, received: 0, lost: 0 });
  });

  it('thousands of fake session ids stay within the session cap and the pre-beacon pen', async () => {
    const quarantine = join(work, 'fake');
    const { receiver, port } = await startReceiver({
      quarantineDir: quarantine,
      maxSessions: 4,
      maxPendingBytes: 256 * 1024,
    });
    const fakes: Buffer[] = [];
    for (let i = 0; i < 2000; i++) {
      const fake = datagramsOf(`f${i}.tar`, randomBytes(2 * BLOCK), 4, 1);
      // Half announce themselves (valid beacons), half send only data for a session never announced.
      fakes.push(i % 2 ? fake.beacon : fake.byGroup[0]![0]!);
    }
    let peak = { sessions: 0, pending: 0 };
    const probe = setInterval(() => {
      const s = receiver.stats();
      peak = { sessions: Math.max(peak.sessions, s.sessionsOpen), pending: Math.max(peak.pending, s.pendingBytes) };
    }, 2);
    await deliver(port, fakes);
    clearInterval(probe);
    const stats = receiver.stats();
    await receiver.stop();
    expect(stats.sessionsOpen).toBe(4);
    expect(peak.sessions).toBeLessThanOrEqual(4);
    expect(stats.refused).toBeGreaterThan(900);
    expect(peak.pending).toBeLessThanOrEqual(256 * 1024);
    expect(stats.pendingDropped).toBeGreaterThan(0);
    // Stopping reports the four unfinished transfers and leaves no temp file.
    expect(stats.lost + receiver.stats().lost).toBe(4);
    expect(readdirSync(join(quarantine, INCOMING))).toEqual([]);
  });

  it('a file whose groups arrive interleaved fits the group-memory budget by spilling, and arrives whole', async () => {
    const quarantine = join(work, 'spill');
    const groupBytes = (16 + 4) * BLOCK;
    // Two open groups per session at most.
    const { receiver, port, next } = await startReceiver({
      quarantineDir: quarantine,
      maxSessions: 1,
      maxGroupMemory: 2 * groupBytes,
    });
    const file = randomBytes(40 * 16 * BLOCK + 777);
    const t = datagramsOf('spill.tar', file, 16, 4);
    // Block i of every group, then block i + 1 of every group...: 41 groups open at once; drop block 3 everywhere.
    const order: Buffer[] = [t.beacon];
    for (let i = 0; i < 20; i++) for (const group of t.byGroup) if (i !== 3 && group[i]) order.push(group[i]!);
    order.push(t.end);
    let peak = 0;
    const probe = setInterval(() => (peak = Math.max(peak, receiver.stats().groupMemoryBytes)), 1);
    await deliver(port, order);
    const outcome = await next();
    clearInterval(probe);
    await receiver.stop();
    if (outcome.kind !== 'received') throw new Error(JSON.stringify(outcome.lost));
    expect(readFileSync(outcome.file.path).equals(file)).toBe(true);
    expect(peak).toBeLessThanOrEqual(2 * groupBytes);
    expect(readdirSync(join(quarantine, INCOMING))).toEqual([]);
  });

  it('never sends a datagram, through a whole transfer and a loss', async () => {
    const send = vi.spyOn(Socket.prototype, 'send');
    const { receiver, port, next } = await startReceiver({ quarantineDir: join(work, 'quiet'), endGraceSeconds: 0.2 });
    const ok = datagramsOf('ok.tar', randomBytes(50 * BLOCK), 16, 4);
    const bad = datagramsOf('bad.tar', randomBytes(50 * BLOCK), 16, 4);
    const sender = createSocket('udp4');
    let heard = 0;
    sender.on('message', () => heard++);
    await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
    const all = [
      ok.beacon,
      ...ok.byGroup.flat(),
      ok.end,
      bad.beacon,
      ...bad.byGroup.flat().filter((_, i) => i % 3 === 0),
      bad.end,
    ];
    for (const d of all) sender.send(d, port, '127.0.0.1');
    const outcomes = [await next(), await next()];
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['lost', 'received']);
    const receiverSends = send.mock.contexts.filter((socket) => (socket as Socket) !== sender);
    expect(receiverSends).toEqual([]);
    expect(heard).toBe(0);
    send.mockRestore();
    sender.close();
    await receiver.stop();
  });
});
