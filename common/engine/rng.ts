/**
 * Uniforms for one stream (an input of the model): iteration i takes word i % 4 of the Philox
 * block at counter (i / 4, 0, 0, 0) under key (seed, stream). Any range of iterations can be
 * produced independently, on any thread or on the GPU, with the same values.
 *
 * This is the engine's hottest loop. It runs in WebAssembly where it can (wasm/philoxSimd.wat, eight
 * blocks at a time in 128-bit SIMD, else wasm/philox.wat; both with a 64-bit multiply), and
 * otherwise in JavaScript written for speed: every step 32-bit integer arithmetic (Math.imul on
 * 16-bit halves for the high word of each product), which V8 keeps in registers. philox.ts keeps
 * the readable reference, checked against Random123's vectors; a test holds all four equal.
 */
import { philoxWasm } from './wasm/philox-wasm';
import { philoxSimdWasm } from './wasm/philoxSimd-wasm';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO32 = 2.3283064365386963e-10;

/** High 32 bits (as int32) of a × (mh·2^16 + ml), where a is any 32-bit word. */
function mulhi(a: number, mh: number, ml: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const ll = Math.imul(al, ml);
  const lh = Math.imul(al, mh);
  const hl = Math.imul(ah, ml);
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (Math.imul(ah, mh) + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/** One Philox4x32-10 block into `out` (the reference arithmetic of philox.ts, in 32-bit integer form). */
function philoxBlock(block: number, seed: number, stream: number, out: Int32Array): void {
  let c0 = block | 0;
  let c1 = Math.floor(block / 4294967296) | 0;
  let c2 = 0;
  let c3 = 0;
  let k0 = seed | 0;
  let k1 = stream | 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(c0, M0H, M0L);
    const hi1 = mulhi(c2, M1H, M1L);
    const lo0 = Math.imul(M0, c0);
    const lo1 = Math.imul(M1, c2);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 = (k0 + W0) | 0;
    k1 = (k1 + W1) | 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

const edge = new Int32Array(4);

/**
 * The WebAssembly builds of the same loop: wasm/philoxSimd.wat (eight blocks at a time in 128-bit
 * SIMD, about twice as fast) and wasm/philox.wat (one at a time): same function, same numbers.
 */
interface WasmPhilox {
  uniforms(seed: number, stream: number, blockLo: number, blockHi: number, blocks: number, out: number): void;
  memory: { buffer: ArrayBuffer };
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
/** Which loop fills the uniforms: SIMD WebAssembly, scalar WebAssembly or JavaScript. */
export type PhiloxPath = 'simd' | 'scalar' | 'javascript';
/** Blocks per call: 64 KiB of uniforms, the one memory page each module starts with. */
const WASM_BLOCKS = 2048;
let wasm: WasmPhilox | null | undefined;
let path: PhiloxPath = 'javascript';
/** The path setPhiloxPath asks for; null takes the fastest that runs. */
let wanted: PhiloxPath | null = null;

/** One module instantiated, or null where it does not compile. */
function instantiate(base64: string): WasmPhilox | null {
  const scope = globalThis as unknown as { WebAssembly?: WasmApi; atob?: (s: string) => string };
  try {
    if (!scope.WebAssembly || !scope.atob) return null;
    const bytes = Uint8Array.from(scope.atob(base64), (c) => c.charCodeAt(0));
    const { exports } = new scope.WebAssembly.Instance(new scope.WebAssembly.Module(bytes));
    return { uniforms: exports.uniforms as WasmPhilox['uniforms'], memory: exports.memory as WasmPhilox['memory'] };
  } catch {
    return null;
  }
}

/**
 * The WebAssembly Philox, or null where WebAssembly cannot run: a page whose CSP lacks
 * 'wasm-unsafe-eval' refuses to compile it, and then the JavaScript loop below gives the very
 * same numbers (a test holds them all equal). An engine without SIMD rejects philoxSimd.wat and
 * takes the scalar module.
 */
function wasmPhilox(): WasmPhilox | null {
  if (wasm !== undefined) return wasm;
  const simd = wanted === null || wanted === 'simd' ? instantiate(philoxSimdWasm) : null;
  const scalar = !simd && wanted !== 'javascript' ? instantiate(philoxWasm) : null;
  wasm = simd ?? scalar;
  path = simd ? 'simd' : scalar ? 'scalar' : 'javascript';
  return wasm;
}

/** Which Philox loop this thread uses: reported by the benchmark, and checked by the tests. */
export function philoxImplementation(): 'webassembly' | 'javascript' {
  return wasmPhilox() ? 'webassembly' : 'javascript';
}

/** The Philox loop in use, WebAssembly told apart by SIMD or not (the tests check each). */
export function philoxPath(): PhiloxPath {
  wasmPhilox();
  return path;
}

/**
 * Asks for one loop (the tests compare them), or null for the fastest that runs. A WebAssembly
 * path that does not compile here falls back as it would unasked: SIMD to scalar to JavaScript.
 */
export function setPhiloxPath(want: PhiloxPath | null): void {
  wanted = want;
  wasm = undefined;
}

/** Uses the JavaScript loop even where WebAssembly runs (the tests compare the two). */
export function setWasmPhilox(enabled: boolean): void {
  setPhiloxPath(enabled ? null : 'javascript');
}

export function fillUniforms(seed: number, stream: number, firstIteration: number, out: Float64Array): Float64Array {
  const n = out.length;
  let k = 0;
  // A range that starts inside a block takes that block's remaining words first.
  const head = firstIteration % 4;
  if (head !== 0) {
    philoxBlock(Math.floor(firstIteration / 4), seed, stream, edge);
    for (let w = head; w < 4 && k < n; w++) out[k++] = ((edge[w]! >>> 0) + 0.5) * TWO32;
  }
  let block = (firstIteration + k) / 4;
  const whole = k + Math.floor((n - k) / 4) * 4;
  const fast = wasmPhilox();
  while (fast && k < whole) {
    const blocks = Math.min(WASM_BLOCKS, (whole - k) / 4);
    fast.uniforms(seed | 0, stream | 0, block | 0, Math.floor(block / 4294967296) | 0, blocks, 0);
    out.set(new Float64Array(fast.memory.buffer, 0, blocks * 4), k);
    k += blocks * 4;
    block += blocks;
  }
  // The JavaScript loop, where WebAssembly cannot run.
  for (; k < whole; k += 4, block++) {
    philoxBlock(block, seed, stream, edge);
    out[k] = ((edge[0]! >>> 0) + 0.5) * TWO32;
    out[k + 1] = ((edge[1]! >>> 0) + 0.5) * TWO32;
    out[k + 2] = ((edge[2]! >>> 0) + 0.5) * TWO32;
    out[k + 3] = ((edge[3]! >>> 0) + 0.5) * TWO32;
  }
  if (k < n) {
    philoxBlock(block, seed, stream, edge);
    for (let w = 0; k < n; w++) out[k++] = ((edge[w]! >>> 0) + 0.5) * TWO32;
  }
  return out;
}
