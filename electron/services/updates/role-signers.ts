import { verifySignature } from './tuf/keys';
import type { MetadataKey, RoleKeys, TufSignature } from './tuf/metadata';

/**
 * The keyids of a role whose signatures over `message` verify, one per distinct key (as the threshold
 * counts them): what the administrator reviews as "signed by".
 */
export function roleSigners(
  role: RoleKeys,
  keys: Readonly<Record<string, MetadataKey>>,
  message: Uint8Array,
  signatures: readonly TufSignature[],
): string[] {
  const seen = new Set<string>();
  const signers: string[] = [];
  for (const keyid of new Set(role.keyids)) {
    const key = Object.hasOwn(keys, keyid) ? keys[keyid] : undefined;
    if (!key) continue;
    const material = `${key.keytype}\n${key.scheme}\n${key.keyval.public.trim()}`;
    if (seen.has(material)) continue;
    if (signatures.some((s) => s.keyid === keyid && verifySignature(key, message, s.sig))) {
      seen.add(material);
      signers.push(keyid);
    }
  }
  return signers;
}
