import { makeBridge } from '../../../common/ipc/bridge';
import type { ChosenFile } from '../../../common/ipc/files';
import type { IpcResult } from '../../../common/ipc/result';
import type { UpdateHistoryEntry, UpdateInspection, UpdateRoot } from '../../../renderer/state/updates-state';

// What the updates service answers, as the contract shapes it (the bridge checks every answer
// against common/ipc/channels/updates.ts), and a fake service that records each call.

export const KEY_ROOT = '1a2b3c4d5e6f' + '0'.repeat(52);
export const KEY_TARGETS = 'abcdef012345' + '1'.repeat(52);
export const KEY_TRUST = '9876543210fe' + '2'.repeat(52);
export const ANCHOR_SHA = 'c0ffee' + '3'.repeat(58);
export const CRL_SHA = 'deadbeef' + '4'.repeat(56);

export const root: UpdateRoot = {
  version: 2,
  expires: '2027-06-30T00:00:00Z',
  sha256: '5'.repeat(64),
  roles: [
    { role: 'root', threshold: 2, keyids: [KEY_ROOT, KEY_TRUST] },
    { role: 'targets', threshold: 1, keyids: [KEY_TARGETS] },
  ],
};

export const inspection = (lockout: string | null = null): UpdateInspection => ({
  roles: [
    {
      role: 'root',
      from: 2,
      to: 2,
      expires: '2027-06-30T00:00:00Z',
      threshold: 2,
      signedBy: [KEY_ROOT, KEY_TRUST],
    },
    { role: 'targets', from: 3, to: 4, expires: '2027-01-31T00:00:00Z', threshold: 1, signedBy: [KEY_TARGETS] },
    { role: 'trust', from: null, to: 1, expires: '2027-01-31T00:00:00Z', threshold: 1, signedBy: [KEY_TRUST] },
  ],
  targets: [
    {
      name: 'trust/site-ca-2027.pem',
      kind: 'trust-anchor',
      version: '2027.1',
      role: 'trust',
      length: 2048,
      sha256: ANCHOR_SHA,
      result: 'applied',
      detail: 'adds the trust anchor CN=Site CA 2027 (root)',
    },
    {
      name: 'trust/site-ca.crl',
      kind: 'crl',
      version: null,
      role: 'trust',
      length: 512,
      sha256: CRL_SHA,
      result: 'unchanged',
      detail: 'the CRL held is already this one',
    },
  ],
  lockout,
  fileSha256: '9'.repeat(64),
  verifiedTime: '2026-12-03T22:15:00Z',
});

export const LOCKOUT =
  'After this update no enabled administrator has a card that chains to a trust anchor: nobody could sign in as administrator.';

export const history: UpdateHistoryEntry[] = [
  {
    id: 2,
    state: 'failed',
    actor: 'user:1',
    startedAt: '2026-12-03T23:00:00Z',
    endedAt: '2026-12-03T23:00:05Z',
    versions: { root: 2, timestamp: 7, snapshot: 7, targets: 4 },
    reason: 'The site configuration in the bundle does not load: banner level unknown.',
    targets: [],
  },
  {
    id: 1,
    state: 'applied',
    actor: 'user:1',
    startedAt: '2026-12-01T09:00:00Z',
    endedAt: '2026-12-01T09:00:02Z',
    versions: { root: 2, timestamp: 6, snapshot: 6, targets: 3 },
    reason: null,
    targets: [
      {
        name: 'trust/site-ca-2027.pem',
        kind: 'trust-anchor',
        sha256: ANCHOR_SHA,
        length: 2048,
        result: 'applied',
      },
    ],
  },
];

export const handle = (n: number) => `file-${n.toString(16).padStart(32, '0')}`;
export const chosen = (n: number, name = 'update-2026-12.tar', size = 40960): ChosenFile => ({
  handle: handle(n),
  name,
  size,
});

type Handler = (request: Record<string, unknown>) => Promise<IpcResult<unknown>> | IpcResult<unknown>;

/** A fake updates service behind the real bridge: each call recorded, each channel answered by a handler. */
export function fakeService() {
  const calls: { channel: string; request: Record<string, unknown> }[] = [];
  const handlers: Record<string, Handler> = {};
  const dialogAnswers: ChosenFile[][] = [];
  const transport = {
    call: async (channel: string, request: unknown): Promise<IpcResult<unknown>> => {
      const name = channel.replace(/^enclave:/, '');
      calls.push({ channel: name, request: request as Record<string, unknown> });
      const handler = handlers[name];
      return handler
        ? handler(request as Record<string, unknown>)
        : { ok: false, error: { code: 'UNAVAILABLE', message: `not in this test: ${name}` } };
    },
    cancel: () => {},
    subscribe: () => () => {},
    // Electron's dialog: the next answer queued by the test (none chosen when the queue is empty).
    chooseFiles: async (choice: unknown) => {
      calls.push({ channel: 'files.choose', request: choice as Record<string, unknown> });
      return { ok: true, value: dialogAnswers.shift() ?? [] };
    },
  };
  return { calls, handlers, dialogAnswers, bridge: makeBridge(transport) };
}
