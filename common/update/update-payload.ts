import { z } from 'zod';

/**
 * What an update bundle carries (docs/updates.md). Each target names its kind in its TUF custom
 * field; the kind fixes the path prefix it must live under, and each prefix has its own delegated
 * targets role, so the role that signs CRLs cannot sign an app release.
 */
export const UPDATE_PAYLOAD_KINDS = [
  'app-release',
  'trust-anchor',
  'crl',
  'site-config',
  'users',
  'model-template',
] as const;
export type UpdatePayloadKind = (typeof UPDATE_PAYLOAD_KINDS)[number];

/** The delegated targets roles of an Enclave update repository and the one path pattern each may sign. */
export const UPDATE_ROLES = {
  releases: 'app/*',
  trust: 'trust/*',
  site: 'site/*',
  users: 'users/*',
  models: 'models/*',
} as const;
export type UpdateRole = keyof typeof UPDATE_ROLES;

/** The role whose paths hold each kind. */
export const ROLE_OF_KIND: Record<UpdatePayloadKind, UpdateRole> = {
  'app-release': 'releases',
  'trust-anchor': 'trust',
  crl: 'trust',
  'site-config': 'site',
  users: 'users',
  'model-template': 'models',
};

/** Words an administrator reads for each kind. */
export const KIND_WORDS: Record<UpdatePayloadKind, string> = {
  'app-release': 'app release',
  'trust-anchor': 'trust anchor',
  crl: 'CRL',
  'site-config': 'site configuration',
  users: 'user list',
  'model-template': 'model template',
};

/** A target's name: a path of safe segments, no `..`, nothing absolute, at most 200 characters. */
export const TARGET_NAME = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,99}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,99})+$/;

/** The custom field of an Enclave target: `{"enclave": {"type": …, "version": …}}`. */
export const TargetCustomSchema = z.object({
  enclave: z
    .object({
      type: z.enum(UPDATE_PAYLOAD_KINDS),
      version: z
        .string()
        .regex(/^[0-9A-Za-z.+-]{1,64}$/)
        .optional(),
    })
    .strict(),
});

/** Why a target's name does not fit its kind, or null. */
export function targetPlaceProblem(name: string, kind: UpdatePayloadKind): string | null {
  if (!TARGET_NAME.test(name)) return `"${name}" is not a valid target name.`;
  const prefix = UPDATE_ROLES[ROLE_OF_KIND[kind]].slice(0, -1);
  if (!name.startsWith(prefix) || name.slice(prefix.length).includes('/'))
    return `"${name}" is a ${KIND_WORDS[kind]}, which must be named ${prefix}<file>.`;
  return null;
}
