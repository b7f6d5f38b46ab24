/**
 * What a section builder works with: the definition, the data, the outputs shown, the section's
 * marking, and the document's running table and figure numbers (captions count across sections).
 */
import type { ReportData } from '../report-data';
import type { ReportDefinition, SectionKind } from '../report-definition';
import type { ReportBlock, ReportCell, ReportChart, ReportColumn, ReportMarking } from '../report-document';

export interface Numbering {
  tables: number;
  figures: number;
}

export class SectionContext {
  readonly blocks: ReportBlock[] = [];

  constructor(
    readonly kind: SectionKind,
    readonly definition: ReportDefinition,
    readonly data: ReportData,
    readonly outputs: readonly string[],
    readonly marking: ReportMarking,
    private readonly numbering: Numbering,
  ) {}

  /** The baseline run (runs[0]). */
  get baseline() {
    return this.data.runs[0]!;
  }

  paragraph(id: string, text: string, marking: ReportMarking = this.marking): void {
    this.blocks.push({ type: 'paragraph', id: `${this.kind}-${id}`, section: this.kind, marking, text });
  }

  heading(id: string, text: string, level: 1 | 2 = 2): void {
    this.blocks.push({
      type: 'heading',
      id: `${this.kind}-${id}`,
      section: this.kind,
      marking: this.marking,
      level,
      text,
    });
  }

  /** A table, numbered in the document: its caption reads "Table n. …". */
  table(id: string, caption: string, sheet: string, columns: ReportColumn[], rows: ReportCell[][]): void {
    const caption_ = `Table ${++this.numbering.tables}. ${caption}`;
    this.blocks.push({
      type: 'table',
      id: `${this.kind}-${id}`,
      section: this.kind,
      marking: this.marking,
      caption: caption_,
      sheet,
      columns,
      rows,
    });
  }

  /** A figure, numbered in the document: its caption reads "Figure n. …". */
  figure(id: string, caption: string, chart: ReportChart): void {
    const caption_ = `Figure ${++this.numbering.figures}. ${caption}`;
    this.blocks.push({
      type: 'figure',
      id: `${this.kind}-${id}`,
      section: this.kind,
      marking: this.marking,
      caption: caption_,
      chart,
    });
  }
}
