import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ResponseOf } from '../../../common/ipc/contract';
import { putTrustedMetadata, trustedMetadata } from '../../db/queries/updates';
import { ServiceError } from '../service-error';
import type { Workspace } from '../vault/vault-service';
import { TufError } from './tuf/errors';
import { TrustedMetadata } from './tuf/trusted-metadata';
import { parseMetadata, TOP_LEVEL_ROLES, type Envelope, type Root } from './tuf/metadata';

type RootSummary = NonNullable<ResponseOf<'updates', 'root'>['root']>;

/** The most a root file may be (TUF clients' usual bound). */
export const ROOT_MAX_BYTES = 512 * 1024;

export function summarizeRoot(root: Envelope<Root>): RootSummary {
  return {
    version: root.signed.version,
    expires: root.signed.expires,
    sha256: createHash('sha256').update(root.bytes).digest('hex'),
    // The four roles a client uses, each with at most 64 keyids shown (a summary, not the metadata).
    roles: TOP_LEVEL_ROLES.map((role) => ({
      role,
      threshold: root.signed.roles[role]!.threshold,
      keyids: root.signed.roles[role]!.keyids.slice(0, 64),
    })),
  };
}

/** The update root held, or null before the administrator has set one. */
export function heldRoot(db: Database): Envelope<Root> | null {
  const bytes = trustedMetadata(db, 'root');
  return bytes ? parseMetadata(bytes, 'root', 'the trusted root') : null;
}

/**
 * Sets the first update root: a root.json the site's update officers hand over (its SHA-256 is the
 * fingerprint they read out). It must be signed by a threshold of its own root keys and unexpired.
 * A root already held is never replaced here: a new root comes only through a bundle, signed by the old.
 */
export function trustFirstRoot(workspace: Workspace, bytes: Buffer, now: Date): RootSummary {
  const { db, audit, user } = workspace;
  if (trustedMetadata(db, 'root'))
    throw new ServiceError(
      'FAILED_PRECONDITION',
      'This workstation already trusts an update root. A new root comes only in an update bundle, signed by the keys of the one held.',
    );
  let root: Envelope<Root>;
  try {
    root = new TrustedMetadata(bytes, now).root;
  } catch (error) {
    if (error instanceof TufError)
      throw new ServiceError('INVALID_ARGUMENT', `The root file is refused: ${error.message}.`);
    throw error;
  }
  if (new Date(root.signed.expires).getTime() <= now.getTime())
    throw new ServiceError('INVALID_ARGUMENT', `The root file expired at ${root.signed.expires}.`);
  const summary = summarizeRoot(root);
  db.transaction(() => {
    // Checked again inside the transaction: another process (the CLI beside the app) may have set one.
    if (trustedMetadata(db, 'root'))
      throw new ServiceError('FAILED_PRECONDITION', 'This workstation already trusts an update root.');
    putTrustedMetadata(db, 'root', bytes, now.toISOString());
    audit.append({
      actor: user.actor,
      event: 'update.root.trust',
      object: `sha256:${summary.sha256}`,
      outcome: 'success',
      detail: {
        version: summary.version,
        expires: summary.expires,
        roles: summary.roles.map((r) => `${r.role} ${r.threshold} of ${r.keyids.length}`).join(', '),
      },
    });
  })();
  return summary;
}
