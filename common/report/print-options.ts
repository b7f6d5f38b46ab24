/**
 * How a report is printed to PDF: the one set of options both printing paths use, Electron's
 * webContents.printToPDF (electron/main) and headless Chromium's page.pdf (hosts/report-print), so
 * the two give the same document. Plain data: common/ never imports electron or playwright, so each
 * path maps these onto its own option names with the functions below.
 */

/** US Letter, in inches. */
export const REPORT_PAPER_INCHES = { width: 8.5, height: 11 } as const;

/**
 * Page margins in inches. The top and bottom leave room for the banner bands and the page number,
 * which the print page draws in the @page margin boxes (renderer/print/page-rules.ts).
 */
export const REPORT_MARGINS_INCHES = { top: 0.8, right: 0.75, bottom: 0.9, left: 0.75 } as const;

export const REPORT_PRINT_OPTIONS = {
  paper: REPORT_PAPER_INCHES,
  margins: REPORT_MARGINS_INCHES,
  /** The banner bands are backgrounds: without this they would print white. */
  printBackground: true,
  /** The print page's @page rule (size and margins) is the source of truth. */
  preferCSSPageSize: true,
  /** Banners and page numbers come from the @page margin boxes, not Chromium's header/footer templates. */
  displayHeaderFooter: false,
} as const;

/** The width, in CSS pixels (96 per inch), of a page's content box: what a PNG figure is laid out at. */
export const REPORT_CONTENT_WIDTH_PX =
  (REPORT_PAPER_INCHES.width - REPORT_MARGINS_INCHES.left - REPORT_MARGINS_INCHES.right) * 96;

/** Playwright's page.pdf options (lengths as CSS strings). */
export interface PlaywrightPdfOptions {
  width: string;
  height: string;
  margin: { top: string; right: string; bottom: string; left: string };
  printBackground: boolean;
  preferCSSPageSize: boolean;
  displayHeaderFooter: boolean;
}

export function playwrightPdfOptions(): PlaywrightPdfOptions {
  const inches = (n: number) => `${n}in`;
  const m = REPORT_PRINT_OPTIONS.margins;
  return {
    width: inches(REPORT_PRINT_OPTIONS.paper.width),
    height: inches(REPORT_PRINT_OPTIONS.paper.height),
    margin: { top: inches(m.top), right: inches(m.right), bottom: inches(m.bottom), left: inches(m.left) },
    printBackground: REPORT_PRINT_OPTIONS.printBackground,
    preferCSSPageSize: REPORT_PRINT_OPTIONS.preferCSSPageSize,
    displayHeaderFooter: REPORT_PRINT_OPTIONS.displayHeaderFooter,
  };
}

/**
 * Electron 45's webContents.printToPDF options: pageSize and margins in inches. Typed here by hand;
 * electron/main assigns the result to Electron's PrintToPDFOptions, which checks the names.
 */
export interface ElectronPrintToPdfOptions {
  pageSize: { width: number; height: number };
  margins: { top: number; bottom: number; left: number; right: number };
  landscape: false;
  scale: 1;
  printBackground: boolean;
  preferCSSPageSize: boolean;
  displayHeaderFooter: boolean;
}

export function electronPrintToPdfOptions(): ElectronPrintToPdfOptions {
  const m = REPORT_PRINT_OPTIONS.margins;
  return {
    pageSize: { width: REPORT_PRINT_OPTIONS.paper.width, height: REPORT_PRINT_OPTIONS.paper.height },
    margins: { top: m.top, bottom: m.bottom, left: m.left, right: m.right },
    landscape: false,
    scale: 1,
    printBackground: REPORT_PRINT_OPTIONS.printBackground,
    preferCSSPageSize: REPORT_PRINT_OPTIONS.preferCSSPageSize,
    displayHeaderFooter: REPORT_PRINT_OPTIONS.displayHeaderFooter,
  };
}
