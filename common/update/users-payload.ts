import { z } from 'zod';
import { ROLES } from '../access/roles';

/** A certificate as the user list carries it: PEM, or base64 of the DER. At most 16 KiB. */
const Certificate = z.string().min(64).max(16_384);
const Identifier = z.string().min(1).max(200);

const ActiveUser = z
  .object({
    status: z.literal('active'),
    displayName: z.string().min(1).max(200),
    role: z.enum(ROLES),
    /** The card's PIV Authentication certificate (9A): who the user is, validated as at login. */
    authenticationCertificate: Certificate,
    /** The card's key-management certificate (9D): the store's data key is wrapped to its public key. */
    keyManagementCertificate: Certificate,
  })
  .strict();

/** A user whose access ends: found by any of the card's identifiers, disabled, and their key slots removed. */
const RevokedUser = z
  .object({
    status: z.literal('revoked'),
    displayName: z.string().min(1).max(200),
    edipi: Identifier.optional(),
    upn: Identifier.optional(),
    uuid: Identifier.optional(),
  })
  .strict()
  .refine((u) => u.edipi !== undefined || u.upn !== undefined || u.uuid !== undefined, {
    message: 'a revoked user needs an EDIPI, UPN or card UUID to be found by',
  });

/** `enclave-users/1`: the user list an update bundle provisions (docs/updates.md, "User lists"). */
export const UserListSchema = z
  .object({
    format: z.literal('enclave-users/1'),
    users: z.array(z.discriminatedUnion('status', [ActiveUser, RevokedUser])).max(1000),
  })
  .strict();
export type UserList = z.infer<typeof UserListSchema>;
export type ProvisionedUser = UserList['users'][number];
