import { BANNER_PALETTE, type BannerLevel } from '../../common/markings/levels';

interface Props {
  /** The canonical banner text and its color level, as the service computed them; null when unknown. */
  banner: { text: string; level: BannerLevel } | null;
  position: 'top' | 'bottom';
}

const UNKNOWN = { text: 'CLASSIFICATION UNKNOWN', background: '#4a4f55', foreground: '#ffffff' };

/** The system-high banner, in the standard colors, at the top and bottom of every window. */
export function ClassificationBanner({ banner, position }: Props) {
  const style = banner ? { text: banner.text, ...BANNER_PALETTE[banner.level] } : UNKNOWN;
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
