import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { type Beacon, decodeBeacon, sameBeacon } from './beacon';
import { type Datagram, decodeDatagram, Kind } from './datagram';
import { appendReport, placeInQuarantine, prepareQuarantine } from './quarantine';
import { ReceiveSession, type Shortfall } from './receive-session';

export interface ReceiverOptions {
  port: number;
  /** Address to bind (default 0.0.0.0). */
  host?: string;
  quarantineDir: string;
  /** A transfer with no datagram for this long is reported lost. Default 30 s. */
  timeoutSeconds?: number;
  /** After the last pass's End, how long stragglers may still complete it. Default 2 s (at most the timeout). */
  endGraceSeconds?: number;
  /** The largest file accepted. Default 8 GiB. */
  maxBytes?: number;
  /** Transfers received at once; beacons of more are refused. Default 4. */
  maxSessions?: number;
  /** Bytes of group buffers in memory, all transfers together. Default 256 MiB. */
  maxGroupMemory?: number;
  /** Datagrams that arrive before their transfer's beacon are held up to this many bytes. Default 8 MiB. */
  maxPendingBytes?: number;
  /** Socket receive buffer asked of the kernel (it caps it at net.core.rmem_max). Default 16 MiB. */
  recvBufferSize?: number;
}

export interface ReceivedFile {
  sessionId: string;
  name: string;
  path: string;
  size: number;
  sha512: string;
  seconds: number;
}

export interface LostTransfer extends Shortfall {
  sessionId: string;
  name: string;
  size: number;
  sha512: string;
  reason: string;
  bytesReceived: number;
}

export interface ReceiverStats {
  datagrams: number;
  /** Dropped: too short, wrong magic, version, kind or length, or a hash that does not match. */
  corrupt: number;
  invalid: number;
  duplicate: number;
  redundant: number;
  late: number;
  pendingDropped: number;
  refused: number;
  beaconConflicts: number;
  sessionsOpen: number;
  groupMemoryBytes: number;
  pendingBytes: number;
  received: number;
  lost: number;
}

export interface ReceiverEvents {
  session: [{ sessionId: string; name: string; size: number }];
  received: [ReceivedFile];
  lost: [LostTransfer];
  refused: [{ sessionId: string; reason: string }];
  error: [Error];
}

const FINISHED_REMEMBERED = 4096;

/**
 * The diode's receiving end, for `enclave diode receive` and for an import that runs it in-process.
 * It only ever reads its socket. Memory stays bounded whatever arrives: a fixed number of
 * transfers, a fixed budget of group buffers, a capped pre-beacon holding pen, and a capped list of
 * finished session ids; anything beyond is dropped and counted. Only complete files whose SHA-512
 * matches the beacon reach the quarantine directory; everything else is reported and removed.
 */
export class DiodeReceiver extends EventEmitter<ReceiverEvents> {
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private incoming = '';
  private readonly sessions = new Map<string, ReceiveSession>();
  private readonly pending = new Map<string, Buffer[]>();
  private readonly finished = new Set<string>();
  private pendingBytes = 0;
  private readonly counts = {
    datagrams: 0,
    corrupt: 0,
    invalid: 0,
    duplicate: 0,
    redundant: 0,
    late: 0,
    pendingDropped: 0,
    refused: 0,
    beaconConflicts: 0,
    received: 0,
    lost: 0,
  };
  private readonly limits: Required<Omit<ReceiverOptions, 'host' | 'port' | 'quarantineDir'>>;

  constructor(private readonly options: ReceiverOptions) {
    super();
    const timeoutSeconds = options.timeoutSeconds ?? 30;
    this.limits = {
      timeoutSeconds,
      endGraceSeconds: Math.min(options.endGraceSeconds ?? 2, timeoutSeconds),
      maxBytes: options.maxBytes ?? 8 * 1024 ** 3,
      maxSessions: options.maxSessions ?? 4,
      maxGroupMemory: options.maxGroupMemory ?? 256 * 1024 ** 2,
      maxPendingBytes: options.maxPendingBytes ?? 8 * 1024 ** 2,
      recvBufferSize: options.recvBufferSize ?? 16 * 1024 ** 2,
    };
  }

