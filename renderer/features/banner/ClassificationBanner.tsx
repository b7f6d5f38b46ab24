import { bannerStyle, BannerMarkingError } from '../../../common/markings/banner';

interface Props {
  marking: string | null;
  position: 'top' | 'bottom';
}

/** The system-high banner, in the standard colors, at the top and bottom of every window. */
export function ClassificationBanner({ marking, position }: Props) {
  let style: { text: string; background: string; foreground: string };
  try {
    style = marking ? bannerStyle(marking) : { text: 'CLASSIFICATION UNKNOWN', background: '#4a4f55', foreground: '#ffffff' };
  } catch (error) {
    if (!(error instanceof BannerMarkingError)) throw error;
    style = { text: 'CLASSIFICATION UNKNOWN', background: '#4a4f55', foreground: '#ffffff' };
  }
  return (
    <div
      className={`classification-banner classification-banner--${position}`}
      data-testid={`banner-${position}`}
      role="note"
      aria-label={`Classification: ${style.text}`}
      style={{ backgroundColor: style.background, color: style.foreground }}
    >
      {style.text}
    </div>
  );
}
