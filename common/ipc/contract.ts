import type { z } from 'zod';
import type { ChannelSpec } from './channel';
import { auditChannels } from './channels/audit';
import { bundleChannels } from './channels/bundles';
import { identityChannels } from './channels/identity';
import { markingsChannels } from './channels/markings';
import { modelsChannels } from './channels/models';
import { reportsChannels } from './channels/reports';
import { runsChannels } from './channels/runs';
import { setupChannels } from './channels/setup';
import { systemChannels } from './channels/system';
import { trustChannels } from './channels/trust';
import { updateChannels } from './channels/updates';
import { vaultChannels } from './channels/vault';

export type { ChannelGroup, ChannelSpec } from './channel';
export * from './channels/audit';
export * from './channels/bundles';
export * from './channels/identity';
export * from './channels/markings';
export * from './channels/models';
export * from './channels/reports';
export * from './channels/runs';
export * from './channels/setup';
export * from './channels/system';
export * from './channels/trust';
export * from './channels/updates';
export * from './channels/vault';

/**
 * The IPC contract: every channel the renderer may call, with a zod schema for its request and its
 * response, composed here from one file per domain (`channels/`). Requests are strict (extra
 * fields are refused) and every string has a maximum length. `requiresConsent` channels are
 * refused by the service until the notice-and-consent banner is acknowledged in this session.
 * `access` says who may call it (common/access/roles.ts, docs/roles.md); the service router
 * enforces it on every call and audits each refusal.
 */
export const contract = {
  system: systemChannels,
  markings: markingsChannels,
  identity: identityChannels,
  trust: trustChannels,
  audit: auditChannels,
  setup: setupChannels,
  vault: vaultChannels,
  runs: runsChannels,
  models: modelsChannels,
  reports: reportsChannels,
  bundles: bundleChannels,
  updates: updateChannels,
} as const;

export type Contract = typeof contract;
export type Namespace = keyof Contract;
export type MethodOf<N extends Namespace> = keyof Contract[N] & string;
type Spec<N extends Namespace, M extends MethodOf<N>> = Contract[N][M] extends ChannelSpec ? Contract[N][M] : never;
export type RequestOf<N extends Namespace, M extends MethodOf<N>> = z.infer<Spec<N, M>['request']>;
export type ResponseOf<N extends Namespace, M extends MethodOf<N>> = z.infer<Spec<N, M>['response']>;

/** Largest serialized request accepted on any channel, checked before parsing. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export function channelName(namespace: string, method: string): string {
  return `enclave:${namespace}.${method}`;
}

export interface ChannelRef {
  namespace: Namespace;
  method: string;
  name: string;
  spec: ChannelSpec;
}

export function listChannels(): ChannelRef[] {
  return (Object.keys(contract) as Namespace[]).flatMap((namespace) =>
    Object.entries(contract[namespace]).map(([method, spec]) => ({
      namespace,
      method,
      name: channelName(namespace, method),
      spec: spec as ChannelSpec,
    })),
  );
}

export function maxRequestBytesOf(spec: ChannelSpec): number {
  return spec.maxRequestBytes ?? MAX_REQUEST_BYTES;
}

export function findChannel(name: string): ChannelRef | undefined {
  return listChannels().find((channel) => channel.name === name);
}
