import { useId } from 'react';
import type { MarkingContext } from '../../../common/markings/choices';
import { bannerRaises } from './banner-raises';

/**
 * The report's banner: the roll-up of its portions, or a raise of it. Only the roll-up and banners
 * above it (within the system high) are offered; the service refuses any other all the same.
 */
export function BannerRaise({
  rollup,
  value,
  context,
  onChange,
}: {
  rollup: string | null;
  value: string | null;
  context: MarkingContext | null;
  onChange(next: string | null): void;
}) {
  const id = useId();
  if (!rollup || !context)
    return (
      <p className="muted">The banner is the roll-up of the portions: it is shown once the service has checked them.</p>
    );
  const choices = bannerRaises(rollup, context.systemHigh, context.policy);
  const shown = value !== null && choices.includes(value) ? value : choices[0]!;
  return (
    <div className="report-banner-raise">
      <label htmlFor={id}>Banner</label>{' '}
      <select
        id={id}
        className="field"
        value={shown}
        onChange={(e) => onChange(e.currentTarget.value === choices[0] ? null : e.currentTarget.value)}
        data-testid="report-banner-raise"
      >
        {choices.map((banner, i) => (
          <option key={banner} value={banner}>
            {i === 0 ? `${banner} (the roll-up of the portions)` : `${banner} (raised)`}
          </option>
        ))}
      </select>
      <p className="muted">A banner may be raised above the roll-up of the portions, never lowered below it.</p>
    </div>
  );
}
