import { canonicalJson } from '../tuf/canonical-json';
import { computeKeyId, countValidSignatures, verifySignature } from '../tuf/keys';
import type { TufSigner } from '../tuf/signer';
import { RepositoryError } from './errors';
import { withRepositoryLock } from './lock';
import { loadRepository, roleKeyring, saveStaged, stagedOf, type Repository } from './repository';
import { ALL_ROLES } from './roles';

export interface RoleSignatures {
  readonly role: string;
  readonly version: number;
  /** Distinct keys of the role whose signatures verify. */
  readonly signatures: number;
  readonly threshold: number;
}

export interface SignedRole extends RoleSignatures {
  /** 'signed' now, or 'already' when this key's valid signature was there before. */
  readonly outcome: 'signed' | 'already';
}

/**
 * Adds `signer`'s signature to every staged metadata file whose role lists its key. Each signature is
 * verified with the key as the metadata lists it before it is kept (a token holding a different key
 * than it shows is caught here, not on a workstation). A key in no role is refused, nothing signed.
 */
export async function signRepository(dir: string, signer: TufSigner): Promise<SignedRole[]> {
  const keyid = computeKeyId(signer.key);
  return withRepositoryLock(dir, async () => {
    const repo = loadRepository(dir);
    const roles = ALL_ROLES.filter((role) => roleKeyring(repo, role).keyids.includes(keyid));
    if (roles.length === 0)
      throw new RepositoryError(
        'refused',
        `The key ${keyid} is in no role of this repository; nothing was signed. Roles: ${ALL_ROLES.join(', ')}.`,
      );
    const results: SignedRole[] = [];
    for (const role of roles) {
      const staged = stagedOf(repo, role);
      const keyring = roleKeyring(repo, role);
      const message = canonicalJson(staged.signed);
      const listed = keyring.keys[keyid]!;
      // Another officer's signature that no longer verifies means the content changed after they
      // signed (the repository travels on media): signing it now would pass the change on unseen.
      const stale = staged.signatures.filter(
        (s) =>
          s.keyid !== keyid &&
          keyring.keys[s.keyid] !== undefined &&
          !verifySignature(keyring.keys[s.keyid]!, message, s.sig),
      );
      if (stale.length > 0)
        throw new RepositoryError(
          'refused',
          `${role} v${staged.signed.version} carries a signature by ${stale.map((s) => s.keyid.slice(0, 12)).join(', ')} that no longer verifies: its content changed after that officer signed. Nothing was signed; restage it (add-target or renew) and have every officer sign again.`,
        );
      const existing = staged.signatures.find((s) => s.keyid === keyid);
      let outcome: SignedRole['outcome'] = 'already';
      if (!existing || !verifySignature(listed, message, existing.sig)) {
        const sig = Buffer.from(await signer.sign(message)).toString('hex');
        if (!verifySignature(listed, message, sig))
          throw new RepositoryError(
            'refused',
            `The signature of ${role} by key ${keyid} does not verify with the key the metadata lists; the token's key is not the one it shows.`,
          );
        staged.signatures = [...staged.signatures.filter((s) => s.keyid !== keyid), { keyid, sig }];
        saveStaged(repo, role);
        outcome = 'signed';
      }
      results.push({ ...roleSignatures(repo, role), outcome });
    }
    return results;
  });
}

export function roleSignatures(repo: Repository, role: string): RoleSignatures {
  const staged = stagedOf(repo, role);
  const keyring = roleKeyring(repo, role);
  return {
    role,
    version: staged.signed.version,
    signatures: countValidSignatures(
      { keyids: [...keyring.keyids], threshold: keyring.threshold },
      keyring.keys,
      canonicalJson(staged.signed),
      staged.signatures,
    ),
    threshold: keyring.threshold,
  };
}

export interface RoleStatus extends RoleSignatures {
  readonly expires: string;
  readonly expired: boolean;
  readonly keys: number;
  /** Targets this role signs (delegated roles only). */
  readonly targets?: readonly string[];
}

/** Every role's version, expiry and signatures against its threshold. */
export function repositoryStatus(dir: string, now: Date): RoleStatus[] {
  const repo = loadRepository(dir);
  return ALL_ROLES.map((role) => {
    const staged = stagedOf(repo, role);
    const delegated = repo.delegated.get(role);
    return {
      ...roleSignatures(repo, role),
      expires: staged.signed.expires,
      expired: Date.parse(staged.signed.expires) <= now.getTime(),
      keys: roleKeyring(repo, role).keyids.length,
      ...(delegated ? { targets: Object.keys(delegated.signed.targets).sort() } : {}),
    };
  });
}
