import { describe, expect, it } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import type { RunSamples } from '../../../common/engine/analysis/run-samples';
import { SAMPLE_PAGE_RAW_BYTES } from '../../../common/ipc/contract';
import {
  encodeSamplePages,
  fromBase64,
  layoutOf,
  pageCountOf,
  sampleAssembler,
  shuffleBytes,
  toBase64,
  unshuffleBytes,
} from '../../../renderer/engine/sample-codec';

const column = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));

describe('saved samples in pages', () => {
  it('give back every value bit for bit, NaN and -0 included, across page and column boundaries', async () => {
    const n = 300_001; // 3 columns of 300,001 values: pages of 524,288 values cut inside columns
    const samples: RunSamples = {
      iterations: n,
      inputs: { labour: column(n, (i) => Math.sin(i) * 1e3), materials: column(n, (i) => (i % 7 === 0 ? -0 : i / 3)) },
      outputs: { total: column(n, (i) => (i % 1000 === 0 ? Number.NaN : Math.cos(i) + 1e6)) },
    };
    const layout = layoutOf(samples);
    expect(pageCountOf(layout)).toBe(Math.ceil((3 * n * 8) / SAMPLE_PAGE_RAW_BYTES));
    const pages: Uint8Array[] = [];
    for await (const page of encodeSamplePages(samples)) pages.push(fromBase64(toBase64(page)));
    expect(pages).toHaveLength(pageCountOf(layout));
    // Each page is a zlib stream the service inflates alone, to the page's raw size.
    expect(inflateSync(pages[0]!).length).toBe(SAMPLE_PAGE_RAW_BYTES);
    const back = sampleAssembler(layout);
    for (const [i, page] of [...pages.entries()].reverse()) await back.put(i, page);
    // Byte for byte (a deep equal of megabytes would take minutes; NaN and -0 must match as bits).
    const same = (a: Float64Array, b: Float64Array) => Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer));
    for (const name of ['labour', 'materials']) expect(same(back.samples.inputs[name]!, samples.inputs[name]!)).toBe(0);
    expect(same(back.samples.outputs.total!, samples.outputs.total!)).toBe(0);
  });

  it('shuffles bytes so smooth values compress better than unshuffled, and unshuffles exactly', () => {
    const values = column(10_000, (i) => 100 + i * 0.01);
    expect(unshuffleBytes(shuffleBytes(values))).toEqual(values);
    expect(deflateSync(shuffleBytes(values)).length).toBeLessThan(deflateSync(new Uint8Array(values.buffer)).length);
  });

  it('refuses a page whose bytes are not what the layout declares', async () => {
    const samples: RunSamples = { iterations: 10, inputs: {}, outputs: { total: column(10, (i) => i) } };
    const pages: Uint8Array[] = [];
    for await (const page of encodeSamplePages(samples)) pages.push(page);
    const wrong = sampleAssembler({ iterations: 12, inputs: [], outputs: ['total'] });
    await expect(wrong.put(0, pages[0]!)).rejects.toThrow(/holds 80 bytes, not 96/);
    await expect(wrong.put(0, new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
  });
});