  /** Binds the socket; resolves with the port (useful with port 0). */
  async start(): Promise<{ port: number }> {
    this.incoming = prepareQuarantine(this.options.quarantineDir);
    const socket = createSocket({ type: this.options.host?.includes(':') ? 'udp6' : 'udp4' });
    this.socket = socket;
    socket.on('message', (bytes) => this.onDatagram(bytes));
    socket.on('error', (error) => this.emit('error', error));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.host ?? '0.0.0.0', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(this.limits.recvBufferSize);
    } catch {
      // The kernel's cap stands; the default buffer still works at lower rates.
    }
    this.timer = setInterval(() => this.sweep(), 200);
    this.timer.unref();
    return { port: socket.address().port };
  }

  /** Closes the socket; transfers still in progress are reported lost and their temp files removed. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    for (const session of [...this.sessions.values()]) this.lose(session, 'the receiver stopped');
    this.pending.clear();
    this.pendingBytes = 0;
  }

  stats(): ReceiverStats {
    let groupMemoryBytes = 0;
    for (const session of this.sessions.values()) groupMemoryBytes += session.openGroupBytes;
    return { ...this.counts, sessionsOpen: this.sessions.size, groupMemoryBytes, pendingBytes: this.pendingBytes };
  }

  private onDatagram(bytes: Buffer): void {
    this.counts.datagrams++;
    const d = decodeDatagram(bytes);
    if (typeof d === 'string') {
      this.counts.corrupt++;
      return;
    }
    if (this.finished.has(d.sessionHex)) {
      this.counts.late++;
      return;
    }
    let session = this.sessions.get(d.sessionHex);
    if (d.kind === Kind.Beacon || d.kind === Kind.End) {
      const beacon = decodeBeacon(d.payload);
      if (typeof beacon === 'string') {
        this.counts.invalid++;
        return;
      }
      if (!session) {
        const opened = this.open(d.sessionHex, beacon);
        if (!opened) return;
        session = opened;
      } else if (!sameBeacon(session.beacon, beacon)) {
        this.counts.beaconConflicts++;
        return;
      }
      session.lastActivity = Date.now();
      if (d.kind === Kind.End && d.pass >= beacon.passes) session.finalEndAt ??= Date.now();
      return;
    }
    if (!session) return this.hold(d.sessionHex, bytes);
    this.block(session, d);
  }

  private block(session: ReceiveSession, d: Datagram): void {
    let outcome;
    try {
      outcome = session.accept(d);
    } catch (error) {
      return this.lose(session, `cannot write the transfer: ${(error as Error).message}`);
    }
    if (outcome !== 'new') this.counts[outcome]++;
    else if (session.complete) this.seal(session);
  }

  private open(id: string, beacon: Beacon): ReceiveSession | null {
    const refuse = (reason: string) => {
      this.counts.refused++;
      this.remember(id);
      this.emit('refused', { sessionId: id, reason });
      return null;
    };
    if (beacon.size > this.limits.maxBytes)
      return refuse(`"${beacon.name}" is ${beacon.size} bytes, over the ${this.limits.maxBytes}-byte limit`);
    if (this.sessions.size >= this.limits.maxSessions) {
      // Not remembered: the same transfer may be taken once a slot frees.
      this.counts.refused++;
      return null;
    }
    const groupBytes = (beacon.dataBlocks + beacon.repairBlocks) * beacon.blockSize;
    const perSession = Math.floor(this.limits.maxGroupMemory / this.limits.maxSessions);
    const maxOpenGroups = Math.max(1, Math.floor(perSession / groupBytes));
    if (groupBytes > perSession)
      return refuse(`a group of ${groupBytes} bytes is over the memory budget of ${perSession}`);
    let session: ReceiveSession;
    try {
      session = new ReceiveSession(id, beacon, this.incoming, maxOpenGroups);
    } catch (error) {
      this.emit('error', error as Error);
      return null;
    }
    this.sessions.set(id, session);
    this.emit('session', { sessionId: id, name: beacon.name, size: beacon.size });
    const held = this.pending.get(id);
    if (held) {
      this.pending.delete(id);
      for (const bytes of held) {
        this.pendingBytes -= bytes.length;
        const d = decodeDatagram(bytes);
        if (typeof d !== 'string' && this.sessions.has(id)) this.block(session, d);
      }
    }
    return session;
  }

  /** Keeps a datagram that came before its beacon, dropping the oldest held when over the cap. */
  private hold(id: string, bytes: Buffer): void {
    if (bytes.length > this.limits.maxPendingBytes) {
      this.counts.pendingDropped++;
      return;
    }
    const list = this.pending.get(id) ?? [];
    if (list.length === 0) this.pending.set(id, list);
    list.push(bytes);
    this.pendingBytes += bytes.length;
    while (this.pendingBytes > this.limits.maxPendingBytes) {
      const [oldestId, oldest] = this.pending.entries().next().value!;
      const dropped = oldest.shift()!;
      this.pendingBytes -= dropped.length;
      this.counts.pendingDropped++;
      if (oldest.length === 0) this.pending.delete(oldestId);
    }
  }

  private remember(id: string): void {
    this.finished.add(id);
    if (this.finished.size > FINISHED_REMEMBERED) this.finished.delete(this.finished.values().next().value!);
    const held = this.pending.get(id);
    if (held) for (const bytes of held) this.pendingBytes -= bytes.length;
    this.pending.delete(id);
  }

  private seal(session: ReceiveSession): void {
    this.sessions.delete(session.id);
    this.remember(session.id);
    const { beacon } = session;
    let ok: boolean;
    try {
      ok = session.verifyAndSeal();
    } catch (error) {
      session.closeFiles(true);
      return this.report(session, `cannot finish the transfer: ${(error as Error).message}`);
    }
    if (!ok) return this.report(session, 'the SHA-512 of the reassembled file does not match the beacon');
    let path: string;
    try {
      path = placeInQuarantine(session.partPath, this.options.quarantineDir, beacon.name);
    } catch (error) {
      session.closeFiles(true);
      return this.report(session, `cannot move the file into quarantine: ${(error as Error).message}`);
    }
    const received: ReceivedFile = {
      sessionId: session.id,
      name: beacon.name,
      path,
      size: beacon.size,
      sha512: beacon.sha512.toString('hex'),
      seconds: (Date.now() - session.startedAt) / 1000,
    };
    this.counts.received++;
    this.appendReport({ event: 'received', at: new Date().toISOString(), ...received });
    this.emit('received', received);
  }

  private lose(session: ReceiveSession, reason: string): void {
    this.sessions.delete(session.id);
    this.remember(session.id);
    session.closeFiles(true);
    this.report(session, reason);
  }

  private report(session: ReceiveSession, reason: string): void {
    const { beacon } = session;
    const lost: LostTransfer = {
      sessionId: session.id,
      name: beacon.name,
      size: beacon.size,
      sha512: beacon.sha512.toString('hex'),
      reason,
      bytesReceived: session.bytesReceived,
      ...session.shortfall(),
    };
    this.counts.lost++;
    this.appendReport({ event: 'lost', at: new Date().toISOString(), ...lost });
    this.emit('lost', lost);
  }

  private appendReport(record: object): void {
    try {
      appendReport(this.options.quarantineDir, record);
    } catch (error) {
      this.emit('error', error as Error);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (session.finalEndAt !== null && now - session.finalEndAt > this.limits.endGraceSeconds * 1000)
        this.lose(session, 'incomplete after the last pass: not enough blocks arrived to repair it');
      else if (now - session.lastActivity > this.limits.timeoutSeconds * 1000)
        this.lose(session, `no datagram for ${this.limits.timeoutSeconds} s`);
    }
  }
}
