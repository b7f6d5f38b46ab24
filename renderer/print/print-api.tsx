import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { ReportPrintRequest } from '../../common/report/report-document';
import { ReportDocumentView } from '../features/reports/document/ReportDocumentView';
import { reportPageRules } from './page-rules';
import { PrintFigure } from './PrintFigure';

export interface EnclavePrint {
  render(request: ReportPrintRequest): Promise<{ pages?: number }>;
}

let root: Root | null = null;
const pageSheet = new CSSStyleSheet();

/** The glyphs the margin boxes print are laid out only when printing: load both weights now. */
async function loadFonts(banner: string): Promise<void> {
  await Promise.all([
    document.fonts.load(`700 10pt "Noto Sans"`, banner),
    document.fonts.load(`400 8pt "Noto Sans"`, 'Page 0123456789 of'),
  ]);
  await document.fonts.ready;
}

/**
 * Renders a report (or one of its figures) into the page, and resolves once its fonts are loaded
 * and it is laid out: then the caller prints it (page.pdf, printToPDF) or captures #print-figure.
 */
async function render(request: ReportPrintRequest): Promise<{ pages?: number }> {
  if (!request || (request.kind !== 'pdf' && request.kind !== 'png') || !request.document) {
    throw new Error('The print request names no report.');
  }
  const doc = request.document;
  const container = document.getElementById('print-root');
  if (!container) throw new Error('The print page has no #print-root element.');
  root ??= createRoot(container);
  const view =
    request.kind === 'pdf' ? (
      <ReportDocumentView document={doc} />
    ) : (
      <PrintFigure document={doc} figure={request.figure} />
    );
  // A constructed sheet: the CSP allows no inline <style>, and the rule depends on the banner.
  pageSheet.replaceSync(request.kind === 'pdf' ? reportPageRules(doc.banner) : '');
  document.adoptedStyleSheets = [pageSheet];
  document.title = doc.title;
  const blocked: string[] = [];
  const onViolation = (event: SecurityPolicyViolationEvent) =>
    blocked.push(`${event.effectiveDirective} (${event.blockedURI || 'inline'})`);
  document.addEventListener('securitypolicyviolation', onViolation);
  try {
    flushSync(() => root!.render(view));
    await loadFonts(doc.banner.banner);
    // Force layout, then let the event loop turn once (timers run where animation frames may not: a
    // hidden window), which also delivers any violation report.
    void document.body.offsetHeight;
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    document.removeEventListener('securitypolicyviolation', onViolation);
  }
  // A blocked style or font would print a report without its banners or its font: say so instead.
  if (blocked.length > 0) throw new Error(`The print page's security policy blocked ${blocked.join(', ')}.`);
  return {};
}

export const enclavePrint: EnclavePrint = { render };
