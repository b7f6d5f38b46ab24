import { GfKernel, gfInv, gfInvert, gfMul, writeNibbleTables } from './gf256';

/** The most blocks in a group, data and repair together: the code's symbols are the 256 values of a byte. */
export const MAX_GROUP_BLOCKS = 256;

/**
 * A systematic Reed-Solomon erasure code over GF(2^8) with a Cauchy matrix: a group of k <= K data
 * blocks gets M repair blocks, repair j = XOR over i of C[j][i] * data i, C[j][i] = 1 / ((K + j) xor i).
 * Every square submatrix of a Cauchy matrix is invertible, so any k of the k + M blocks give back
 * the data. Blocks live in the kernel's memory: the sender reads file bytes straight into the data
 * region; the receiver copies the k blocks it chose into the source region.
 */
export class ReedSolomon {
  readonly stride: number;
  private readonly kernel: GfKernel;
  private readonly encodeTables = 0;
  private readonly decodeTables: number;
  private readonly dataRegionAt: number;
  private readonly repairRegion: number;
  private readonly outRegion: number;

  constructor(
    readonly dataBlocks: number,
    readonly repairBlocks: number,
    readonly blockSize: number,
  ) {
    if (dataBlocks < 1 || repairBlocks < 0 || dataBlocks + repairBlocks > MAX_GROUP_BLOCKS)
      throw new RangeError(
        `Reed-Solomon: ${dataBlocks} data + ${repairBlocks} repair blocks exceed ${MAX_GROUP_BLOCKS}`,
      );
    this.stride = Math.ceil(blockSize / 16) * 16;
    const tables = dataBlocks * Math.max(repairBlocks, 1) * 32;
    this.decodeTables = tables;
    this.dataRegionAt = this.decodeTables + tables;
    this.repairRegion = this.dataRegionAt + dataBlocks * this.stride;
    this.outRegion = this.repairRegion + Math.max(repairBlocks, 1) * this.stride;
    this.kernel = new GfKernel(this.outRegion + Math.max(repairBlocks, 1) * this.stride);
    const encode = this.kernel.view(this.encodeTables, tables);
    for (let j = 0; j < repairBlocks; j++)
      for (let i = 0; i < dataBlocks; i++) writeNibbleTables(this.coefficient(j, i), encode, (j * dataBlocks + i) * 32);
  }

  coefficient(repair: number, data: number): number {
    return gfInv((this.dataBlocks + repair) ^ data);
  }

  /** Data block i of the group being encoded or decoded (blockSize bytes; zero the tail of a short block). */
  dataBlock(i: number): Uint8Array {
    return this.kernel.view(this.dataRegionAt + i * this.stride, this.blockSize);
  }

  /** The first k data blocks end to end (k * stride bytes): one read fills them when blockSize is the stride. */
  dataRegion(k: number): Uint8Array {
    return this.kernel.view(this.dataRegionAt, k * this.stride);
  }

  repairBlock(j: number): Uint8Array {
    return this.kernel.view(this.repairRegion + j * this.stride, this.blockSize);
  }

  /** Computes the M repair blocks of a group whose first k data blocks are in place. */
  encode(k: number): void {
    for (let j = 0; j < this.repairBlocks; j++)
      this.kernel.combine(
        this.encodeTables + j * this.dataBlocks * 32,
        this.dataRegionAt,
        this.stride,
        k,
        this.repairRegion + j * this.stride,
        this.stride,
      );
  }

  /**
   * Recovers the missing data blocks of a group of k. `present` maps block index (data < K <= repair)
   * to its bytes and holds at least k blocks of the group. Returns the missing data blocks by index,
   * as views valid until the next call.
   */
  recover(k: number, present: ReadonlyMap<number, Uint8Array>): Map<number, Uint8Array> {
    const K = this.dataBlocks;
    const missing: number[] = [];
    const have: number[] = [];
    for (let i = 0; i < k; i++) (present.has(i) ? have : missing).push(i);
    const repairs = [...present.keys()].filter((index) => index >= K).slice(0, missing.length);
    const result = new Map<number, Uint8Array>();
    if (missing.length === 0) return result;
    if (repairs.length < missing.length)
      throw new RangeError(`Reed-Solomon: ${missing.length} blocks missing, ${repairs.length} repair blocks`);
    const e = missing.length;
    // S[b][a] = C[repair b][missing a]; missing = S^-1 (repair - sum over present of C * data).
    const s = new Uint8Array(e * e);
    for (let b = 0; b < e; b++)
      for (let a = 0; a < e; a++) s[b * e + a] = this.coefficient(repairs[b]! - K, missing[a]!);
    const inv = gfInvert(s, e);
    const sources = [...have, ...repairs];
    for (let n = 0; n < k; n++)
      this.kernel.view(this.dataRegionAt + n * this.stride, this.blockSize).set(present.get(sources[n]!)!);
    const tables = this.kernel.view(this.decodeTables, k * 32);
    for (let a = 0; a < e; a++) {
      sources.forEach((source, n) => {
        let c = 0;
        if (source >= K) c = inv[a * e + (n - have.length)]!;
        else for (let b = 0; b < e; b++) c ^= gfMul(inv[a * e + b]!, this.coefficient(repairs[b]! - K, source));
        writeNibbleTables(c, tables, n * 32);
      });
      this.kernel.combine(
        this.decodeTables,
        this.dataRegionAt,
        this.stride,
        k,
        this.outRegion + a * this.stride,
        this.stride,
      );
      result.set(missing[a]!, this.kernel.view(this.outRegion + a * this.stride, this.blockSize));
    }
    return result;
  }
}
