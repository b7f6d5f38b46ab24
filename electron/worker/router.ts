import {
  contract,
  type ChannelSpec,
  type MethodOf,
  type Namespace,
  type RequestOf,
  type ResponseOf,
} from '../../common/ipc/contract';
import type { EnclaveEvent } from '../../common/ipc/events';
import { fail, ok, type IpcResult } from '../../common/ipc/result';
import { checkCall } from './access-guard';
import { createAuditService } from '../services/audit/audit-service';
import { createContext, type ServicePaths } from '../services/context';
import type { ServiceCall } from '../services/service-call';
import { ServiceError } from '../services/service-error';
import { IdentityWatch } from '../services/identity/identity-watch';
import { createIdentityService } from '../services/identity/login-ipc';
import { createMarkingService } from '../services/markings/marking-service';
import { createModelService } from '../services/models/model-service';
import { createBundleService } from '../services/bundles/bundle-service';
import { createUpdateService } from '../services/updates/update-service';
import { createReportService } from '../services/reports/report-service';
import { createRunService } from '../services/runs/run-service';
import { createSetupService } from '../services/setup/setup-service';
import { createSystemService } from '../services/system/system-service';
import { createTrustService } from '../services/trust/trust-service';
import { createVaultAdminService } from '../services/vault/vault-admin';

/** One implementation per contract channel; the compiler keeps this in step with the contract. */
export type ServiceImpl = {
  [N in Namespace]: {
    [M in MethodOf<N>]: (request: RequestOf<N, M>, call: ServiceCall) => ResponseOf<N, M> | Promise<ResponseOf<N, M>>;
  };
};

export interface ServiceRouter {
  call(namespace: string, method: string, request: unknown, call: ServiceCall): Promise<IpcResult<unknown>>;
  /** Whether a window listens for events: the identity watch runs only then. */
  watch(on: boolean): void;
}

/**
 * Routes validated requests to services inside the service worker. The consent gate and the role
 * check live here, on the service side, so no renderer (or anything pretending to be one) can skip them.
 */
export function createServiceRouter(
  paths: ServicePaths,
  log: (line: string) => void,
  emit: (event: EnclaveEvent) => void = () => {},
): ServiceRouter {
  const ctx = createContext(paths);
  const identityChanged = (unlocked: boolean) => emit({ name: 'identity.changed', payload: { unlocked } });
  ctx.vault.onChange(identityChanged);
  const identityWatch = new IdentityWatch(ctx.login, identityChanged);
  const services: ServiceImpl = {
    system: createSystemService(ctx),
    markings: createMarkingService(ctx),
    identity: createIdentityService(ctx),
    trust: createTrustService(ctx),
    audit: createAuditService(ctx),
    setup: createSetupService(ctx),
    vault: createVaultAdminService(ctx),
    runs: createRunService(ctx),
    models: createModelService(ctx),
    reports: createReportService(ctx),
    bundles: createBundleService(ctx),
    updates: createUpdateService(ctx, () => emit({ name: 'site.changed', payload: {} })),
  };

  return {
    watch: (on) => identityWatch.set(on),
    async call(namespace, method, request, call) {
      const spec = (contract as Record<string, Record<string, ChannelSpec>>)[namespace]?.[method];
      const impl = (services as unknown as Record<string, Record<string, (r: unknown, c: ServiceCall) => unknown>>)[
        namespace
      ]?.[method];
      if (!spec || !impl) return fail('UNKNOWN_CHANNEL', `There is no ${namespace}.${method} service.`);
      if (spec.requiresConsent && ctx.session.consentAcknowledgedAt === null) {
        return fail('CONSENT_REQUIRED', 'Acknowledge the notice and consent banner first.');
      }
      // Any call but reading the session's state is the analyst at work: it pushes the idle lock back.
      if (!(namespace === 'identity' && method === 'status')) ctx.login.touch();
      try {
        // The role (docs/roles.md), then the request's schema: on every call, before the service runs; refusals audited.
        const checked = checkCall(ctx.login, `${namespace}.${method}`, spec, request);
        call.signal.throwIfAborted();
        return ok(await impl(checked, call));
      } catch (error) {
        if (error instanceof ServiceError) return fail(error.code, error.message, error.issues);
        // The caller went away or pressed Cancel: the service stopped between steps and kept nothing half-done.
        if (call.signal.aborted) return fail('CANCELLED', `${namespace}.${method} was cancelled.`);
        // Unexpected: keep the detail in the service log, give the caller a plain message.
        log(`${namespace}.${method} failed: ${(error as Error).stack ?? String(error)}`);
        return fail('INTERNAL', `${namespace}.${method} failed unexpectedly. The service log has details.`);
      }
    },
  };
}
