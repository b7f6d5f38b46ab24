/** How a report writes numbers: cells stay numbers (null where undefined); text is deterministic (no locale of the machine). */
import type { ReportCell, ReportColumn } from './report-document';

/** A number as a table cell: NaN and infinities (an undefined statistic) become null, shown "—". */
export function numberCell(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/** Decimals that show about four significant digits of a column's largest value (0 to 6). */
export function decimalsFor(values: readonly ReportCell[]): number {
  const largest = Math.max(0, ...values.map((v) => (typeof v === 'number' ? Math.abs(v) : 0)));
  if (largest === 0) return 2;
  return Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(largest))));
}

/** A numeric column whose decimals fit the values it holds (column `index` of `rows`). */
export function numberColumn(label: string, rows: readonly ReportCell[][], index: number): ReportColumn {
  return { label, kind: 'number', decimals: decimalsFor(rows.map((row) => row[index] ?? null)) };
}

/** A number in running text: up to six significant digits, thousands grouped the US way. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

/** A whole count in running text ("10,000"). */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}
