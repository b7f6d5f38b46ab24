import type { RequestOf, ResponseOf } from '../../../common/ipc/contract';
import type { ServiceContext } from '../context';
import { ServiceError } from '../service-error';
import { loadSiteConfig } from '../system/site-config';
import { enrollCard, removeUserCards, users } from './login-enroll';
import { LoginRefusal } from './login-refusal';
import type { SessionUser } from './login-service';
import { setDisabled, setRole } from '../users/user-admin';

const publicUser = (user: SessionUser) => ({ id: user.id, displayName: user.displayName, role: user.role });

/** Refusals outside login (enrolment, user management) as typed IPC errors; a locked vault's already is. */
function asServiceError(error: unknown): never {
  if (error instanceof LoginRefusal) throw new ServiceError('FAILED_PRECONDITION', error.message);
  throw error;
}

/** The identity.* channels over the worker's LoginService (docs/login.md, docs/ipc-contract.md). */
export function createIdentityService(ctx: ServiceContext) {
  const login = ctx.login;
  const workspace = () => ctx.vault.workspace();
  const settings = () =>
    loadSiteConfig({ resourcesDir: ctx.paths.resourcesDir, overridePath: ctx.paths.siteConfigPath }).config.identity;
  return {
    status(): ResponseOf<'identity', 'status'> {
      const status = login.status();
      return { ...status, user: status.user ? publicUser(status.user) : null };
    },

    async login(request: RequestOf<'identity', 'login'>): Promise<ResponseOf<'identity', 'login'>> {
      try {
        const result = await login.login(request.pin, request.serialNumber);
        return {
          outcome: 'unlocked',
          user: publicUser(result.user),
          unlockMs: result.unlockMs,
          warnings: result.warnings,
        };
      } catch (error) {
        if (!(error instanceof LoginRefusal)) throw error;
        return { outcome: 'refused', reason: error.code, message: error.message, pin: error.pin };
      }
    },

    async recover(request: RequestOf<'identity', 'recover'>): Promise<ResponseOf<'identity', 'recover'>> {
      try {
        return { user: publicUser(await login.recover(request.recoverySecret)) };
      } catch (error) {
        return asServiceError(error);
      }
    },

    lock(): ResponseOf<'identity', 'lock'> {
      return { locked: login.lock('manual') };
    },

    async enroll(request: RequestOf<'identity', 'enroll'>): Promise<ResponseOf<'identity', 'enroll'>> {
      try {
        const result = await enrollCard(workspace(), login.readers, request, settings());
        return { userId: result.user.id, slotId: result.slotId, created: result.created };
      } catch (error) {
        return asServiceError(error);
      }
    },

    users(): ResponseOf<'identity', 'users'> {
      try {
        return { users: users(workspace()) };
      } catch (error) {
        return asServiceError(error);
      }
    },

    removeCard(request: RequestOf<'identity', 'removeCard'>): ResponseOf<'identity', 'removeCard'> {
      try {
        return removeUserCards(workspace(), request.userId);
      } catch (error) {
        return asServiceError(error);
      }
    },

    setRole(request: RequestOf<'identity', 'setRole'>): ResponseOf<'identity', 'setRole'> {
      try {
        return { user: setRole(workspace(), request.userId, request.role) };
      } catch (error) {
        return asServiceError(error);
      }
    },

    setDisabled(request: RequestOf<'identity', 'setDisabled'>): ResponseOf<'identity', 'setDisabled'> {
      try {
        return { user: setDisabled(workspace(), request.userId, request.disabled) };
      } catch (error) {
        return asServiceError(error);
      }
    },
  };
}
