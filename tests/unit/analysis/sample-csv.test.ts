import { describe, expect, it } from 'vitest';
import { csvText, sampleCsv, sampleCsvChunks } from '../../../common/engine/analysis/sample-csv';
import type { RunSamples } from '../../../common/engine/analysis/run-samples';

const samples: RunSamples = {
  iterations: 5,
  inputs: {
    cost: Float64Array.from([0.1, 1 / 3, -2.5e-300, 1e21, 7]),
    delay: Float64Array.from([1, 2, 3, 4, 5]),
  },
  outputs: {
    total: Float64Array.from([Math.PI, Number.NaN, 0, Number.POSITIVE_INFINITY, -0.30000000000000004]),
    delay: Float64Array.from([1, 2, 3, 4, 5]),
  },
};

/** Splits one CSV line (RFC 4180 quoting). */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

describe('sample export as CSV', () => {
  const csv = sampleCsv(samples, { banner: 'SECRET//REL TO USA, GBR', units: { cost: '$k', delay: 'weeks' } });
  const lines = csv.split('\r\n');

  it('puts the marking alone on the first line, then the header with units', () => {
    expect(fields(lines[0]!)).toEqual(['SECRET//REL TO USA, GBR']);
    expect(fields(lines[1]!)).toEqual([
      'iteration',
      'cost [$k] (input)',
      'delay [weeks] (input and output)',
      'total (output)',
    ]);
    expect(lines).toHaveLength(2 + 5 + 1); // and a line end after the last row
    expect(lines[lines.length - 1]).toBe('');
  });

  it('writes every number so it reads back to the same double, and a NaN as an empty field', () => {
    const rows = lines.slice(2, 7).map(fields);
    rows.forEach((row, i) => {
      expect(row[0]).toBe(String(i + 1));
      expect(Number(row[1])).toBe(samples.inputs.cost![i]);
      expect(Number(row[2])).toBe(samples.inputs.delay![i]);
    });
    expect(rows.map((r) => r[3])).toEqual(['3.141592653589793', '', '0', 'Infinity', '-0.30000000000000004']);
    expect(Number(rows[0]![3])).toBe(Math.PI);
  });

  it('comes in chunks of rows that join to the same text, none holding the whole export', () => {
    const chunks = [
      ...sampleCsvChunks(samples, {
        banner: 'SECRET//REL TO USA, GBR',
        units: { cost: '$k', delay: 'weeks' },
        rowsPerChunk: 2,
      }),
    ];
    expect(chunks).toHaveLength(1 + 3);
    expect(chunks.join('')).toBe(csv);
  });

  it('keeps text a spreadsheet would run as a formula from becoming one', () => {
    expect(csvText('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvText('+1')).toBe("'+1");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('UNCLASSIFIED')).toBe('UNCLASSIFIED');
    const hostile = sampleCsv(samples, { banner: 'UNCLASSIFIED', units: { cost: '=1+1' } });
    expect(fields(hostile.split('\r\n')[1]!)[1]).toBe('cost [=1+1] (input)');
  });
});
