import { createSocket, type Socket } from 'node:dgram';

/**
 * A UDP relay on loopback that stands in for a lossy diode link (netem is not available here):
 * each datagram from the sender is dropped, corrupted (one bit flipped), duplicated or held back
 * and delivered later (reordered) by a seeded generator, so a run is repeatable from its seed.
 */
export interface LossyRelayOptions {
  /** Where the receiver listens. */
  targetPort: number;
  targetHost?: string;
  seed: number;
  drop?: number;
  corrupt?: number;
  duplicate?: number;
  reorder?: number;
}

export interface RelayStats {
  received: number;
  forwarded: number;
  dropped: number;
  corrupted: number;
  duplicated: number;
  reordered: number;
  /** Datagrams that came back from the receiver's side: a one-way link must see none. */
  backward: number;
}

/** mulberry32: small, fast and good enough to decide fates of datagrams. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class LossyRelay {
  private readonly inbound: Socket = createSocket('udp4');
  private readonly outbound: Socket = createSocket('udp4');
  private readonly random: () => number;
  private held: { bytes: Buffer; after: number }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  readonly stats: RelayStats = {
    received: 0,
    forwarded: 0,
    dropped: 0,
    corrupted: 0,
    duplicated: 0,
    reordered: 0,
    backward: 0,
  };

  constructor(private readonly options: LossyRelayOptions) {
    this.random = seededRandom(options.seed);
  }

  /** Binds both sockets on 127.0.0.1; resolves with the port the sender should send to. */
  async start(): Promise<number> {
    this.inbound.on('message', (bytes) => this.onDatagram(bytes));
    this.outbound.on('message', () => this.stats.backward++);
    await Promise.all([this.inbound, this.outbound].map((s) => new Promise<void>((r) => s.bind(0, '127.0.0.1', r))));
    for (const s of [this.inbound, this.outbound])
      try {
        s.setRecvBufferSize(16 * 1024 * 1024);
        s.setSendBufferSize(16 * 1024 * 1024);
      } catch {
        // The kernel's cap stands.
      }
    return this.inbound.address().port;
  }

  async stop(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flush();
    await Promise.all([this.inbound, this.outbound].map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private forward(bytes: Buffer): void {
    this.stats.forwarded++;
    this.outbound.send(bytes, this.options.targetPort, this.options.targetHost ?? '127.0.0.1');
  }

  private flush(): void {
    for (const { bytes } of this.held) this.forward(bytes);
    this.held = [];
  }

  private onDatagram(bytes: Buffer): void {
    const o = this.options;
    this.stats.received++;
    // Held datagrams go out after 1 to 16 later ones: reordered, not lost.
    const due = this.held.filter((h) => --h.after <= 0);
    if (due.length) this.held = this.held.filter((h) => h.after > 0);
    if (this.random() < (o.drop ?? 0)) this.stats.dropped++;
    else {
      let out = bytes;
      if (this.random() < (o.corrupt ?? 0)) {
        out = Buffer.from(bytes);
        const bit = Math.floor(this.random() * out.length * 8);
        out[bit >> 3]! ^= 1 << (bit & 7);
        this.stats.corrupted++;
      }
      if (this.random() < (o.reorder ?? 0)) {
        this.held.push({ bytes: out, after: 1 + Math.floor(this.random() * 16) });
        this.stats.reordered++;
      } else this.forward(out);
      if (this.random() < (o.duplicate ?? 0)) {
        this.forward(out);
        this.stats.duplicated++;
      }
    }
    for (const h of due) this.forward(h.bytes);
    // A quiet link still delivers what it held.
    if (this.held.length && !this.flushTimer)
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, 50);
  }
}
