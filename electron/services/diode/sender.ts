import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Beacon, encodeBeacon, groupsOf, unsafeNameReason } from './beacon';
import {
  DEFAULT_PACKET_SIZE,
  encodeDatagram,
  Kind,
  MAX_PACKET_SIZE,
  MIN_PACKET_SIZE,
  OVERHEAD_BYTES,
} from './datagram';
import { sha512OfFile } from './file-hash';
import { DEFAULT_DATA_BLOCKS, DiodeUsageError, groupLayout } from './options';
import { Pacer } from './pacer';
import { ReedSolomon } from './reed-solomon';

export interface SendOptions {
  host: string;
  port: number;
  /** Repair blocks per data block, 0 to 3 (0.2 = 20%). Default 0.2. */
  redundancy?: number;
  /** Bits per second on the wire, IP and UDP headers counted. Default 400M. */
  rate?: number;
  /** Send the whole file this many times; the receiver merges what each pass brought. Default 1. */
  repeat?: number;
  /** Bytes of UDP payload per datagram. Default 1472 (a 1500-byte Ethernet MTU). */
  packetSize?: number;
  /** Data blocks per group, 1 to 255. Default 128. */
  dataBlocks?: number;
  /** Groups sent interleaved, against bursts of loss (capped by 16 MiB of datagrams in memory). Default 32. */
  interleave?: number;
  /** A beacon after this many datagrams (and at the start and end of every pass). Default 256. */
  beaconEvery?: number;
  /** The name the receiver gives the file (default the file's own base name). */
  name?: string;
  signal?: AbortSignal;
}

export interface SendResult {
  sessionId: string;
  name: string;
  size: number;
  sha512: string;
  blockSize: number;
  dataBlocks: number;
  repairBlocks: number;
  groups: number;
  passes: number;
  datagrams: number;
  bytesSent: number;
  seconds: number;
  /** Datagrams that reached the sender's socket: on a one-way link, always 0. */
  datagramsReceived: number;
  /** Sends the kernel refused (on loopback: ICMP port unreachable while no receiver listens). */
  sendErrors: number;
}

const START_BEACONS = 3;
const END_DATAGRAMS = 3;
/** IPv4 + UDP headers, counted against the rate. */
const WIRE_OVERHEAD = 28;
const MAX_QUEUED = 256;
/** The most datagram bytes an interleaved window holds. */
const WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * Sends one file one way: beacons, then group by group the data blocks and their Reed-Solomon
 * repair blocks, paced to the rate, `repeat` times, each pass closed by End datagrams. Memory holds
 * one window of interleaved groups (at most 16 MiB of datagrams). Nothing is ever read from the network.
 */
