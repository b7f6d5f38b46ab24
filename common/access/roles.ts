/**
 * Roles and what each may do (docs/roles.md). The service checks a channel's permission on every
 * call, whatever the renderer shows; the renderer uses the same table only to hide what would be
 * refused.
 *
 * Roles nest: an analyst may do what a viewer may, an administrator what an analyst may. One card
 * is one user with one role, so a small site's administrator can still run models.
 */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** Read models, runs and reports that are shared (and one's own). */
  'models.read': 'viewer',
  /** Create and save models, run them, keep results. */
  'models.write': 'analyst',
  /** Export one's own and shared models in a signed bundle. */
  'models.export': 'analyst',
  /** Users, roles, card enrolments. */
  'users.manage': 'admin',
  /** Trust anchors and CRLs. */
  'trust.manage': 'admin',
  /** Site configuration and first-run setup after the recovery secret is confirmed. */
  'site.configure': 'admin',
  /** Import bundles, manage peer sites. */
  'bundles.manage': 'admin',
  /** Apply update bundles (app releases, trust, site configuration, users, model templates) and set the update root. */
  'updates.manage': 'admin',
  /** Back up, restore, verify and re-key the encrypted store. */
  'store.manage': 'admin',
  /** Read and export the audit log. */
  'audit.read': 'admin',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

/**
 * Who may call a channel: `public` needs no sign-in (it reads no stored data: the banner, the
 * marking policy, the card and session state, sign-in itself), `signed-in` any user, otherwise
 * the named permission.
 */
export type Access = 'public' | 'signed-in' | Permission;

const rank = (role: Role) => ROLES.indexOf(role);

export function roleAllows(role: Role, permission: Permission): boolean {
  return rank(role) >= rank(PERMISSIONS[permission]);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => roleAllows(role, p));
}
