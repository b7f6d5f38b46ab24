import { sampleCsvChunks, sampleCsvColumns } from '../../../common/engine/analysis/sample-csv';
import type { RunSamples } from '../../../common/engine/analysis/run-samples';

/**
 * Writes a run's samples as a CSV Blob, chunk by chunk: each chunk of rows is appended to the Blob
 * (which holds its parts by reference) and the page gets its turn between chunks, so a million
 * rows neither become one string nor freeze the screen.
 */
export async function sampleCsvBlob(
  samples: RunSamples,
  options: { banner: string; units?: Readonly<Record<string, string>> },
  onProgress: (rows: number) => void,
  signal?: AbortSignal,
): Promise<Blob> {
  const rowsPerChunk = 20_000;
  let blob = new Blob([], { type: 'text/csv;charset=utf-8' });
  let index = 0;
  for (const chunk of sampleCsvChunks(samples, { ...options, rowsPerChunk })) {
    signal?.throwIfAborted();
    blob = new Blob([blob, chunk], { type: 'text/csv;charset=utf-8' });
    // The first chunk is the marking and the header; each later one holds rowsPerChunk rows.
    onProgress(Math.min(samples.iterations, index * rowsPerChunk));
    index++;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return blob;
}

export const csvColumnCount = (samples: RunSamples) => 1 + sampleCsvColumns(samples).length;

/** A file name from the model and run names: letters, digits, - and _ only. */
export function csvFileName(model: string, run: string): string {
  const clean = (text: string) =>
    text
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'run';
  return `${clean(model)}-${clean(run)}-samples.csv`;
}
