import type { ReportBlock } from '../../../../common/report/report-document';

/** Tables and figures are numbered in document order, each kind on its own ("Table 2.", "Figure 3."). */
export function numbering(blocks: ReportBlock[]): Map<string, number> {
  const numbers = new Map<string, number>();
  let tables = 0;
  let figures = 0;
  for (const block of blocks) {
    if (block.type === 'table') numbers.set(block.id, ++tables);
    if (block.type === 'figure') numbers.set(block.id, ++figures);
  }
  return numbers;
}
