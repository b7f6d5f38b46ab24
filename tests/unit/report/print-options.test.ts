import { describe, expect, it } from 'vitest';
import {
  electronPrintToPdfOptions,
  playwrightPdfOptions,
  REPORT_CONTENT_WIDTH_PX,
} from '../../../common/report/print-options';

describe('report print options', () => {
  it('give Electron and headless Chromium the same paper, margins and switches', () => {
    const electron = electronPrintToPdfOptions();
    const chromium = playwrightPdfOptions();
    const inches = (css: string) => Number(css.replace(/in$/, ''));
    expect(electron.pageSize).toEqual({ width: 8.5, height: 11 });
    expect([inches(chromium.width), inches(chromium.height)]).toEqual([8.5, 11]);
    for (const side of ['top', 'right', 'bottom', 'left'] as const)
      expect(inches(chromium.margin[side])).toBe(electron.margins[side]);
    for (const options of [electron, chromium]) {
      expect(options.printBackground).toBe(true);
      expect(options.preferCSSPageSize).toBe(true);
      expect(options.displayHeaderFooter).toBe(false);
    }
    // Room for a banner band and the page number in the top and bottom margins.
    expect(electron.margins.top).toBeGreaterThanOrEqual(0.75);
    expect(electron.margins.bottom).toBeGreaterThanOrEqual(0.75);
    expect(REPORT_CONTENT_WIDTH_PX).toBe(672);
  });
});
