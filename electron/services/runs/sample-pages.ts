import { inflateSync } from 'node:zlib';
import { BASE64_PIECE_CHARS, SAMPLE_PAGE_MAX_BYTES, SAMPLE_PAGE_RAW_BYTES } from '../../../common/ipc/contract';
import { ServiceError } from '../service-error';

/** The layout of a run's kept samples, as runs.save declared it. */
export interface SamplesLayout {
  iterations: number;
  inputs: string[];
  outputs: string[];
}

/** Bytes of the kept samples before compression: 8 per value, `iterations` values per input and output. */
export const rawBytesOf = (layout: SamplesLayout) =>
  layout.iterations * (layout.inputs.length + layout.outputs.length) * 8;

export const pageCountOf = (layout: SamplesLayout) => Math.ceil(rawBytesOf(layout) / SAMPLE_PAGE_RAW_BYTES);

/** Bytes page `page` holds before compression: full pages, then the rest. */
export const pageRawBytes = (layout: SamplesLayout, page: number) =>
  Math.min(SAMPLE_PAGE_RAW_BYTES, rawBytesOf(layout) - page * SAMPLE_PAGE_RAW_BYTES);

/**
 * One page as it arrived (base64), checked before it is kept: at most SAMPLE_PAGE_MAX_BYTES of
 * compressed bytes that inflate (zlib) to exactly the page's raw size. Inflating stops at that
 * size, so a page that would inflate to gigabytes costs no more memory than a good one.
 */
export function checkedPage(layout: SamplesLayout, page: number, base64: readonly string[]): Buffer {
  const data = Buffer.from(base64.join(''), 'base64');
  if (data.length === 0 || data.length > SAMPLE_PAGE_MAX_BYTES)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `Page ${page} of the samples is ${data.length.toLocaleString('en-US')} bytes; a page is 1 to ${SAMPLE_PAGE_MAX_BYTES.toLocaleString('en-US')} bytes.`,
    );
  const expected = pageRawBytes(layout, page);
  let inflated: Buffer;
  try {
    inflated = inflateSync(data, { maxOutputLength: expected });
  } catch {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `Page ${page} of the samples is not compressed samples of the declared size (${expected.toLocaleString('en-US')} bytes).`,
    );
  }
  if (inflated.length !== expected)
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `Page ${page} of the samples holds ${inflated.length.toLocaleString('en-US')} bytes, not the declared ${expected.toLocaleString('en-US')}.`,
    );
  return data;
}

/** Base64 text in the pieces the channels carry. */
export function base64Pieces(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += BASE64_PIECE_CHARS) pieces.push(text.slice(i, i + BASE64_PIECE_CHARS));
  return pieces;
}
