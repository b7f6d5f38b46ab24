/**
 * A report as it is rendered: a flat list of marked blocks, built from a definition and its runs by
 * buildReportDocument (build-document.ts). The PDF (the print page), the Excel workbook, the CSV
 * files and a chart's PNG are all made from this one value, so they cannot disagree.
 * Plain data (JSON-safe but for NaN, which crosses as null): it is what the print page is given.
 */
import type { BannerLevel } from '../markings';
import type { AuthorityBlock, SectionKind } from './report-definition';

export const REPORT_DOCUMENT_FORMAT = 'enclave-report-document/1';

/** A marking as the report prints it. */
export interface ReportMarking {
  /** Canonical banner form ("SECRET//NOFORN"): the banner lines, a CSV's first line, a sheet's header. */
  banner: string;
  /** Canonical portion form ("(S//NF)"): at the start of every paragraph, heading and caption. */
  portion: string;
  /** The banner colour. */
  level: BannerLevel;
}

/** A table column; `number` cells carry a fixed count of decimals or significant digits when shown. */
export interface ReportColumn {
  label: string;
  kind: 'text' | 'integer' | 'number' | 'percent';
  /** Digits after the point ('number', 'percent'); the workbook's number format follows it. */
  decimals?: number;
}

/** A cell: text, a number, or null where a statistic is undefined (shown "—", left empty in the workbook). */
export type ReportCell = string | number | null;

/** A chart, as data: the print page draws it as SVG; nothing is a picture of the screen. */
export type ReportChart =
  | {
      kind: 'lines';
      xLabel: string;
      yLabel: string;
      xScale?: 'linear' | 'log';
      series: { label: string; points: [number, number][] }[];
    }
  | {
      kind: 'histogram';
      xLabel: string;
      yLabel: string;
      /** Bin edges (bins + 1); every series has one value per bin. */
      edges: number[];
      series: { label: string; values: number[] }[];
    }
  | {
      kind: 'tornado';
      xLabel: string;
      /** The statistic's value with every input at its middle; bars run from low to high around it. */
      baseline: number;
      bars: { label: string; low: number; high: number }[];
    };

interface BlockBase {
  /** Unique in its document: a figure's PNG names it. */
  id: string;
  section: SectionKind;
  marking: ReportMarking;
}

export type ReportBlock =
  | (BlockBase & { type: 'heading'; level: 1 | 2; text: string })
  | (BlockBase & { type: 'paragraph'; text: string })
  | (BlockBase & {
      type: 'table';
      caption: string;
      /** The workbook sheet the table goes to ("Summary", "Statistics", "Percentiles", "Sensitivity", "Inputs", …). */
      sheet: string;
      columns: ReportColumn[];
      rows: ReportCell[][];
    })
  | (BlockBase & { type: 'figure'; caption: string; chart: ReportChart })
  /** The title page: the report's title, author, date, model and runs; a page of its own. */
  | (BlockBase & { type: 'title-page'; title: string; lines: string[] })
  | { type: 'page-break'; id: string; section: SectionKind };

export interface ReportDocument {
  format: typeof REPORT_DOCUMENT_FORMAT;
  title: string;
  author: string;
  /** The report's banner: the roll-up of every portion, or the analyst's raise of it. */
  banner: ReportMarking;
  /** Printed on page 1 when the report is classified; null for UNCLASSIFIED and CUI reports. */
  authority: AuthorityBlock | null;
  /** When this version of the report was made (ISO 8601): printed, and the PDF's dates, so a regeneration matches. */
  createdAt: string;
  blocks: ReportBlock[];
}

/** What a chart's PNG or a report's PDF is asked for, of the print page. */
export type ReportPrintRequest =
  { kind: 'pdf'; document: ReportDocument } | { kind: 'png'; document: ReportDocument; figure: string };
