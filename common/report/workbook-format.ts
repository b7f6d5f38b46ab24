/**
 * The small rules of the report workbook (report-workbook.ts) that do not need exceljs: a column's
 * number format, sheet names Excel accepts, the banner as a header/footer, colours as exceljs wants them.
 */
import type { ReportColumn } from './report-document';

/** The number format of a column's numbers: fixed decimals where the column gives them, else Excel's General (full precision). */
export function numberFormat(column: Pick<ReportColumn, 'kind' | 'decimals'>): string {
  const decimals = (count: number) => (count > 0 ? `.${'0'.repeat(Math.min(count, 15))}` : '');
  switch (column.kind) {
    case 'integer':
      return '#,##0';
    case 'percent':
      // Percent cells hold fractions (0.25 is 25.0%), as Excel's percent format expects.
      return `0${decimals(column.decimals ?? 1)}%`;
    case 'number':
      return column.decimals === undefined ? 'General' : `#,##0${decimals(column.decimals)}`;
    case 'text':
      return 'General';
  }
}

/** Excel's limits on a sheet's name: at most 31 characters, none of \ / ? * [ ] :, not starting or ending with '. */
const SHEET_NAME_MAX = 31;

/**
 * A sheet name Excel accepts, unique (ignoring case) among `taken`, which it joins. A name that would
 * clash gets " (2)", " (3)", … within the 31 characters.
 */
export function uniqueSheetName(wanted: string, taken: Set<string>): string {
  const cleaned =
    wanted
      .replace(/[\\/?*[\]:]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^'+|'+$/g, '') || 'Sheet';
  // "History" is reserved by Excel.
  const base = cleaned.toLowerCase() === 'history' ? 'History sheet' : cleaned;
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`;
    const name = base.slice(0, SHEET_NAME_MAX - suffix.length).trimEnd() + suffix;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

/** Excel's header and footer fields hold at most 255 characters, codes included. */
const HEADER_FOOTER_MAX = 255;

/**
 * The banner, centred, for a sheet's page header or footer (Excel's codes: &C centre, &"-,Bold" bold,
 * && a literal ampersand); the footer also numbers the pages on the right. The codes are dropped
 * before the banner would be cut short.
 */
export function bannerHeaderFooter(banner: string, part: 'header' | 'footer'): string {
  const text = banner.replace(/&/g, '&&');
  const pages = part === 'footer' ? '&RPage &P of &N' : '';
  const full = `&C&"-,Bold"${text}${pages}`;
  return full.length <= HEADER_FOOTER_MAX ? full : `&C${text}`;
}

/** '#c8102e' as exceljs's ARGB ('FFC8102E'). */
export function argb(hex: string): string {
  return `FF${hex.replace(/^#/, '').toUpperCase()}`;
}

/** A cell's value in the workbook: numbers stay numbers; ±Infinity (Excel has none) is written as text, NaN left empty. */
export function workbookValue(cell: string | number | null): string | number | null {
  if (typeof cell !== 'number') return cell;
  if (Number.isFinite(cell)) return cell;
  if (Number.isNaN(cell)) return null;
  return cell > 0 ? '∞' : '−∞';
}
