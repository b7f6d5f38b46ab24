import { bannerStyle } from '../../../common/markings';
import { useMarkingPolicyState } from '../../state/marking-state';

const UNKNOWN = { level: 'unknown', background: '#4a4f55' };

/**
 * A record's portion mark as the service wrote it, `(S//NF)`, with a chip in its level's banner
 * colour (from the record's banner); a marking this policy cannot read gets a grey chip.
 */
export function RecordMark({ portion, banner }: { portion: string; banner: string }) {
  const policy = useMarkingPolicyState((s) => s.context?.policy);
  let style: { level: string; background: string } = UNKNOWN;
  try {
    style = bannerStyle(banner, policy);
  } catch {
    // shown grey, as the window banner shows an unknown one
  }
  return (
    <span className="portion-mark" data-testid="record-portion" data-level={style.level} title={banner}>
      <span className="portion-mark__chip" aria-hidden="true" style={{ backgroundColor: style.background }} />
      <span className="portion-mark__text">{portion}</span>
    </span>
  );
}
