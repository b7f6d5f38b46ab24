import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Beacon } from './beacon';
import { type Datagram, Kind } from './datagram';
import { ReedSolomon } from './reed-solomon';

const enum GroupState {
  Empty = 0,
  Open = 1,
  Spilled = 2,
  Complete = 3,
}

export type BlockOutcome = 'new' | 'duplicate' | 'redundant' | 'invalid';

export interface Shortfall {
  groups: number;
  groupsMissing: number;
  blocksMissing: number;
  bytesMissing: number;
}

/**
 * One transfer being received: data blocks into `<id>.part`, repair blocks held with their group.
 * A group lives in memory while it fills (at most `maxOpenGroups` of them; the least recently
 * touched is spilled to `<id>.part` and `<id>.repair` and read back if more of it arrives), is
 * decoded as soon as any k of its blocks are here, and its data written once. The file's SHA-512
 * is taken in order as groups complete, so the last group's arrival is the end of the work.
 */
export class ReceiveSession {
  readonly partPath: string;
  private readonly repairPath: string;
  private readonly perGroup: number;
  private readonly state: Uint8Array;
  private readonly count: Uint16Array;
  private readonly seen: Uint8Array;
  private readonly open = new Map<number, Buffer>();
  private readonly codec: ReedSolomon;
  private readonly hash: Hash = createHash('sha512');
  private readonly totalBlocks: number;
  private part: number;
  private repair: number | null = null;
  private hashed = 0;
  private completeGroups = 0;
  bytesReceived = 0;
  lastActivity = Date.now();
  /** When the End datagram of the last pass was first seen. */
  finalEndAt: number | null = null;
  readonly startedAt = Date.now();

  constructor(
    readonly id: string,
    readonly beacon: Beacon,
    incomingDir: string,
    private readonly maxOpenGroups: number,
  ) {
    this.partPath = join(incomingDir, `${id}.part`);
    this.repairPath = join(incomingDir, `${id}.repair`);
    this.perGroup = beacon.dataBlocks + beacon.repairBlocks;
    this.totalBlocks = Math.ceil(beacon.size / beacon.blockSize);
    this.state = new Uint8Array(beacon.groups);
    this.count = new Uint16Array(beacon.groups);
    this.seen = new Uint8Array(beacon.groups * this.perGroup);
    this.codec = new ReedSolomon(beacon.dataBlocks, beacon.repairBlocks, beacon.blockSize);
    this.part = openSync(this.partPath, 'wx+', 0o600);
  }

  get complete(): boolean {
    return this.completeGroups === this.beacon.groups;
  }

  get openGroupBytes(): number {
    return this.open.size * this.perGroup * this.beacon.blockSize;
  }

  /** Data blocks in group g (the last group may be short). */
  private dataIn(group: number): number {
    return Math.min(this.beacon.dataBlocks, this.totalBlocks - group * this.beacon.dataBlocks);
  }

  accept(d: Datagram): BlockOutcome {
    const { beacon } = this;
    this.lastActivity = Date.now();
    if (d.group >= beacon.groups || d.payload.length !== beacon.blockSize) return 'invalid';
    const k = this.dataIn(d.group);
    const isData = d.kind === Kind.Data;
    if (isData ? d.index >= k : d.index < beacon.dataBlocks || d.index >= this.perGroup) return 'invalid';
    if (this.state[d.group] === GroupState.Complete) return 'redundant';
    const slot = d.group * this.perGroup + d.index;
    if (this.seen[slot]) return 'duplicate';
    const buffer = this.openGroup(d.group);
    buffer.set(d.payload, d.index * beacon.blockSize);
    this.seen[slot] = 1;
    this.bytesReceived += d.payload.length;
    if (++this.count[d.group]! >= k) this.finishGroup(d.group, buffer, k);
    return 'new';
  }

  private openGroup(group: number): Buffer {
    let buffer = this.open.get(group);
    if (buffer) {
      // Most recently touched last: the spill takes the first.
      this.open.delete(group);
      this.open.set(group, buffer);
      return buffer;
    }
    if (this.open.size >= this.maxOpenGroups) this.spill(this.open.keys().next().value!);
    buffer = Buffer.allocUnsafe(this.perGroup * this.beacon.blockSize);
    if (this.state[group] === GroupState.Spilled) this.load(group, buffer);
    this.state[group] = GroupState.Open;
    this.open.set(group, buffer);
    return buffer;
  }

