import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleCsvColumns } from '../../../common/engine/analysis/sample-csv';
import { DEFAULT_POLICY } from '../../../common/markings';
import type { ReportDocument } from '../../../common/report/report-document';
import { buildReportWorkbook, WORKBOOK_CREATOR } from '../../../common/report/report-workbook';
import { buildReportDocument } from '../../../common/report/build-document';
import { reportMarkingOf } from '../../../common/report/report-marking';
import { standardDefinition } from '../../../common/report/standard-definition';
import { exampleModel, realRun, reportData } from './report-fixture';
import { CREATED_AT, exportFixture, fixtureSamples, SECRET, SECRET_NF, UNCLASSIFIED } from './export-fixture';

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The rows under a table's caption: from its header row to the first empty row. */
function tableRows(sheet: ExcelJS.Worksheet, caption: string): { header: ExcelJS.Row; rows: ExcelJS.Row[] } {
  let at = 0;
  sheet.eachRow((row, n) => {
    if (row.getCell(2).value === caption) at = n;
  });
  expect(at, `the caption "${caption}" on ${sheet.name}`).toBeGreaterThan(0);
  const rows: ExcelJS.Row[] = [];
  for (let n = at + 2; n <= sheet.rowCount && sheet.getRow(n).cellCount > 0; n++) rows.push(sheet.getRow(n));
  return { header: sheet.getRow(at + 1), rows };
}

const samples = [{ label: 'Baseline', marking: SECRET, samples: fixtureSamples(250) }];

afterEach(() => {
  vi.useRealTimers();
});

