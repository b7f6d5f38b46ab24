import { useRef, useState } from 'react';
import { sampleCsv } from '../../../common/engine/analysis/sample-csv';
import type { Model } from '../../../common/model/model';
import { AnalysisSection } from './AnalysisSection';
import { saveFile } from '../../ipc/save-file';
import { csvColumnCount, csvFileName, sampleCsvBlob } from './csv-file';
import { modelUnits } from './model-units';
import type { ShownMarking } from './shown-marking';
import type { AnalysesPanelProps, AnalysesRun } from './types';

/** Text to copy is offered up to this many rows: beyond it a text box would hold tens of megabytes. */
export const COPY_TEXT_ROWS = 20_000;

type Status =
  | { kind: 'idle' }
  | { kind: 'writing'; rows: number }
  | { kind: 'done'; fileName: string; rows: number; bytes: number }
  | { kind: 'failed'; message: string };

/** The samples of a run, inputs and outputs, as a CSV file whose first line is the marking. */
export function SampleExportView({
  model,
  runs,
  banner,
  onExport,
}: {
  model: Model;
  runs: readonly AnalysesRun[];
  banner: ShownMarking;
  onExport?: AnalysesPanelProps['onExport'];
}) {
  const [runIndex, setRunIndex] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [text, setText] = useState<string | null>(null);
  const [copyNote, setCopyNote] = useState<string | null>(null);
  const textBox = useRef<HTMLTextAreaElement>(null);
  const run = runs[runIndex]!;
  const units = modelUnits(model);
  const columns = csvColumnCount(run.samples);

  async function download() {
    setStatus({ kind: 'writing', rows: 0 });
    try {
      const blob = await sampleCsvBlob(run.samples, { banner: banner.text, units }, (rows) =>
        setStatus({ kind: 'writing', rows }),
      );
      const fileName = csvFileName(model.name, run.label);
      await onExport?.({ run: run.label, rows: run.samples.iterations, columns, fileName });
      const saved = await saveFile({ name: fileName, type: 'text/csv', content: blob });
      if (!saved.ok) return setStatus({ kind: 'failed', message: saved.error.message });
      if (!saved.value.saved) return setStatus({ kind: 'idle' });
      setStatus({ kind: 'done', fileName: saved.value.name, rows: run.samples.iterations, bytes: blob.size });
    } catch (error) {
      setStatus({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  function showText() {
    setText(sampleCsv(run.samples, { banner: banner.text, units }));
    setCopyNote(null);
  }

  async function copy() {
    if (text === null) return;
    textBox.current?.select();
    try {
      await onExport?.({ run: run.label, rows: run.samples.iterations, columns, fileName: '(copied as text)' });
    } catch (error) {
      return setCopyNote(error instanceof Error ? error.message : String(error));
    }
    try {
      await navigator.clipboard.writeText(text);
      setCopyNote('Copied.');
    } catch {
      setCopyNote('This window may not write to the clipboard: the text is selected, press Ctrl+C to copy it.');
    }
  }

  return (
    <AnalysisSection
      name="export"
      title="Sample export"
      marking={banner}
      about="Every kept iteration of the run, its inputs and outputs (with units where the model gives them), as CSV: the marking on the first line, then the header, then one row per iteration; numbers in full precision, an empty field where an output had no finite value."
      controls={
        <label className="field-group">
          Run
          <select
            className="field"
            value={runIndex}
            onChange={(e) => {
              setRunIndex(Number(e.target.value));
              setText(null);
              setStatus({ kind: 'idle' });
            }}
          >
            {runs.map((r, i) => (
              <option key={r.label} value={i}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <p>
        {run.samples.iterations.toLocaleString('en-US')} rows of {columns} columns.
      </p>
      <div className="analysis__controls">
        <button
          type="button"
          className="button button--primary"
          disabled={status.kind === 'writing'}
          onClick={() => void download()}
        >
          Download CSV
        </button>
        <button
          type="button"
          className="button"
          disabled={run.samples.iterations > COPY_TEXT_ROWS}
          onClick={showText}
          title={
            run.samples.iterations > COPY_TEXT_ROWS
              ? `Text to copy is offered up to ${COPY_TEXT_ROWS.toLocaleString('en-US')} rows`
              : undefined
          }
        >
          Show as text to copy
        </button>
      </div>
      <p className="muted" role="status" data-testid="export-status">
        {status.kind === 'writing'
          ? `Writing rows: ${status.rows.toLocaleString('en-US')} of ${run.samples.iterations.toLocaleString('en-US')}…`
          : status.kind === 'done'
            ? `Saved ${status.fileName}: ${status.rows.toLocaleString('en-US')} rows, ${(status.bytes / 1e6).toFixed(1)} MB. It carries the marking ${banner.text}: handle it as such.`
            : status.kind === 'failed'
              ? `The CSV could not be written: ${status.message}`
              : `Text to copy is offered up to ${COPY_TEXT_ROWS.toLocaleString('en-US')} rows.`}
      </p>
      {text !== null ? (
        <div className="analyses-copy">
          <textarea
            ref={textBox}
            className="analyses-copy__text"
            readOnly
            value={text}
            aria-label="The CSV as text"
            data-testid="export-text"
          />
          <button type="button" className="button" onClick={() => void copy()}>
            Copy
          </button>
          {copyNote ? <p className="muted">{copyNote}</p> : null}
        </div>
      ) : null}
    </AnalysisSection>
  );
}
