/**
 * A report's tables as CSV files, one per table, in the convention of a run's sample export
 * (common/engine/analysis/sample-csv.ts): RFC 4180 with CRLF line ends, the table's marking in
 * banner form alone on the first line, then the header, then the rows. Numbers are written in full
 * precision (they read back to the same double); text that a spreadsheet would run as a formula is
 * prefixed with an apostrophe (csvText). An undefined statistic (null) is an empty field.
 */
import { csvNumber, csvText } from '../engine/analysis/sample-csv';
import type { ReportCell, ReportDocument } from './report-document';

export interface ReportCsvFile {
  /** "03-Statistics-of-Cost.csv": the table's place in the report, then its caption, safe as a file name on any system. */
  name: string;
  text: string;
}

/** The longest caption part of a name, so a name stays well under every file system's limit. */
const NAME_MAX = 80;

export function reportCsvFiles(doc: ReportDocument): ReportCsvFile[] {
  const tables = doc.blocks.filter((b) => b.type === 'table');
  const width = String(tables.length).length < 2 ? 2 : String(tables.length).length;
  const taken = new Set<string>();
  return tables.map((table, i) => {
    const lines = [
      csvText(table.marking.banner),
      table.columns.map((c) => csvText(c.label)).join(','),
      ...table.rows.map((row) => row.map(csvCell).join(',')),
    ];
    const base = `${String(i + 1).padStart(width, '0')}-${fileNamePart(table.caption)}`;
    let name = `${base}.csv`;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}.csv`;
    taken.add(name.toLowerCase());
    return { name, text: `${lines.join('\r\n')}\r\n` };
  });
}

function csvCell(cell: ReportCell): string {
  if (cell === null) return '';
  return typeof cell === 'number' ? csvNumber(cell) : csvText(cell);
}

/**
 * A caption as part of a file name: letters and digits (any script) kept, every run of anything
 * else one hyphen, so no path separator, dot-name, reserved character or control character is left.
 */
export function fileNamePart(caption: string): string {
  const part = caption
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_MAX)
    .replace(/-+$/, '');
  return part || 'table';
}
