/**
 * A run's kept samples as pages for the store (docs/runs.md, "Samples"): the values of each input,
 * then each output, as one stream of float64s, cut into pages of SAMPLE_PAGE_RAW_BYTES; each page's
 * bytes are shuffled (all first bytes of its values, then all second bytes, …: the exponents and high
 * mantissa bytes of nearby values repeat, which deflate finds) and deflated (zlib format) on its own,
 * so a page is checked, kept and read back alone. No DOM or Node API beyond the streams both have.
 */
import type { RunSamples } from '../../common/engine/analysis/run-samples';
import { BASE64_PIECE_CHARS, SAMPLE_PAGE_RAW_BYTES } from '../../common/ipc/contract';

export interface SamplesLayout {
  iterations: number;
  inputs: string[];
  outputs: string[];
}

const VALUES_PER_PAGE = SAMPLE_PAGE_RAW_BYTES / 8;

export const layoutOf = (samples: RunSamples): SamplesLayout => ({
  iterations: samples.iterations,
  inputs: Object.keys(samples.inputs),
  outputs: Object.keys(samples.outputs),
});

export const pageCountOf = (layout: SamplesLayout) =>
  Math.ceil((layout.iterations * (layout.inputs.length + layout.outputs.length)) / VALUES_PER_PAGE);

function columnsOf(samples: RunSamples, layout: SamplesLayout): Float64Array[] {
  return [
    ...layout.inputs.map((name) => samples.inputs[name]!),
    ...layout.outputs.map((name) => samples.outputs[name]!),
  ];
}

/** Copies values [start, start + into.length) of the column stream into `into`, or back when `back`. */
function copySpan(columns: Float64Array[], n: number, start: number, into: Float64Array, back: boolean): void {
  let done = 0;
  while (done < into.length) {
    const at = start + done;
    const column = columns[Math.floor(at / n)]!;
    const offset = at % n;
    const count = Math.min(n - offset, into.length - done);
    if (back) column.set(into.subarray(done, done + count), offset);
    else into.set(column.subarray(offset, offset + count), done);
    done += count;
  }
}

export function shuffleBytes(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const n = values.length;
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < 8; b++) for (let i = 0; i < n; i++) out[b * n + i] = bytes[i * 8 + b]!;
  return out;
}

export function unshuffleBytes(shuffled: Uint8Array): Float64Array {
  const n = shuffled.length / 8;
  const out = new Float64Array(n);
  const bytes = new Uint8Array(out.buffer);
  for (let b = 0; b < 8; b++) for (let i = 0; i < n; i++) bytes[i * 8 + b] = shuffled[b * n + i]!;
  return out;
}

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  void writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The compressed pages of a run's samples, one at a time (so no more than one page is held uncompressed). */
export async function* encodeSamplePages(samples: RunSamples): AsyncGenerator<Uint8Array> {
  const layout = layoutOf(samples);
  const columns = columnsOf(samples, layout);
  const total = layout.iterations * columns.length;
  for (let start = 0; start < total; start += VALUES_PER_PAGE) {
    const page = new Float64Array(Math.min(VALUES_PER_PAGE, total - start));
    copySpan(columns, layout.iterations, start, page, false);
    yield await through(shuffleBytes(page), new CompressionStream('deflate'));
  }
}

/** Samples laid out as `layout`, filled page by page by `put` (pages in any order). */
export function sampleAssembler(layout: SamplesLayout) {
  const inputs = Object.fromEntries(layout.inputs.map((name) => [name, new Float64Array(layout.iterations)]));
  const outputs = Object.fromEntries(layout.outputs.map((name) => [name, new Float64Array(layout.iterations)]));
  const samples: RunSamples = { iterations: layout.iterations, inputs, outputs };
  const columns = columnsOf(samples, layout);
  const total = layout.iterations * columns.length;
  return {
    samples,
    async put(page: number, compressed: Uint8Array): Promise<void> {
      const start = page * VALUES_PER_PAGE;
      const expected = Math.min(VALUES_PER_PAGE, total - start) * 8;
      const raw = await through(compressed, new DecompressionStream('deflate'));
      if (expected <= 0 || raw.length !== expected)
        throw new Error(`Page ${page} of the samples holds ${raw.length} bytes, not ${Math.max(expected, 0)}.`);
      copySpan(columns, layout.iterations, start, unshuffleBytes(raw), true);
    },
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Uint8Array(256).fill(255);
ENCODE.forEach((code, i) => (DECODE[code] = i));

/** Base64 of bytes, through a byte table (string concatenation of megabytes takes seconds). */
export function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[v >> 18]!;
    out[o++] = ENCODE[(v >> 12) & 63]!;
    out[o++] = ENCODE[(v >> 6) & 63]!;
    out[o++] = ENCODE[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const v = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = ENCODE[v >> 18]!;
    out[o++] = ENCODE[(v >> 12) & 63]!;
    out[o++] = rest === 2 ? ENCODE[(v >> 6) & 63]! : 61;
    out[o] = 61; // '='
  }
  return new TextDecoder().decode(out);
}

export function fromBase64(text: string): Uint8Array {
  const input = new TextEncoder().encode(text);
  let length = input.length;
  while (length > 0 && input[length - 1] === 61) length--;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let o = 0;
  let bits = 0;
  let buffer = 0;
  for (let i = 0; i < length; i++) {
    const v = DECODE[input[i]!]!;
    if (v === 255) throw new Error('The samples page is not base64.');
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 255;
    }
  }
  return out;
}

/** A page as the channels carry it: base64 in pieces of BASE64_PIECE_CHARS. */
export function toBase64Pieces(bytes: Uint8Array): string[] {
  const text = toBase64(bytes);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += BASE64_PIECE_CHARS) pieces.push(text.slice(i, i + BASE64_PIECE_CHARS));
  return pieces;
}

export const fromBase64Pieces = (pieces: readonly string[]) => fromBase64(pieces.join(''));
