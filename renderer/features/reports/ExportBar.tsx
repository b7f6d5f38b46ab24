import { useId, useState } from 'react';
import type { ReportData } from '../../../common/report/report-data';
import type { ReportDefinition } from '../../../common/report/report-definition';
import type { ReportDocument } from '../../../common/report/report-document';
import { getBridge } from '../../ipc/bridge';
import { useReportBuilderState } from '../../state/report-builder-state';
import { exportReport, pdfPieces, renderReportPdf, type ExportFormat } from './report-exports';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** PDF, Excel, CSV, a figure's PNG, and "Save to library": only while the service accepts the markings. */
export function ExportBar({
  built,
}: {
  built: { definition: ReportDefinition; document: ReportDocument; data: ReportData } | null;
}) {
  const figureId = useId();
  const commentId = useId();
  const busy = useReportBuilderState((s) => s.busy);
  const editing = useReportBuilderState((s) => s.editing);
  const setBusy = useReportBuilderState((s) => s.setBusy);
  const afterSave = useReportBuilderState((s) => s.afterSave);
  const [figure, setFigure] = useState('');
  const [comment, setComment] = useState('');
  const figures = built?.document.blocks.filter((b) => b.type === 'figure') ?? [];
  const chosenFigure = figures.some((f) => f.id === figure) ? figure : (figures[0]?.id ?? '');
  const disabled = !built || busy !== null;

  async function run(format: ExportFormat) {
    if (!built) return;
    setBusy(`Exporting ${format.toUpperCase()}…`);
    try {
      const notice = await exportReport(built, format, chosenFigure);
      setBusy(null, null, notice);
    } catch (error) {
      setBusy(null, message(error));
    }
  }

  async function saveToLibrary() {
    if (!built) return;
    setBusy('Rendering the PDF and saving the report…');
    try {
      const pdf = await renderReportPdf(built.document);
      const answer = await getBridge().reports.save({
        id: editing?.report.id ?? null,
        definition: built.definition,
        comment: comment.trim(),
        pdf: pdfPieces(pdf),
      });
      if (!answer.ok) return setBusy(null, answer.error.message);
      afterSave(answer.value.report, answer.value.version);
      setComment('');
      setBusy(
        null,
        null,
        `Saved “${answer.value.report.title}” as version ${answer.value.version.version} (${answer.value.version.banner}).`,
      );
    } catch (error) {
      setBusy(null, message(error));
    }
  }

  return (
    <section className="panel report-exports" aria-labelledby="report-exports-title" data-testid="report-exports">
      <h2 id="report-exports-title">Export and save</h2>
      <div className="report-exports__row">
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => void run('pdf')}
          data-testid="report-export-pdf"
        >
          PDF
        </button>
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => void run('xlsx')}
          data-testid="report-export-xlsx"
        >
          Excel workbook
        </button>
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => void run('csv')}
          data-testid="report-export-csv"
        >
          CSV (one file per table)
        </button>
        <label htmlFor={figureId}>Figure</label>
        <select
          id={figureId}
          className="field"
          value={chosenFigure}
          disabled={figures.length === 0}
          onChange={(e) => setFigure(e.currentTarget.value)}
          data-testid="report-figure"
        >
          {figures.map((f) => (
            <option key={f.id} value={f.id}>
              {f.type === 'figure' ? f.caption : f.id}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          disabled={disabled || !chosenFigure}
          onClick={() => void run('png')}
          data-testid="report-export-png"
        >
          PNG of the figure
        </button>
      </div>
      <div className="report-exports__row">
        <label htmlFor={commentId}>Comment for this version</label>
        <input
          id={commentId}
          className="field"
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          data-testid="report-save-comment"
        />
        <button
          type="button"
          className="button button--primary"
          disabled={disabled}
          onClick={() => void saveToLibrary()}
          data-testid="report-save"
        >
          {editing ? `Save as version ${editing.report.versions + 1}` : 'Save to library'}
        </button>
      </div>
    </section>
  );
}
