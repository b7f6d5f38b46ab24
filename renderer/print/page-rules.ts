import { BANNER_PALETTE } from '../../common/markings/levels';
import { REPORT_PRINT_OPTIONS } from '../../common/report/print-options';
import type { ReportMarking } from '../../common/report/report-document';

/** Text as a CSS string literal: quotes and backslashes escaped, control characters made spaces. */
export function cssString(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;
}

/**
 * How far the bands sit from the paper's edge: inside what an office printer can print (most leave
 * about 0.2 in unprinted), so a paper copy keeps its colour and text.
 */
export const BAND_INSET_INCHES = 0.25;
/** The bands' height. */
export const BAND_HEIGHT_INCHES = 0.3;

/**
 * The @page rule of a report: Letter paper and the margins of print-options.ts; the banner in its
 * colour as a band across the text's width at the top and bottom of every page (margin boxes, so every page gets
 * them, however the content breaks); "Page n of N" just above the bottom band, on the right.
 */
export function reportPageRules(banner: ReportMarking): string {
  const { paper, margins } = REPORT_PRINT_OPTIONS;
  const palette = BANNER_PALETTE[banner.level];
  const band = [
    `content: ${cssString(banner.banner)}`,
    `background-color: ${palette.background}`,
    `color: ${palette.foreground}`,
    "font-family: 'Noto Sans', sans-serif",
    'font-weight: 700',
    'font-size: 10pt',
    'text-align: center',
    'vertical-align: middle',
    'width: 100%',
    `height: ${BAND_HEIGHT_INCHES}in`,
  ].join('; ');
  return `@page {
  size: ${paper.width}in ${paper.height}in;
  margin: ${margins.top}in ${margins.right}in ${margins.bottom}in ${margins.left}in;
  @top-center { ${band}; margin-top: ${BAND_INSET_INCHES}in; margin-bottom: auto; }
  @bottom-center { ${band}; margin-top: auto; margin-bottom: ${BAND_INSET_INCHES}in; }
  @right-bottom {
    content: "Page " counter(page) " of " counter(pages);
    font-family: 'Noto Sans', sans-serif;
    font-size: 8pt;
    white-space: nowrap;
    text-align: right;
    vertical-align: bottom;
  }
}`;
}
