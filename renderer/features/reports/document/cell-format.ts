import type { ReportCell, ReportColumn } from '../../../../common/report/report-document';

const formats = new Map<string, Intl.NumberFormat>();

/** One fixed locale (en-US), so a report prints the same on every workstation. */
function numberFormat(decimals: number | undefined, percent: boolean): Intl.NumberFormat {
  const key = `${decimals ?? 'auto'}/${percent}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      style: percent ? 'percent' : 'decimal',
      ...(decimals === undefined
        ? { maximumSignificantDigits: 6 }
        : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
    });
    formats.set(key, format);
  }
  return format;
}

/** A table cell as printed: "—" for an undefined statistic; 'percent' cells hold fractions (0.05 → 5.0%). */
export function formatCell(cell: ReportCell, column: ReportColumn): string {
  if (cell === null || (typeof cell === 'number' && !Number.isFinite(cell))) return '—';
  if (typeof cell === 'string') return cell;
  switch (column.kind) {
    case 'integer':
      return numberFormat(0, false).format(Math.round(cell));
    case 'percent':
      return numberFormat(column.decimals, true).format(cell);
    case 'number':
      return numberFormat(column.decimals, false).format(cell);
    case 'text':
      // A whole number among text (a run's seed, its iterations) reads best grouped.
      return Number.isInteger(cell) ? numberFormat(0, false).format(cell) : String(cell);
  }
}