export async function sendFile(path: string, options: SendOptions): Promise<SendResult> {
  const packetSize = options.packetSize ?? DEFAULT_PACKET_SIZE;
  if (!Number.isInteger(packetSize) || packetSize < MIN_PACKET_SIZE || packetSize > MAX_PACKET_SIZE)
    throw new DiodeUsageError(`packet size ${packetSize} is outside ${MIN_PACKET_SIZE} to ${MAX_PACKET_SIZE} bytes`);
  const name = options.name ?? basename(path);
  const nameProblem = unsafeNameReason(name);
  if (nameProblem) throw new DiodeUsageError(`cannot send "${name}": ${nameProblem}`);
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new DiodeUsageError('repeat must be 1 to 100');
  const rate = options.rate ?? 400e6;
  const beaconEvery = options.beaconEvery ?? 256;
  // A multiple of 16, the kernel's stride: a group's data blocks then lie end to end in its memory.
  const blockSize = Math.floor((packetSize - OVERHEAD_BYTES) / 16) * 16;
  // Groups of at most 4 MiB of data, so that jumbo datagrams still interleave within the window.
  const layout = groupLayout(
    options.redundancy ?? 0.2,
    options.dataBlocks ?? Math.min(DEFAULT_DATA_BLOCKS, Math.max(8, Math.floor((4 * 1024 * 1024) / blockSize))),
  );

  const fd = openSync(path, 'r');
  const socket = createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
  let datagramsReceived = 0;
  let sendErrors = 0;
  socket.on('message', () => datagramsReceived++);
  try {
    const size = fstatSync(fd).size;
    if (size === 0) throw new DiodeUsageError(`cannot send "${path}": the file is empty`);
    const sha512 = await sha512OfFile(fd, size, options.signal);
    const { address } = await lookup(options.host);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      // Not connected: on Node a connected UDP socket sends slower (measured), and hears ICMP errors.
      socket.bind(0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => sendErrors++);
    try {
      socket.setSendBufferSize(4 * 1024 * 1024);
    } catch {
      // The kernel's cap stands.
    }
    const beacon: Beacon = {
      name,
      size,
      blockSize,
      ...layout,
      groups: groupsOf(size, blockSize, layout.dataBlocks),
      passes: repeat,
      sha512,
    };
    const beaconPayload = encodeBeacon(beacon);
    const session = randomBytes(16);
    const codec = new ReedSolomon(beacon.dataBlocks, beacon.repairBlocks, blockSize);
    const start = process.hrtime.bigint();
    const pacer = new Pacer(rate);
    let datagrams = 0;
    let bytesSent = 0;

    // Sends without waiting; the pacing below waits once per burst, not per datagram.
    // Datagram buffers are reused once the kernel has them: garbage collection was a third of the work.
    const pool: Buffer[] = [];
    const groupBlocks = beacon.dataBlocks + beacon.repairBlocks;
    const interleave = Math.max(
      1,
      Math.min(options.interleave ?? 32, Math.floor(WINDOW_BYTES / (groupBlocks * packetSize))),
    );
    const poolSize = interleave * groupBlocks + MAX_QUEUED;
    const put = (datagram: Buffer) => {
      socket.send(datagram, options.port, address, (error) => {
        if (error) sendErrors++;
        if (pool.length < poolSize && datagram.length === OVERHEAD_BYTES + blockSize) pool.push(datagram);
      });
      bytesSent += datagram.length;
      pacer.take((datagram.length + WIRE_OVERHEAD) * 8);
    };
    // encodeDatagram copies each block into its own buffer: a queued send may still hold it.
    const datagram = (kind: Kind, group: number, index: number, pass: number, payload: Uint8Array) =>
      encodeDatagram({ kind, session, group, index, pass }, payload, pool.pop());
    const pace = async () => {
      options.signal?.throwIfAborted();
      await pacer.wait();
      while (socket.getSendQueueCount() > MAX_QUEUED) await new Promise((resolve) => setImmediate(resolve));
    };
    const beaconDatagram = (kind: Kind, pass: number) =>
      encodeDatagram({ kind, session, group: 0, index: 0, pass }, beaconPayload);

    for (let pass = 1; pass <= repeat; pass++) {
      for (let b = 0; b < START_BEACONS; b++) put(beaconDatagram(Kind.Beacon, pass));
      for (let window = 0; window < beacon.groups; window += interleave) {
        // Encode a window of groups, then send them interleaved (block 0 of each, block 1 of each, ...):
        // a burst of loss then costs each group a few blocks instead of one group all of them.
        const lists: Buffer[][] = [];
        for (let group = window; group < Math.min(beacon.groups, window + interleave); group++) {
          const first = group * beacon.dataBlocks;
          const k = Math.min(beacon.dataBlocks, Math.ceil(size / blockSize) - first);
          // The data region is contiguous (the block size is a multiple of 16): one read per group.
          const length = Math.min(k * blockSize, size - first * blockSize);
          const region = codec.dataRegion(k);
          readFully(fd, region, first * blockSize, length);
          region.fill(0, length);
          codec.encode(k);
          const list: Buffer[] = [];
          for (let i = 0; i < k; i++) list.push(datagram(Kind.Data, group, i, pass, codec.dataBlock(i)));
          for (let j = 0; j < beacon.repairBlocks; j++)
            list.push(datagram(Kind.Repair, group, beacon.dataBlocks + j, pass, codec.repairBlock(j)));
          lists.push(list);
        }
        const longest = Math.max(...lists.map((list) => list.length));
        for (let slot = 0; slot < longest; slot++)
          for (const list of lists) {
            if (slot >= list.length) continue;
            put(list[slot]!);
            if (++datagrams % beaconEvery === 0) put(beaconDatagram(Kind.Beacon, pass));
            if (!pacer.ready()) await pace();
          }
        await pace();
      }
      for (let e = 0; e < END_DATAGRAMS; e++) {
        put(beaconDatagram(Kind.End, pass));
        await sleep(1);
      }
    }
    while (socket.getSendQueueCount() > 0) await sleep(1);
    return {
      sessionId: session.toString('hex'),
      name,
      size,
      sha512: sha512.toString('hex'),
      blockSize,
      ...layout,
      groups: beacon.groups,
      passes: repeat,
      datagrams,
      bytesSent,
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
      datagramsReceived,
      sendErrors,
    };
  } finally {
    closeSync(fd);
    socket.close();
  }
}

function readFully(fd: number, into: Uint8Array, position: number, length: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) throw new Error('the file became shorter while it was being sent');
    done += n;
  }
  return done;
}
