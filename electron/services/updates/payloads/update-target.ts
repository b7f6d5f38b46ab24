import type { UpdatePayloadKind } from '../../../../common/update/update-payload';

/** A target whose length and hashes the TUF client has checked against signed metadata. */
export interface VerifiedTarget {
  name: string;
  kind: UpdatePayloadKind;
  /** The version the custom field gives (app releases, site configuration), if any. */
  version: string | null;
  /** The delegated role that signed it. */
  role: string;
  length: number;
  sha256: string;
  bytes: Buffer;
}

/** What applying a target did (or, in a preview, would do). */
export interface TargetOutcome {
  name: string;
  kind: UpdatePayloadKind;
  result: 'applied' | 'unchanged' | 'staged';
  /** One line an administrator reads: what changed, old → new. */
  detail: string;
}
