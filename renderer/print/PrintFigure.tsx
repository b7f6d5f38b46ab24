import { REPORT_CONTENT_WIDTH_PX } from '../../common/report/print-options';
import type { ReportDocument } from '../../common/report/report-document';
import { FigureBlock } from '../features/reports/document/ReportBlocks';
import { ReportBannerBar } from '../features/reports/document/ReportBannerBar';

/** One figure of a report, at a page's width, with the report's banner above and below: a chart's PNG. */
export function PrintFigure({ document, figure }: { document: ReportDocument; figure: string }) {
  const block = document.blocks.find((b) => b.id === figure);
  if (!block || block.type !== 'figure') throw new Error(`The report has no figure "${figure}".`);
  return (
    <div id="print-figure" className="report-document" style={{ width: `${REPORT_CONTENT_WIDTH_PX}px` }}>
      <ReportBannerBar banner={document.banner} />
      <FigureBlock block={block} />
      <ReportBannerBar banner={document.banner} />
    </div>
  );
}
