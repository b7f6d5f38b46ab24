import { BANNER_PALETTE } from '../../common/markings/levels';
import { REPORT_PRINT_OPTIONS } from '../../common/report/print-options';
import type { ReportMarking } from '../../common/report/report-document';

/** Text as a CSS string literal: quotes and backslashes escaped, control characters made spaces. */
export function cssString(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;
}

/**
 * The @page rule of a report: Letter paper and the margins of print-options.ts; the banner in its
 * colour as a full-width band at the top and bottom of every page (margin boxes, so every page gets
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
    'height: 0.3in',
  ].join('; ');
  return `@page {
  size: ${paper.width}in ${paper.height}in;
  margin: ${margins.top}in ${margins.right}in ${margins.bottom}in ${margins.left}in;
  @top-center { ${band}; margin-bottom: auto; }
  @bottom-center { ${band}; margin-top: auto; }
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
