import { useEffect, useId } from 'react';
import { reportFromHash } from '../../app/router';
import { useLoginState } from '../../state/login-state';
import { useMarkingPolicyState } from '../../state/marking-state';
import { useReportBuilderState } from '../../state/report-builder-state';
import { definitionOf } from '../../state/report-draft';
import { AuthorityFields } from './AuthorityFields';
import { BannerRaise } from './BannerRaise';
import { ExportBar } from './ExportBar';
import { ReportPreview } from './ReportPreview';
import { ScenarioPanel } from './ScenarioPanel';
import { SectionList } from './SectionList';
import { SourcePicker } from './SourcePicker';
import { useReportDocument } from './use-report-document';
import { VerdictPanel } from './VerdictPanel';

interface Props {
  onHome: () => void;
  onReports?: () => void;
}

/**
 * The report builder (docs/reports.md): a model and its saved runs, the sections in the analyst's
 * order with their portion marks and text, the banner and authority block; the service's verdict on
 * the markings, a live preview of the document the exports are made from, and the exports.
 */
export function ReportBuilderScreen({ onHome, onReports }: Props) {
  const titleId = useId();
  const authorId = useId();
  const author = useLoginState((s) => s.status?.user?.displayName ?? '');
  const context = useMarkingPolicyState((s) => s.context);
  const loadPolicy = useMarkingPolicyState((s) => s.load);
  const state = useReportBuilderState();
  const { draft, edit, verdict, editing } = state;
  const built = useReportDocument();

  useEffect(() => {
    void loadPolicy();
    const { editing: now, models, pending, start, openReport } = useReportBuilderState.getState();
    const id = reportFromHash(window.location.hash);
    if (id !== null) {
      if (now?.report.id !== id) void openReport(id, author);
    } else if (now !== null || models === null || pending !== null) void start(author);
    // Once per visit: the draft is kept while the analyst looks elsewhere.
  }, [author, loadPolicy]);

  const made = definitionOf(draft);
  const rollup = verdict?.ok ? verdict.rollup : null;

  return (
    <main className="home report-builder" data-testid="report-builder">
      <header className="home__header library__header">
        <div>
          <h1>{editing ? `New version of “${editing.report.title}”` : 'New report'}</h1>
          <p className="muted">
            A report of saved runs, every section and paragraph with its portion mark, the banner their roll-up.
          </p>
        </div>
        <div className="report-header-actions">
          {onReports && (
            <button type="button" className="button" onClick={onReports} data-testid="report-library-link">
              Reports
            </button>
          )}
          <button type="button" className="button" onClick={onHome} data-testid="home-button">
            Back to home
          </button>
        </div>
      </header>
      <p className="library__status" role="status" data-testid="report-busy">
        {state.busy ?? ''}
      </p>
      {state.notice && (
        <p className="notice-ok" role="status" data-testid="report-builder-notice">
          {state.notice}
        </p>
      )}
      {state.problem && (
        <p className="refusal" role="alert" data-testid="report-builder-problem">
          {state.problem}
        </p>
      )}

      <div className="report-builder__columns">
        <div className="report-builder__form">
          <section className="panel" aria-labelledby="report-about-title">
            <h2 id="report-about-title">Report</h2>
            <label htmlFor={titleId}>Title</label>
            <input
              id={titleId}
              className="field report-wide"
              maxLength={200}
              value={draft.title}
              onChange={(e) => {
                const title = e.currentTarget.value;
                edit((d) => ({ ...d, title }));
              }}
              data-testid="report-title-input"
            />
            <label htmlFor={authorId}>Author</label>
            <input
              id={authorId}
              className="field report-wide"
              maxLength={200}
              value={draft.author}
              onChange={(e) => {
                const value = e.currentTarget.value;
                edit((d) => ({ ...d, author: value }));
              }}
              data-testid="report-author-input"
            />
          </section>
          <SourcePicker />
          <SectionList
            sections={draft.sections}
            context={context}
            onChange={(sections) => edit((d) => ({ ...d, sections }))}
          />
          <ScenarioPanel />
          <section className="panel" aria-labelledby="report-marking-title">
            <h2 id="report-marking-title">Banner and authority</h2>
            <BannerRaise
              rollup={rollup}
              value={draft.banner}
              context={context}
              onChange={(banner) => edit((d) => ({ ...d, banner }))}
            />
            <AuthorityFields
              value={draft.authority}
              defaults={verdict?.ok ? verdict.authority : null}
              onChange={(authority) => edit((d) => ({ ...d, authority }))}
            />
          </section>
        </div>
        <div className="report-builder__preview">
          <VerdictPanel verdict={verdict} why={made.ok ? null : made.why} />
          <ExportBar built={built.ok ? built : null} />
          <ReportPreview built={built} />
        </div>
      </div>
    </main>
  );
}
