import { gf256SimdWasm } from './wasm/gf256Simd-wasm';

/**
 * Arithmetic in GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d, the one Reed-Solomon
 * erasure codes commonly use), and the WebAssembly SIMD kernel that multiplies whole blocks by
 * constants: the diode's encoder and decoder spend nearly all their time there.
 */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  // Doubled so that EXP[LOG[a] + LOG[b]] needs no modulo.
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

export function gfInv(a: number): number {
  if (a === 0) throw new RangeError('GF(2^8): zero has no inverse');
  return EXP[255 - LOG[a]!]!;
}

/** The 32-byte nibble tables the kernel uses for the constant c: c*x = lo[x & 15] ^ hi[x >> 4]. */
export function writeNibbleTables(c: number, into: Uint8Array, at: number): void {
  for (let x = 0; x < 16; x++) {
    into[at + x] = gfMul(c, x);
    into[at + 16 + x] = gfMul(c, x << 4);
  }
}

/** Inverts an n x n matrix (row-major) over GF(2^8) by Gauss-Jordan elimination; throws when singular. */
export function gfInvert(matrix: Uint8Array, n: number): Uint8Array {
  const a = Uint8Array.from(matrix);
  const inv = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    while (pivot < n && a[pivot * n + col] === 0) pivot++;
    if (pivot === n) throw new RangeError('GF(2^8): singular matrix');
    if (pivot !== col)
      for (let k = 0; k < n; k++) {
        [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k]!, a[col * n + k]!];
        [inv[col * n + k], inv[pivot * n + k]] = [inv[pivot * n + k]!, inv[col * n + k]!];
      }
    const scale = gfInv(a[col * n + col]!);
    for (let k = 0; k < n; k++) {
      a[col * n + k] = gfMul(a[col * n + k]!, scale);
      inv[col * n + k] = gfMul(inv[col * n + k]!, scale);
    }
    for (let row = 0; row < n; row++) {
      const f = a[row * n + col]!;
      if (row === col || f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[row * n + k]! ^= gfMul(f, a[col * n + k]!);
        inv[row * n + k]! ^= gfMul(f, inv[col * n + k]!);
      }
    }
  }
  return inv;
}

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  combine(tab: number, src: number, stride: number, count: number, dst: number, len: number): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/**
 * One instance of the kernel with its own linear memory, laid out by the caller in three regions:
 * tables, sources (count blocks at a fixed stride) and outputs. Views are re-made after a grow.
 */
export class GfKernel {
  private readonly exports: KernelExports;

  constructor(bytesNeeded: number) {
    // Node's lib types omit WebAssembly (tsconfig.node.json has no DOM lib); the API is in every Node.
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    this.exports = new api.Instance(new api.Module(Buffer.from(gf256SimdWasm, 'base64'))).exports as KernelExports;
    const pages = Math.ceil(bytesNeeded / 65536);
    const have = this.exports.memory.buffer.byteLength / 65536;
    if (pages > have) this.exports.memory.grow(pages - have);
  }

  /** A view of the kernel's memory; valid until the next constructor call (memory never grows after). */
  view(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, offset, length);
  }

  combine(tab: number, src: number, stride: number, count: number, dst: number, len: number): void {
    this.exports.combine(tab, src, stride, count, dst, len);
  }
}
