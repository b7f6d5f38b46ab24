/**
 * Enclave's delegated targets roles, one per kind of payload, each trusted only for its own path
 * prefix and terminating: the role that signs CRLs cannot sign an app release, whatever it writes.
 */
export const PAYLOAD_TYPES = ['app-release', 'trust-anchor', 'crl', 'site-config', 'users', 'model-template'] as const;
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

export interface DelegatedRoleDefinition {
  readonly name: string;
  /** The one directory its targets live in; the delegation's path pattern is `<prefix>/*`. */
  readonly prefix: string;
  readonly types: readonly PayloadType[];
}

export const DELEGATED_ROLES: readonly DelegatedRoleDefinition[] = [
  { name: 'releases', prefix: 'app', types: ['app-release'] },
  { name: 'trust', prefix: 'trust', types: ['trust-anchor', 'crl'] },
  { name: 'site', prefix: 'site', types: ['site-config'] },
  { name: 'users', prefix: 'users', types: ['users'] },
  { name: 'models', prefix: 'models', types: ['model-template'] },
];

export const TOP_ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
export type TopRole = (typeof TOP_ROLES)[number];

/** Every role the repository stages, in the order status and sign report them. */
export const ALL_ROLES: readonly string[] = [...TOP_ROLES, ...DELEGATED_ROLES.map((role) => role.name)];

export function delegatedRole(name: string): DelegatedRoleDefinition | undefined {
  return DELEGATED_ROLES.find((role) => role.name === name);
}

export function isPayloadType(type: string): type is PayloadType {
  return (PAYLOAD_TYPES as readonly string[]).includes(type);
}
