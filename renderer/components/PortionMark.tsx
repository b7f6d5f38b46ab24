import { BANNER_PALETTE, bannerLevel, formatPortion, type Marking } from '../../common/markings';

interface Props {
  marking: Marking;
  className?: string;
}

/** A portion mark, `(S//NF)`, as an inline label with a chip in its level's banner color. */
export function PortionMark({ marking, className }: Props) {
  const level = bannerLevel(marking);
  const palette = BANNER_PALETTE[level];
  return (
    <span
      className={`portion-mark${className ? ` ${className}` : ''}`}
      data-testid="portion-mark"
      data-level={level}
      title={level}
    >
      <span className="portion-mark__chip" aria-hidden="true" style={{ backgroundColor: palette.background }} />
      <span className="portion-mark__text">{formatPortion(marking)}</span>
    </span>
  );
}
