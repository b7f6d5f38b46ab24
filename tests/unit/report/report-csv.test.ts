import { describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../../common/report/report-document';
import { fileNamePart, reportCsvFiles } from '../../../common/report/report-csv';
import { exportFixture, SECRET } from './export-fixture';

/** RFC 4180 fields of one CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  expect(field, 'the text ends with CRLF').toBe('');
  return rows;
}

describe('report CSV files', () => {
  it('writes one file per table, in report order, named from its caption', () => {
    expect(reportCsvFiles(exportFixture()).map((f) => f.name)).toEqual([
      '01-Statistics-of-Baseline.csv',
      '02-Statistics-of-Mitigated.csv',
      '03-Percentiles-of-Total-cost.csv',
      '04-Contribution-to-variance-of-Total-cost.csv',
      '05-Inputs-distributions-parameters.csv',
      '06-Run-settings.csv',
    ]);
  });

  it('puts the table’s marking alone on the first line, then the header, then the rows', () => {
    const doc = exportFixture();
    const tables = doc.blocks.filter((b) => b.type === 'table');
    reportCsvFiles(doc).forEach((file, i) => {
      const rows = parseCsv(file.text);
      expect(file.text.split('\r\n')[0]).toBe(tables[i]!.marking.banner);
      expect(rows[1]).toEqual(tables[i]!.columns.map((c) => c.label));
      expect(rows).toHaveLength(2 + tables[i]!.rows.length);
    });
  });

  it('reads back to the same numbers, in full precision; an undefined statistic is an empty field', () => {
    const [baseline] = reportCsvFiles(exportFixture());
    const rows = parseCsv(baseline!.text);
    expect(rows[2]).toEqual(['Total cost', '10000', '15.123456789', '2.5', '0.4123456789012345']);
    expect(rows[2]!.slice(1).map(Number)).toEqual([10000, 15.123456789, 2.5, 0.4123456789012345]);
    expect(rows[3]).toEqual(['Schedule', '10000', '31.5', '4.25', '']);
    const tornado = parseCsv(reportCsvFiles(exportFixture())[3]!.text);
    expect(tornado[3]).toEqual(['Steel price', '0.25', '-0.5']);
  });

  it('quotes text with commas and quotes, and keeps text a spreadsheet would run as a formula from running', () => {
    const files = reportCsvFiles(exportFixture());
    const inputs = files[4]!;
    expect(inputs.text).toContain('"\'=HYPERLINK(""http://example.invalid"")"');
    expect(parseCsv(inputs.text)[2]).toEqual([
      'Labour rate',
      'triangular(10, 12, 18)',
      '\'=HYPERLINK("http://example.invalid")',
    ]);
    expect(parseCsv(inputs.text)[3]).toEqual(['Steel price', 'normal(5, 0.5)', "'-5 on a bad day, @risk"]);
  });

  it('names files safely and uniquely whatever the captions say', () => {
    const base = exportFixture();
    const table = base.blocks.find((b) => b.type === 'table')!;
    const captions = ['../../etc/passwd', 'Cost / schedule: P80?', 'Cost / schedule: P80?', '***', 'Coût «réel»'];
    const doc: ReportDocument = {
      ...base,
      blocks: captions.map((caption, i) => ({ ...table, id: `t${i}`, caption, marking: SECRET })),
    };
    const names = reportCsvFiles(doc).map((f) => f.name);
    expect(names).toEqual([
      '01-etc-passwd.csv',
      '02-Cost-schedule-P80.csv',
      '03-Cost-schedule-P80.csv',
      '04-table.csv',
      '05-Coût-réel.csv',
    ]);
    for (const name of names) expect(name).toMatch(/^[\p{L}\p{N}-]+\.csv$/u);
    expect(fileNamePart('x'.repeat(300))).toHaveLength(80);
  });
});