  private blockPosition(group: number, index: number): { fd: number; position: number } {
    const { dataBlocks, repairBlocks, blockSize } = this.beacon;
    if (index < dataBlocks) return { fd: this.part, position: (group * dataBlocks + index) * blockSize };
    this.repair ??= openSync(this.repairPath, 'w+', 0o600);
    return { fd: this.repair, position: (group * repairBlocks + index - dataBlocks) * blockSize };
  }

  private spill(group: number): void {
    const buffer = this.open.get(group)!;
    const { blockSize } = this.beacon;
    for (let index = 0; index < this.perGroup; index++) {
      if (!this.seen[group * this.perGroup + index]) continue;
      const { fd, position } = this.blockPosition(group, index);
      writeSync(fd, buffer, index * blockSize, blockSize, position);
    }
    this.open.delete(group);
    this.state[group] = GroupState.Spilled;
  }

  private load(group: number, buffer: Buffer): void {
    const { blockSize } = this.beacon;
    for (let index = 0; index < this.perGroup; index++) {
      if (!this.seen[group * this.perGroup + index]) continue;
      const { fd, position } = this.blockPosition(group, index);
      buffer.fill(0, index * blockSize, (index + 1) * blockSize);
      readSync(fd, buffer, index * blockSize, blockSize, position);
    }
  }

  private finishGroup(group: number, buffer: Buffer, k: number): void {
    const { blockSize, size, dataBlocks } = this.beacon;
    const base = group * this.perGroup;
    let missing = false;
    for (let i = 0; i < k; i++) if (!this.seen[base + i]) missing = true;
    if (missing) {
      const present = new Map<number, Uint8Array>();
      for (let index = 0; index < this.perGroup; index++)
        if (this.seen[base + index]) present.set(index, buffer.subarray(index * blockSize, (index + 1) * blockSize));
      for (const [index, bytes] of this.codec.recover(k, present)) buffer.set(bytes, index * blockSize);
    }
    const offset = group * dataBlocks * blockSize;
    const length = Math.min(k * blockSize, size - offset);
    writeSync(this.part, buffer, 0, length, offset);
    this.open.delete(group);
    this.state[group] = GroupState.Complete;
    this.completeGroups++;
    if (group === this.hashed) {
      this.hash.update(buffer.subarray(0, length));
      this.hashed++;
      this.hashWrittenGroups();
    }
  }

  /** Hashes, in order, the groups completed earlier than the one before them (read back from the part file). */
  private hashWrittenGroups(): void {
    const { blockSize, size, dataBlocks } = this.beacon;
    let chunk: Buffer | null = null;
    while (this.hashed < this.beacon.groups && this.state[this.hashed] === GroupState.Complete) {
      chunk ??= Buffer.allocUnsafe(dataBlocks * blockSize);
      const offset = this.hashed * dataBlocks * blockSize;
      const length = Math.min(dataBlocks * blockSize, size - offset);
      let done = 0;
      while (done < length) done += readSync(this.part, chunk, done, length - done, offset + done) || fail();
      this.hash.update(chunk.subarray(0, length));
      this.hashed++;
    }
  }

  /** When complete: true when the SHA-512 matches the beacon's; the part file is then cut to size and synced. */
  verifyAndSeal(): boolean {
    const ok = this.hashed === this.beacon.groups && this.hash.digest().equals(this.beacon.sha512);
    if (ok) {
      // A spilled last block was written whole: cut the padding.
      ftruncateSync(this.part, this.beacon.size);
      fsyncSync(this.part);
    }
    this.closeFiles(!ok);
    return ok;
  }

  shortfall(): Shortfall {
    const { blockSize, groups } = this.beacon;
    let groupsMissing = 0;
    let blocksMissing = 0;
    for (let g = 0; g < groups; g++) {
      if (this.state[g] === GroupState.Complete) continue;
      groupsMissing++;
      const k = this.dataIn(g);
      let have = 0;
      for (let i = 0; i < k; i++) have += this.seen[g * this.perGroup + i]!;
      blocksMissing += k - have;
    }
    return {
      groups,
      groupsMissing,
      blocksMissing,
      bytesMissing: Math.min(blocksMissing * blockSize, this.beacon.size),
    };
  }

  /** Closes the files; with `removePart`, the part file goes too. The repair file always goes. */
  closeFiles(removePart: boolean): void {
    this.open.clear();
    if (this.part >= 0) closeSync(this.part);
    this.part = -1;
    if (this.repair !== null) closeSync(this.repair);
    this.repair = null;
    rmSync(this.repairPath, { force: true });
    if (removePart) rmSync(this.partPath, { force: true });
  }
}

function fail(): never {
  throw new Error('the part file is shorter than the groups written to it');
}
