import { generateKeyPairSync } from 'node:crypto';
import { initRepository, DEFAULT_EXPIRY_DAYS } from '../../../electron/services/updates/repository/init-repository';
import { memorySigner } from '../../../electron/services/updates/tuf/keys';
import type { TufSigner } from '../../../electron/services/updates/tuf/signer';

/** A P-384 role key held in memory, as an officer's token would hold it. */
export const p384Signer = (): TufSigner =>
  memorySigner(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey, 'ecdsa-sha2-nistp384');

/**
 * Officers of a test repository: two root officers (threshold 2), and one key each for targets,
 * snapshot, timestamp, trust and (shared) the other four delegated roles.
 */
export function officers() {
  return {
    alice: p384Signer(),
    bob: p384Signer(),
    targets: p384Signer(),
    snapshot: p384Signer(),
    timestamp: p384Signer(),
    trust: p384Signer(),
    payloads: p384Signer(),
  };
}
export type Officers = ReturnType<typeof officers>;

export function initTestRepository(dir: string, o: Officers, now: Date) {
  const one = (signer: TufSigner) => ({ keys: [signer.key], threshold: 1 });
  return initRepository(dir, {
    roles: {
      root: { keys: [o.alice.key, o.bob.key], threshold: 2 },
      targets: one(o.targets),
      snapshot: one(o.snapshot),
      timestamp: one(o.timestamp),
      releases: one(o.payloads),
      trust: one(o.trust),
      site: one(o.payloads),
      users: one(o.payloads),
      models: one(o.payloads),
    },
    expiryDays: DEFAULT_EXPIRY_DAYS,
    now,
  });
}
