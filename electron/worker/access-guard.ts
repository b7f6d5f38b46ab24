import { PERMISSIONS, roleAllows, type Access } from '../../common/access/roles';
import type { ChannelSpec } from '../../common/ipc/contract';
import { issuesFromZod } from '../../common/ipc/result';
import type { LoginService } from '../services/identity/login-service';
import { ServiceError } from '../services/service-error';

const ROLE_NAMES = { viewer: 'a viewer', analyst: 'an analyst', admin: 'an administrator' } as const;

/**
 * The role check every service call passes (docs/roles.md), in the service worker where the
 * renderer cannot skip it. A refusal is audited: in the store when someone is signed in, else
 * kept with the login's pending events until the next sign-in opens the store.
 */
export function enforceAccess(login: LoginService, channel: string, access: Access): void {
  if (access === 'public') return;
  const user = login.user;
  if (!user) {
    login.recordAudit({
      actor: 'anonymous',
      event: 'access.denied',
      object: channel,
      outcome: 'denied',
      detail: { reason: 'not signed in', needs: access },
    });
    throw new ServiceError('UNAUTHENTICATED', 'Sign in with your card first.');
  }
  if (access === 'signed-in' || roleAllows(user.role, access)) return;
  const needed = PERMISSIONS[access];
  login.recordAudit({
    actor: user.actor,
    event: 'access.denied',
    object: channel,
    outcome: 'denied',
    detail: { role: user.role, needs: access },
  });
  throw new ServiceError(
    'FORBIDDEN',
    `Only ${ROLE_NAMES[needed]} may do this (${channel}); you are signed in as ${ROLE_NAMES[user.role]}.`,
  );
}

/**
 * The role check, then the request's strict schema: in this order, so a caller without the role (or
 * signed out) is refused and audited as a denial whatever it sent, and a malformed request cannot
 * pass for a mere input error. Returns the parsed request, the only form a service sees.
 */
export function checkCall(login: LoginService, channel: string, spec: ChannelSpec, request: unknown): unknown {
  enforceAccess(login, channel, spec.access);
  const parsed = spec.request.safeParse(request);
  if (!parsed.success)
    throw new ServiceError('INVALID_ARGUMENT', `${channel}: the request is invalid.`, issuesFromZod(parsed.error));
  return parsed.data;
}
