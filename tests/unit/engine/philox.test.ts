import { describe, expect, it, vi } from 'vitest';
import { mulhi32, philox4x32, toUnitInterval } from '../../../common/engine/philox';
import { readPhiloxVectors } from '../../support/philox-vectors';
import { repoRoot } from '../../support/services';

// The Random123 known-answer vectors (tests/data/random123).
const vectors = readPhiloxVectors();

describe('Philox4x32', () => {
  it('has the six Random123 vectors to check', () => {
    expect(vectors).toHaveLength(6);
  });

  it.each(vectors)('matches the known answer: $line', ({ rounds, counter, key, expected }) => {
    expect([...philox4x32(counter, key, new Uint32Array(4), rounds)]).toEqual(expected);
  });

  it('computes the high word of 32×32 products exactly', () => {
    for (const [a, b] of [
      [0xffffffff, 0xffffffff],
      [0xd2511f53, 0x243f6a88],
      [0x10000, 0x10000],
      [1, 0xffffffff],
      [0, 0x12345678],
    ] as const) {
      expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
    }
  });

  it('maps words into the open unit interval', () => {
    expect(toUnitInterval(0)).toBeGreaterThan(0);
    expect(toUnitInterval(0xffffffff)).toBeLessThan(1);
  });
});

describe('fillUniforms', () => {
  const reference = (seed: number, stream: number, first: number, n: number) =>
    Float64Array.from({ length: n }, (_, k) => {
      const i = first + k;
      const index = Math.floor(i / 4);
      return toUnitInterval(
        philox4x32([index >>> 0, Math.floor(index / 2 ** 32), 0, 0], [seed, stream], new Uint32Array(4))[i % 4]!,
      );
    });
  const ranges = [
    [1, 0, 0, 17],
    [0xffffffff, 7, 3, 10_001],
    [5, 0x80000000, 2 ** 34 + 1, 9_000],
    [9, 2, 2 ** 34 - 4 * 3000 + 2, 30_000], // crosses a carry into the counter's high word
  ] as const;

  it.each(ranges)(
    'WebAssembly and JavaScript loops both give the reference uniforms (seed %i, stream %i, from %i)',
    async (seed, stream, first, n) => {
      const { fillUniforms, setWasmPhilox } = await import('../../../common/engine/rng');
      const { philoxImplementation } = await import('../../../common/engine/rng');
      const want = reference(seed, stream, first, n);
      try {
        for (const wasm of [true, false]) {
          setWasmPhilox(wasm);
          expect(philoxImplementation()).toBe(wasm ? 'webassembly' : 'javascript');
          expect(fillUniforms(seed, stream, first, new Float64Array(n))).toEqual(want);
        }
      } finally {
        setWasmPhilox(true);
      }
    },
  );

  it.each(ranges)(
    'SIMD WebAssembly, scalar WebAssembly and JavaScript give the reference uniforms (seed %i, stream %i, from %i)',
    async (seed, stream, first, n) => {
      const { fillUniforms, philoxPath, setPhiloxPath } = await import('../../../common/engine/rng');
      const want = reference(seed, stream, first, n);
      try {
        for (const path of ['simd', 'scalar', 'javascript'] as const) {
          setPhiloxPath(path);
          expect(philoxPath()).toBe(path);
          expect(fillUniforms(seed, stream, first, new Float64Array(n))).toEqual(want);
        }
      } finally {
        setPhiloxPath(null);
      }
    },
  );

  // The SIMD loop takes eight blocks at a time, one per lane of two vectors, and the scalar loop
  // the last one to seven: every remainder, with the counter's carry landing in each lane.
  it('each path agrees on every remainder and every lane of the carry into the high word', async () => {
    const { fillUniforms, setPhiloxPath } = await import('../../../common/engine/rng');
    try {
      for (const block of [0, 2 ** 33 - 5, ...Array.from({ length: 8 }, (_, j) => 2 ** 32 - 1 - j)]) {
        for (let blocks = 1; blocks <= 19; blocks++) {
          const want = reference(3, 11, block * 4, blocks * 4);
          for (const path of ['simd', 'scalar', 'javascript'] as const) {
            setPhiloxPath(path);
            expect(
              fillUniforms(3, 11, block * 4, new Float64Array(blocks * 4)),
              `${path}, ${blocks} blocks from ${block}`,
            ).toEqual(want);
          }
        }
      }
    } finally {
      setPhiloxPath(null);
    }
  });

  it('takes SIMD first, and the scalar module where SIMD does not compile', async () => {
    const { fillUniforms, philoxImplementation, philoxPath, setPhiloxPath } =
      await import('../../../common/engine/rng');
    const { philoxSimdWasm } = await import('../../../common/engine/wasm/philoxSimd-wasm');
    const want = reference(4, 1, 1, 99);
    // Node's types declare WebAssembly as a namespace only: reach the runtime object directly.
    const real = (
      globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: unknown } }
    ).WebAssembly;
    const simdBytes = Buffer.from(philoxSimdWasm, 'base64');
    // An engine without SIMD: the SIMD module fails to compile, the scalar one does.
    class Module extends real.Module {
      constructor(bytes: Uint8Array) {
        if (Buffer.from(bytes).equals(simdBytes)) throw new Error('no SIMD');
        super(bytes);
      }
    }
    try {
      setPhiloxPath(null);
      expect(philoxPath()).toBe('simd');
      vi.stubGlobal('WebAssembly', { Module, Instance: real.Instance });
      for (const ask of [null, 'simd'] as const) {
        setPhiloxPath(ask);
        expect(philoxPath()).toBe('scalar');
        expect(philoxImplementation()).toBe('webassembly');
        expect(fillUniforms(4, 1, 1, new Float64Array(99))).toEqual(want);
      }
    } finally {
      vi.unstubAllGlobals();
      setPhiloxPath(null);
    }
  });

  it('the committed WebAssembly modules are assembled from their sources', async () => {
    const { execFileSync } = await import('node:child_process');
    expect(() =>
      execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: repoRoot, stdio: 'pipe' }),
    ).not.toThrow();
  });
});
