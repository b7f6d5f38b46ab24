import type { AuthorityBlock } from '../../../../common/report/report-definition';
import type { ReportBlock, ReportMarking } from '../../../../common/report/report-document';
import { formatCell } from './cell-format';
import { ReportChartView } from './charts/ReportChartView';

type Block<T extends ReportBlock['type']> = Extract<ReportBlock, { type: T }>;

/** The portion mark that starts every heading, paragraph and caption: part of the text, so a copy keeps it. */
function Portion({ marking }: { marking: ReportMarking }) {
  return <span className="report-portion">{marking.portion}</span>;
}

export function HeadingBlock({ block }: { block: Block<'heading'> }) {
  const Tag = block.level === 1 ? 'h2' : 'h3';
  return (
    <Tag className={`report-heading report-heading--${block.level}`} data-block={block.id}>
      <Portion marking={block.marking} /> {block.text}
    </Tag>
  );
}

export function ParagraphBlock({ block }: { block: Block<'paragraph'> }) {
  return (
    <p className="report-paragraph" data-block={block.id}>
      <Portion marking={block.marking} /> {block.text}
    </p>
  );
}

/** A table; its caption is numbered by the document ("Table 2. …"). */
export function TableBlock({ block }: { block: Block<'table'> }) {
  return (
    <table className="report-table" data-block={block.id}>
      <caption className="report-caption">
        <Portion marking={block.marking} /> {block.caption}
      </caption>
      <thead>
        <tr>
          {block.columns.map((column, i) => (
            <th key={i} className={column.kind === 'text' ? undefined : 'report-number'} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {block.rows.map((row, r) => (
          <tr key={r}>
            {block.columns.map((column, c) => (
              <td key={c} className={column.kind === 'text' ? undefined : 'report-number'}>
                {formatCell(row[c] ?? null, column)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A figure; its caption is numbered by the document ("Figure 3. …"). */
export function FigureBlock({ block }: { block: Block<'figure'> }) {
  return (
    <figure className="report-figure" data-block={block.id}>
      <ReportChartView chart={block.chart} title={block.caption} />
      <figcaption className="report-caption">
        <Portion marking={block.marking} /> {block.caption}
      </figcaption>
    </figure>
  );
}

/** "Classified By / Derived From / Declassify On": page 1 of a classified report. */
export function AuthorityLines({ authority }: { authority: AuthorityBlock }) {
  return (
    <div className="report-authority" data-testid="report-authority">
      <div>Classified By: {authority.classifiedBy}</div>
      <div>Derived From: {authority.derivedFrom}</div>
      <div>Declassify On: {authority.declassifyOn}</div>
    </div>
  );
}

export function TitlePageBlock({ block, authority }: { block: Block<'title-page'>; authority: AuthorityBlock | null }) {
  return (
    <section className="report-title-page" data-block={block.id}>
      <h1 className="report-title">
        <Portion marking={block.marking} /> {block.title}
      </h1>
      {block.lines.map((line, i) => (
        <p key={i} className="report-title-line">
          {line}
        </p>
      ))}
      {authority && <AuthorityLines authority={authority} />}
    </section>
  );
}
