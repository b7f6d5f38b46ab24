import { BANNER_PALETTE } from '../../../../common/markings/levels';
import type { ReportMarking } from '../../../../common/report/report-document';

/** The report's banner as a coloured bar: above and below a chart's PNG, and around the on-screen preview. */
export function ReportBannerBar({ banner }: { banner: ReportMarking }) {
  const palette = BANNER_PALETTE[banner.level];
  return (
    <div
      className="report-banner-bar"
      role="note"
      aria-label={`Classification: ${banner.banner}`}
      style={{ backgroundColor: palette.background, color: palette.foreground }}
    >
      {banner.banner}
    </div>
  );
}
