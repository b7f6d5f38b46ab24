// The preview in the PDF's own font, shipped with the app (the print page loads the same files).
import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/400-italic.css';
import '@fontsource/noto-sans/700.css';
import { BANNER_PALETTE } from '../../../common/markings';
import { ReportDocumentView } from './document/ReportDocumentView';
import type { BuiltReport } from './use-report-document';

/** The document as the PDF will print it (the print page's own view), between its banner lines. */
export function ReportPreview({ built }: { built: BuiltReport }) {
  if (!built.ok)
    return (
      <section className="panel report-preview" aria-label="Preview" data-testid="report-preview" data-ready="false">
        <p className="muted">{built.why}</p>
      </section>
    );
  const { banner } = built.document;
  const palette = BANNER_PALETTE[banner.level];
  const line = (where: string) => (
    <div
      className="report-preview__banner"
      style={{ backgroundColor: palette.background, color: palette.foreground }}
      data-testid={`report-preview-banner-${where}`}
      data-level={banner.level}
    >
      {banner.banner}
    </div>
  );
  return (
    <section
      className="panel report-preview"
      aria-label={`Preview of the report, ${banner.banner}`}
      data-testid="report-preview"
      data-ready="true"
      data-banner={banner.banner}
    >
      {line('top')}
      <div className="report-preview__page">
        <ReportDocumentView document={built.document} />
      </div>
      {line('bottom')}
    </section>
  );
}
