import type { RunSamples } from './run-samples';

/**
 * A run's samples as CSV (RFC 4180, CRLF line ends): the marking banner alone on the first line,
 * then the header (iteration, each input, each output; a unit in brackets where the model gives
 * one), then one row per iteration. Numbers are written with String(x), which reads back to the
 * same double; a NaN is an empty field. Produced in chunks of rows so a million rows never become
 * one string: the page joins the chunks into a Blob.
 */
export interface SampleCsvOptions {
  /** The banner line of what is exported (the run's marking). */
  banner: string;
  /** Unit of an input or output, by name, where the model has one. */
  units?: Readonly<Record<string, string>>;
  rowsPerChunk?: number;
}

/**
 * A text field as CSV: quoted when it holds a comma, quote or line break; and one that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is prefixed with an
 * apostrophe, so a unit or banner typed by someone else cannot become a formula on opening.
 */
export function csvText(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number as CSV: the shortest text that reads back to the same double; NaN as nothing. */
export function csvNumber(value: number): string {
  return Number.isNaN(value) ? '' : String(value);
}

export interface SampleCsvColumn {
  heading: string;
  values: Float64Array;
}

/** Inputs, then outputs that are not also inputs (an output that is an input holds the same values). */
export function sampleCsvColumns(samples: RunSamples, units: Readonly<Record<string, string>> = {}): SampleCsvColumn[] {
  const heading = (name: string, kind: string) => (units[name] ? `${name} [${units[name]}]` : name) + ` (${kind})`;
  const inputs = Object.entries(samples.inputs).map(([name, values]) => ({
    heading: heading(name, name in samples.outputs ? 'input and output' : 'input'),
    values,
  }));
  const outputs = Object.entries(samples.outputs)
    .filter(([name]) => !(name in samples.inputs))
    .map(([name, values]) => ({ heading: heading(name, 'output'), values }));
  return [...inputs, ...outputs];
}

export function* sampleCsvChunks(samples: RunSamples, options: SampleCsvOptions): Generator<string> {
  const rowsPerChunk = options.rowsPerChunk ?? 10_000;
  const columns = sampleCsvColumns(samples, options.units);
  yield `${csvText(options.banner)}\r\n${['iteration', ...columns.map((c) => c.heading)].map(csvText).join(',')}\r\n`;
  for (let start = 0; start < samples.iterations; start += rowsPerChunk) {
    const end = Math.min(samples.iterations, start + rowsPerChunk);
    const lines: string[] = [];
    for (let i = start; i < end; i++) {
      let line = String(i + 1);
      for (const column of columns) line += `,${csvNumber(column.values[i]!)}`;
      lines.push(line);
    }
    yield `${lines.join('\r\n')}\r\n`;
  }
}

/** The whole CSV as one string: for tests and small exports only. */
export function sampleCsv(samples: RunSamples, options: SampleCsvOptions): string {
  return [...sampleCsvChunks(samples, options)].join('');
}
