import type { ReportDocument } from '../../../../common/report/report-document';
import { AuthorityLines, FigureBlock, HeadingBlock, ParagraphBlock, TableBlock, TitlePageBlock } from './ReportBlocks';
import './report-document.css';

/**
 * A report document as printable HTML: the print page prints it, and the report builder's preview
 * shows it. No banners here: the printed page draws them in its @page margins, the preview in its frame.
 */
export function ReportDocumentView({ document }: { document: ReportDocument }) {
  const titlePageFirst = document.blocks[0]?.type === 'title-page';
  return (
    <article className="report-document" aria-label={document.title}>
      {document.authority && !titlePageFirst && <AuthorityLines authority={document.authority} />}
      {document.blocks.map((block, i) => {
        switch (block.type) {
          case 'title-page':
            return <TitlePageBlock key={block.id} block={block} authority={i === 0 ? document.authority : null} />;
          case 'heading':
            return <HeadingBlock key={block.id} block={block} />;
          case 'paragraph':
            return <ParagraphBlock key={block.id} block={block} />;
          case 'table':
            return <TableBlock key={block.id} block={block} />;
          case 'figure':
            return <FigureBlock key={block.id} block={block} />;
          case 'page-break':
            return <div key={block.id} className="report-page-break" />;
        }
      })}
    </article>
  );
}
