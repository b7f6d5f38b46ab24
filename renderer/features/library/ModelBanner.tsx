import { bannerStyle } from '../../../common/markings';
import { useMarkingPolicyState } from '../../state/marking-state';

const UNKNOWN = { level: 'unknown', background: '#4a4f55', foreground: '#ffffff' };

/** A model's or version's banner line as the service computed it, in its level's banner colours. */
export function ModelBanner({ banner }: { banner: string }) {
  const policy = useMarkingPolicyState((s) => s.context?.policy);
  let style: { level: string; background: string; foreground: string } = UNKNOWN;
  try {
    style = bannerStyle(banner, policy);
  } catch {
    // A banner this policy cannot read is shown in grey, as the window banner shows an unknown one.
  }
  return (
    <span
      className="library-banner"
      data-testid="model-banner"
      data-level={style.level}
      style={{ backgroundColor: style.background, color: style.foreground }}
    >
      {banner}
    </span>
  );
}
