import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { BundleInfo } from '../../../common/bundle/bundle-info';
import type { SiteConfig } from '../../../common/site/site-config';
import * as q from '../../db/queries/bundles';

export interface SequenceFinding {
  sourceSite: string;
  channel: string;
  sequence: number;
  /** The last sequence imported on this channel from this site; null for the first bundle seen. */
  last: number | null;
  /** Bundles skipped, in words for the administrator; null when none are. */
  gap: string | null;
}

type Problem = { code: string; message: string };

/** Clocks of two workstations differ; a bundle made more than this in the future is refused. */
const FUTURE_SKEW_MS = 24 * 3_600_000;

/**
 * A bundle's place on its channel (docs/bundle-format.md, "Sequence"): expired, made in the future,
 * imported before (by id, or by a sequence number at or below the last imported on the channel),
 * waiting in quarantine already, not following the last bundle (its previous-hash names another),
 * or after a gap (reported, or refused when the site says so).
 */
export function checkSequence(
  db: Database,
  site: SiteConfig,
  info: BundleInfo,
  now: Date,
  /** At release the bundle is the one waiting in quarantine: that is not a duplicate. */
  releasing = false,
): { ok: true; finding: SequenceFinding } | { ok: false; problems: Problem[] } {
  const on = `channel ${info.channel} from ${info.sourceSite}`;
  const refuse = (code: string, message: string) => ({ ok: false as const, problems: [{ code, message }] });
  if (now.getTime() > Date.parse(info.expires))
    return refuse(
      'EXPIRED',
      `The bundle expired at ${info.expires}; an expired bundle is never imported. Ask the sender for a new one.`,
    );
  if (Date.parse(info.created) > now.getTime() + FUTURE_SKEW_MS)
    return refuse(
      'CREATED_IN_FUTURE',
      `The bundle says it was made at ${info.created}, more than a day after this workstation's clock.`,
    );
  const imported = q.ledgerEntry.get(db, 'import', info.bundleId);
  if (imported)
    return refuse(
      'REPLAYED',
      `Bundle ${info.bundleId} was imported here before (${imported.at}); it is not imported twice.`,
    );
  if (!releasing && q.waitingWithBundleId.get(db, info.bundleId))
    return refuse('ALREADY_IN_QUARANTINE', `Bundle ${info.bundleId} is already in quarantine, waiting for review.`);
  const last = q.inChannel.get(db, info.sourceSite, info.channel);
  if (last && info.sequence <= last.lastSequence)
    return refuse(
      'REPLAYED',
      `Bundle ${info.sequence} on ${on} is at or before the last one imported (${last.lastSequence}): a replayed or out-of-order bundle is refused.`,
    );
  if (last && info.sequence === last.lastSequence + 1 && info.previousHash !== last.lastHash)
    return refuse(
      'CHAIN_BROKEN',
      `Bundle ${info.sequence} on ${on} does not follow bundle ${last.lastSequence} imported here: it names another previous bundle.`,
    );
  const expected = (last?.lastSequence ?? 0) + 1;
  let gap: string | null = null;
  if (info.sequence > expected) {
    const missing = info.sequence - expected;
    gap = `${missing === 1 ? `Bundle ${expected}` : `Bundles ${expected} to ${info.sequence - 1}`} on ${on} never arrived (this is bundle ${info.sequence}).`;
    if (site.bundles.sequenceGap === 'refuse')
      return refuse('SEQUENCE_GAP', `${gap} This site refuses a bundle after a gap: import the missing ones first.`);
  }
  return {
    ok: true,
    finding: {
      sourceSite: info.sourceSite,
      channel: info.channel,
      sequence: info.sequence,
      last: last?.lastSequence ?? null,
      gap,
    },
  };
}