describe('report workbook', () => {
  it('has a Summary sheet first, one sheet per table sheet in order of first appearance, then the samples', async () => {
    const workbook = await readBack(await buildReportWorkbook(exportFixture(), { appVersion: '1.2.3', samples }));
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Summary',
      'Statistics',
      'Percentiles',
      'Sensitivity',
      'Inputs',
      'Samples',
    ]);
    expect(workbook.creator).toBe(WORKBOOK_CREATOR);
    expect(workbook.title).toBe('Project Alder cost risk');
    expect(workbook.subject).toBe('SECRET//NOFORN');
    expect(workbook.created.toISOString()).toBe(CREATED_AT);
    expect(workbook.modified.toISOString()).toBe(CREATED_AT);
  });

  it('puts the banner in every sheet’s headers and footers and in its first row, filled with the banner colour', async () => {
    const workbook = await readBack(await buildReportWorkbook(exportFixture(), { appVersion: '1.2.3', samples }));
    for (const sheet of workbook.worksheets) {
      const hf = sheet.headerFooter;
      for (const part of [hf.oddHeader, hf.oddFooter, hf.evenHeader, hf.evenFooter, hf.firstHeader, hf.firstFooter]) {
        expect(part, sheet.name).toMatch(/^&C.*SECRET\/\/NOFORN/);
      }
      expect(hf.oddFooter).toContain('Page &P of &N');
      const banner = sheet.getCell('A1');
      expect(banner.value, sheet.name).toBe('SECRET//NOFORN');
      expect(banner.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC8102E' } });
      expect(banner.font).toMatchObject({ bold: true, color: { argb: 'FFFFFFFF' } });
      // Merged across every used column: the last used column's first cell belongs to A1.
      const last = sheet.getCell(1, sheet.columnCount);
      expect(last.isMerged, sheet.name).toBe(true);
      expect(last.master.address).toBe('A1');
      expect(sheet.pageSetup).toMatchObject({ fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      expect(sheet.pageSetup.printTitlesRow, sheet.name).toMatch(/^\$?1:\$?\d$/);
    }
  });

  it('freezes and repeats the header where every table of the sheet shares it', async () => {
    const workbook = await readBack(await buildReportWorkbook(exportFixture(), { appVersion: '1.2.3', samples }));
    const frozen = (name: string) => workbook.getWorksheet(name)!.views[0] as ExcelJS.WorksheetViewFrozen;
    expect(frozen('Summary')).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(frozen('Statistics')).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(workbook.getWorksheet('Statistics')!.getRow(3).getCell(3).value).toBe('Iterations');
    expect(frozen('Samples')).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(workbook.getWorksheet('Samples')!.pageSetup.printTitlesRow).toMatch(/^\$?1:\$?3$/);
  });

  it('gives every row under the banner its portion mark, and every table a marked caption and bold header', async () => {
    const doc = exportFixture();
    const workbook = await readBack(await buildReportWorkbook(doc, { appVersion: '1.2.3', samples }));
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        expect(String(row.getCell(1).value), `${sheet.name} row ${n}`).toMatch(/^(\([A-Z/ ,-]+\)|Portion)$/);
      });
    }
    for (const table of doc.blocks.filter((b) => b.type === 'table')) {
      const sheet = workbook.getWorksheet(table.sheet)!;
      const { header, rows } = tableRows(sheet, table.caption);
      expect(sheet.getRow(header.number - 1).getCell(1).value).toBe(table.marking.portion);
      expect(header.getCell(1).value).toBe('Portion');
      expect(header.getCell(1).font?.bold).toBe(true);
      expect(table.columns.map((_, i) => header.getCell(i + 2).value)).toEqual(table.columns.map((c) => c.label));
      expect(rows).toHaveLength(table.rows.length);
      for (const row of rows) expect(row.getCell(1).value).toBe(table.marking.portion);
    }
  });

  it('writes numbers as numbers with their column’s format, and undefined statistics as empty cells', async () => {
    const workbook = await readBack(await buildReportWorkbook(exportFixture(), { appVersion: '1.2.3' }));
    const { rows } = tableRows(workbook.getWorksheet('Statistics')!, 'Statistics of Baseline');
    const [cost, schedule] = rows;
    expect(cost!.getCell(2).type).toBe(ExcelJS.ValueType.String);
    const expected: [number, number, string][] = [
      [3, 10000, '#,##0'],
      [4, 15.123456789, '#,##0.00'],
      [5, 2.5, '#,##0.000'],
      [6, 0.4123456789012345, 'General'],
    ];
    for (const [column, value, format] of expected) {
      const cell = cost!.getCell(column);
      expect(cell.type).toBe(ExcelJS.ValueType.Number);
      expect(cell.value).toBe(value);
      expect(cell.numFmt ?? 'General').toBe(format);
    }
    expect(schedule!.getCell(6).type).toBe(ExcelJS.ValueType.Null);
    const tornado = tableRows(workbook.getWorksheet('Sensitivity')!, 'Contribution to variance of Total cost').rows;
    expect(tornado[0]!.getCell(3)).toMatchObject({ type: ExcelJS.ValueType.Number, value: 0.625, numFmt: '0.0%' });
    expect(tornado[1]!.getCell(4)).toMatchObject({ type: ExcelJS.ValueType.Number, value: -0.5, numFmt: '#,##0.000' });
    // A number in a text column is still a number; text that looks like a formula is only text.
    const settings = tableRows(workbook.getWorksheet('Summary')!, 'Run settings').rows;
    expect(settings[0]!.getCell(3)).toMatchObject({ type: ExcelJS.ValueType.Number, value: 42 });
    const inputs = tableRows(workbook.getWorksheet('Inputs')!, 'Inputs: distributions, parameters').rows;
    expect(inputs[0]!.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(inputs[0]!.getCell(4).value).toBe('=HYPERLINK("http://example.invalid")');
  });

  it('puts the title, author, time, banner, authority block, title page and executive summary on the Summary sheet', async () => {
    const sheet = (await readBack(await buildReportWorkbook(exportFixture(), { appVersion: '1.2.3' }))).getWorksheet(
      'Summary',
    )!;
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 2 && row.getCell(2).value !== null) rows.push([1, 2, 3].map((c) => row.getCell(c).value));
    });
    expect(rows.slice(0, 13)).toEqual([
      ['(U)', 'Title', 'Project Alder cost risk'],
      ['(U)', 'Author', 'J. Analyst'],
      ['(U)', 'Created', CREATED_AT],
      ['(S//NF)', 'Banner', 'SECRET//NOFORN'],
      ['(S//NF)', 'Classified By', 'J. Analyst, Cost Office'],
      ['(S//NF)', 'Derived From', 'Alder SCG, 2026-03-01'],
      ['(S//NF)', 'Declassify On', '20511130'],
      ['(U)', 'Application', 'Enclave 1.2.3'],
      ['(U)', 'Title page', 'Model: Alder cost, version 3'],
      ['(U)', 'Title page', 'Runs: Baseline, Mitigated'],
      ['(U)', 'Executive summary', 'This report gives the cost risk.'],
      ['(S//NF)', 'Executive summary', 'The P80 cost, "with" mitigation, is 14.2 M, down from 17.9 M.'],
      ['(U)', 'Run settings', null],
    ]);
  });

  it('leaves out the authority block of a report that has none', async () => {
    const doc: ReportDocument = { ...exportFixture(), banner: UNCLASSIFIED, authority: null };
    const sheet = (await readBack(await buildReportWorkbook(doc, { appVersion: '1' }))).getWorksheet('Summary')!;
    const items: unknown[] = [];
    sheet.eachRow((row) => items.push(row.getCell(2).value));
    expect(items).not.toContain('Classified By');
    expect(sheet.getCell('A1').fill).toMatchObject({ fgColor: { argb: 'FF007A33' } });
  });

  it('writes each run’s samples, one column per input and output, equal to the samples', async () => {
    const runs = [
      { label: 'Baseline', marking: SECRET, samples: fixtureSamples(40) },
      { label: 'Mitigated', marking: SECRET_NF, samples: fixtureSamples(30) },
    ];
    const workbook = await readBack(await buildReportWorkbook(exportFixture(), { appVersion: '1', samples: runs }));
    for (const run of runs) {
      const sheet = workbook.getWorksheet(`Samples ${run.label}`)!;
      const columns = sampleCsvColumns(run.samples);
      expect(sheet.getRow(2).getCell(2).value).toBe(
        `Samples of ${run.label}: all ${run.samples.iterations} iterations the run kept.`,
      );
      expect(sheet.getRow(3).values).toEqual([undefined, 'Portion', 'Iteration', ...columns.map((c) => c.heading)]);
      expect(sheet.rowCount).toBe(3 + run.samples.iterations);
      for (let i = 0; i < run.samples.iterations; i++) {
        const row = sheet.getRow(4 + i);
        expect(row.getCell(1).value).toBe(run.marking.portion);
        expect(row.getCell(2).value).toBe(i + 1);
        columns.forEach((column, c) => {
          const value = column.values[i]!;
          expect(row.getCell(3 + c).value).toBe(Number.isNaN(value) ? null : value);
        });
      }
    }
  });

  it('holds at most maxSampleRows iterations and says where the rest are', async () => {
    const run = { label: 'Baseline', marking: SECRET, samples: fixtureSamples(2500) };
    const workbook = await readBack(
      await buildReportWorkbook(exportFixture(), { appVersion: '1', samples: [run], maxSampleRows: 1000 }),
    );
    const sheet = workbook.getWorksheet('Samples')!;
    expect(sheet.rowCount).toBe(3 + 1000);
    expect(sheet.getRow(2).getCell(2).value).toBe(
      "Samples of Baseline: the first 1,000 of the 2,500 iterations the run kept. The full samples are in the run's CSV export.",
    );
  });

  it('shares a cell budget between the runs’ sample sheets, so a wide model’s workbook stays buildable', async () => {
    const runs = ['Baseline', 'Mitigated'].map((label) => ({ label, marking: SECRET, samples: fixtureSamples(400) }));
    const workbook = await readBack(
      await buildReportWorkbook(exportFixture(), { appVersion: '1', samples: runs, maxSampleCells: 1000 }),
    );
    // A row: the portion, the iteration and three sample columns; 1,000 cells shared by two runs.
    for (const run of runs) {
      const sheet = workbook.getWorksheet(`Samples ${run.label}`)!;
      expect(sheet.rowCount).toBe(3 + 100);
      expect(sheet.getRow(2).getCell(2).value).toBe(
        `Samples of ${run.label}: the first 100 of the 400 iterations the run kept. The full samples are in the run's CSV export.`,
      );
    }
  });

  it('refuses samples marked above the report’s banner, and a bad row limit', async () => {
    const doc: ReportDocument = { ...exportFixture(), banner: UNCLASSIFIED, authority: null };
    await expect(
      buildReportWorkbook(doc, {
        appVersion: '1',
        samples: [{ label: 'Baseline', marking: SECRET, samples: fixtureSamples(5) }],
      }),
    ).rejects.toThrow(
      'The samples of "Baseline" are marked SECRET, above the report\'s banner UNCLASSIFIED: raise the report\'s banner to cover them, or leave the samples out.',
    );
    // Under the site's policy the caveats count too: SECRET//ORCON/NOFORN samples in a SECRET//NOFORN report.
    const secret: ReportDocument = exportFixture();
    const orcon = { banner: 'SECRET//ORCON/NOFORN', portion: '(S//OC/NF)', level: 'SECRET' as const };
    const orconSamples = [{ label: 'Baseline', marking: orcon, samples: fixtureSamples(5) }];
    await expect(
      buildReportWorkbook(secret, { appVersion: '1', samples: orconSamples, policy: DEFAULT_POLICY }),
    ).rejects.toThrow(
      'The samples of "Baseline" are marked SECRET//ORCON/NOFORN, above the report\'s banner SECRET//NOFORN: raise',
    );
    const covered = { ...exportFixture(), banner: orcon };
    await expect(
      buildReportWorkbook(covered, { appVersion: '1', samples: orconSamples, policy: DEFAULT_POLICY }),
    ).resolves.toBeInstanceOf(Uint8Array);
    await expect(buildReportWorkbook(doc, { appVersion: '1', maxSampleRows: 0 })).rejects.toThrow(
      'The most sample rows in a sheet must be a whole number above 0 (it was 0).',
    );
  });

  it('is the same file, byte for byte, when built again at another time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-01T00:00:00Z'));
    const first = await buildReportWorkbook(exportFixture(), { appVersion: '1.2.3', samples });
    vi.setSystemTime(new Date('2027-06-15T13:37:11Z'));
    const second = await buildReportWorkbook(exportFixture(), { appVersion: '1.2.3', samples });
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('makes a marked, numeric workbook of a real standard report of two CPU runs', async () => {
    const model = exampleModel();
    const runs = [realRun(model, 7, 3000, 'Baseline', true), realRun(model, 8, 2000, 'Second look', false)];
    const data = reportData(model, runs);
    const definition = standardDefinition({
      model,
      modelRef: { id: 1, version: 3 },
      runIds: [1, 2],
      author: 'J. Analyst',
      runs,
      policy: DEFAULT_POLICY,
    });
    const doc = buildReportDocument(definition, data);
    const samples = [
      { label: 'Baseline', marking: reportMarkingOf(runs[0]!.banner, DEFAULT_POLICY), samples: runs[0]!.samples! },
    ];
    const workbook = await readBack(
      await buildReportWorkbook(doc, { appVersion: '1', samples, policy: DEFAULT_POLICY }),
    );
    const tables = doc.blocks.filter((b) => b.type === 'table');
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Summary',
      ...new Set(tables.map((t) => t.sheet).filter((name) => name !== 'Summary')),
      'Samples',
    ]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.getCell('A1').value).toBe(doc.banner.banner);
      expect(sheet.headerFooter.oddFooter).toContain(doc.banner.banner);
    }
    let numbers = 0;
    for (const table of tables) {
      const { rows } = tableRows(workbook.getWorksheet(table.sheet)!, table.caption);
      expect(rows, table.caption).toHaveLength(table.rows.length);
      table.rows.forEach((cells, r) =>
        cells.forEach((cell, c) => {
          if (typeof cell !== 'number' || !Number.isFinite(cell)) return;
          numbers++;
          expect(rows[r]!.getCell(c + 2).type, `${table.caption} row ${r + 1}`).toBe(ExcelJS.ValueType.Number);
          expect(rows[r]!.getCell(c + 2).value).toBe(cell);
        }),
      );
    }
    expect(numbers).toBeGreaterThan(100);
    expect(workbook.getWorksheet('Samples')!.rowCount).toBe(3 + 3000);
  });
});
