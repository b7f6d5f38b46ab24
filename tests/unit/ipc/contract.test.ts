import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  channelName,
  contract,
  listChannels,
  MAX_REQUEST_BYTES,
  maxRequestBytesOf,
} from '../../../common/ipc/contract';
import { BRIDGE_EXTRAS, makeBridge } from '../../../common/ipc/bridge';
import { IpcErrorSchema, type IpcResult } from '../../../common/ipc/result';
import { acknowledgeConsent, setUpStore, startTestServices, type TestServices } from '../../support/services';

// A well-formed request for every channel. The first test fails when a channel is added to the
// contract without one, so every channel gets the bad-input tests below.
const sampleReport = {
  format: 'enclave-report/1',
  title: 'Cost review',
  author: 'A. Analyst',
  model: { id: 1, version: 1 },
  runs: [1],
  outputs: null,
  banner: null,
  authority: null,
  sections: [{ kind: 'statistics', portion: '(U)', paragraphs: [] }],
  scenarios: null,
};
const sampleModel = {
  format: 'enclave-model/1',
  name: 'Cost model',
  marking: 'UNCLASSIFIED',
  inputs: [{ name: 'cost', dist: { type: 'normal', mean: 10, sd: 2 } }],
  outputs: ['cost'],
};

const wellFormed: Record<string, Record<string, unknown>> = {
  [channelName('system', 'info')]: {},
  [channelName('system', 'acknowledgeConsent')]: { consentId: 'a'.repeat(64) },
  [channelName('system', 'health')]: {},
  [channelName('markings', 'policy')]: {},
  [channelName('markings', 'check')]: { marking: 'UNCLASSIFIED' },
  [channelName('identity', 'status')]: {},
  [channelName('identity', 'login')]: { pin: '12345678' },
  [channelName('identity', 'recover')]: { recoverySecret: 'ABCD-EFGH' },
  [channelName('identity', 'lock')]: {},
  [channelName('identity', 'enroll')]: { serialNumber: '0123456789abcdef', role: 'analyst' },
  [channelName('identity', 'users')]: {},
  [channelName('identity', 'removeCard')]: { userId: 1 },
  [channelName('identity', 'setRole')]: { userId: 1, role: 'viewer' },
  [channelName('identity', 'setDisabled')]: { userId: 1, disabled: true },
  [channelName('trust', 'list')]: {},
  [channelName('trust', 'importAnchors')]: { files: [`file-${'0'.repeat(32)}`] },
  [channelName('trust', 'removeAnchor')]: { id: 1 },
  [channelName('trust', 'importCrls')]: { files: [`file-${'1'.repeat(32)}`] },
  [channelName('trust', 'removeCrl')]: { id: 1 },
  [channelName('audit', 'list')]: { limit: 50 },
  [channelName('audit', 'verify')]: {},
  [channelName('setup', 'begin')]: { siteName: 'Test site', systemHigh: 'SECRET' },
  [channelName('setup', 'confirm')]: { recoverySecret: 'ABCD-EFGH' },
  [channelName('setup', 'progress')]: {},
  [channelName('setup', 'finish')]: {},
  [channelName('setup', 'demoStatus')]: {},
  [channelName('setup', 'startDemo')]: {},
  [channelName('setup', 'demoCards')]: {},
  [channelName('setup', 'restore')]: { backup: `file-${'2'.repeat(32)}`, recoverySecret: 'ABCD-EFGH' },
  [channelName('audit', 'export')]: { format: 'jsonl', limit: 100 },
  [channelName('runs', 'authorize')]: {
    model: 'Cost model',
    marking: 'UNCLASSIFIED',
    iterations: 1000,
    seed: 1,
    sampling: 'mc',
  },
  [channelName('runs', 'save')]: {
    model: { id: 1, version: 1 },
    name: 'Base case',
    comment: 'For the board',
    seed: 1,
    sampling: 'mc',
    engine: 'cpu',
    engineDescription: 'CPU workers (2)',
    iterations: 1000,
    settings: { autoStop: null, engineChoice: 'auto' },
    results: { outputs: {}, sensitivity: {}, trace: {} },
    startedAt: '2026-12-02T10:00:00.000Z',
    finishedAt: '2026-12-02T10:00:01.000Z',
    samples: { iterations: 10, inputs: [], outputs: ['cost'] },
  },
  [channelName('runs', 'putSamples')]: { id: 1, page: 0, data: ['AAAA'] },
  [channelName('runs', 'completeSamples')]: { id: 1 },
  [channelName('runs', 'list')]: { model: 1 },
  [channelName('runs', 'open')]: { id: 1 },
  [channelName('runs', 'samples')]: { id: 1, page: 0 },
  [channelName('runs', 'delete')]: { id: 1 },
  [channelName('runs', 'recordExport')]: {
    model: 'Bridge cost',
    marking: 'UNCLASSIFIED',
    rows: 1000,
    columns: 8,
    fileName: 'bridge-cost-samples.csv',
  },
  // Only required fields: each one is taken away in turn and must be refused.
  [channelName('models', 'list')]: {},
  [channelName('models', 'create')]: { model: sampleModel },
  [channelName('models', 'open')]: { id: 1 },
  [channelName('models', 'save')]: { id: 1, model: sampleModel },
  [channelName('models', 'rename')]: { id: 1, name: 'Cost model 2' },
  [channelName('models', 'duplicate')]: { id: 1 },
  [channelName('models', 'delete')]: { id: 1 },
  [channelName('models', 'restore')]: { id: 1 },
  [channelName('models', 'versions')]: { id: 1 },
  [channelName('models', 'diff')]: { id: 1, from: 1, to: 2 },
  [channelName('models', 'restoreVersion')]: { id: 1, version: 1 },
  [channelName('models', 'share')]: { id: 1, grants: [{ grantee: { role: 'viewer' }, access: 'read' }] },
  [channelName('models', 'shareTargets')]: {},
  [channelName('models', 'importFile')]: { file: `file-${'4'.repeat(32)}` },
  [channelName('models', 'exportFile')]: { id: 1 },
  [channelName('reports', 'list')]: {},
  [channelName('reports', 'open')]: { id: 1 },
  [channelName('reports', 'check')]: { definition: sampleReport },
  [channelName('reports', 'save')]: {
    id: 1,
    definition: sampleReport,
    comment: 'For the board.',
    pdf: ['JVBERi0xLjcK'],
  },
  [channelName('reports', 'versions')]: { id: 1 },
  [channelName('reports', 'pdf')]: { id: 1, version: 1 },
  [channelName('reports', 'recordExport')]: { definition: sampleReport, format: 'xlsx', fileName: 'review.xlsx' },
  [channelName('reports', 'share')]: { id: 1, grants: [{ grantee: { user: 2 }, access: 'read' }] },
  [channelName('reports', 'delete')]: { id: 1 },
  [channelName('bundles', 'siteKey')]: {},
  [channelName('bundles', 'createSiteKey')]: {},
  [channelName('bundles', 'destinations')]: {},
  [channelName('bundles', 'preview')]: { picks: [{ kind: 'run', run: 1 }], destination: 'site9' },
  [channelName('bundles', 'export')]: {
    picks: [{ kind: 'model-version', model: 1, version: 1 }],
    destination: 'site9',
    pin: '12345678',
  },
  [channelName('bundles', 'receive')]: { files: [`file-${'5'.repeat(32)}`] },
  [channelName('bundles', 'quarantine')]: {},
  [channelName('bundles', 'release')]: { id: 1, note: 'reviewed by the ISSO' },
  [channelName('bundles', 'reject')]: { id: 1, note: 'not ours: wrong site' },
  [channelName('updates', 'root')]: {},
  [channelName('updates', 'trustRoot')]: { file: `file-${'6'.repeat(32)}` },
  [channelName('updates', 'inspect')]: { file: `file-${'7'.repeat(32)}` },
  [channelName('updates', 'apply')]: {
    file: `file-${'8'.repeat(32)}`,
    confirmLockout: false,
    reviewedSha256: 'a'.repeat(64),
  },
  [channelName('updates', 'history')]: {},
  [channelName('vault', 'status')]: {},
  [channelName('vault', 'verify')]: {},
  [channelName('vault', 'backup')]: { destination: '/srv/enclave-backups/backup.db', ownSecret: false },
  [channelName('vault', 'restore')]: { backup: `file-${'3'.repeat(32)}`, recoverySecret: 'ABCD-EFGH' },
  [channelName('vault', 'rotateKey')]: { recoverySecret: 'ABCD-EFGH' },
};

let t: TestServices;
/** Signed in as the recovery administrator: every channel's role check passes, so its schema is what refuses. */
let admin: TestServices;
let secret = '';
beforeAll(async () => {
  t = await startTestServices();
  admin = await startTestServices();
  await acknowledgeConsent(admin);
  secret = await setUpStore(admin);
});
afterAll(async () => {
  await t.close();
  await admin.close();
});

/** A well-formed identity.lock does lock: sign in again for the channels after it. */
async function stayUnlocked() {
  const status = await admin.dispatch('enclave:identity.status', {});
  if (status.ok && !(status.value as { unlocked: boolean }).unlocked)
    await admin.dispatch('enclave:identity.recover', { recoverySecret: secret });
}

function expectInvalid(result: IpcResult<unknown>) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('INVALID_ARGUMENT');
  expect(IpcErrorSchema.safeParse(result.error).success).toBe(true);
  // Typed errors, no stack traces.
  expect(JSON.stringify(result.error)).not.toMatch(/\n\s+at |\.ts:\d+|\.cjs:\d+/);
}

describe('IPC contract', () => {
  it('has a well-formed sample for every channel', () => {
    expect(Object.keys(wellFormed).sort()).toEqual(
      listChannels()
        .map((c) => c.name)
        .sort(),
    );
  });

  it('exposes exactly one named function per channel on the bridge, and nothing generic', () => {
    const calls: string[] = [];
    const cancelled: string[] = [];
    const bridge = makeBridge({
      call: async (channel) => {
        calls.push(channel);
        return { ok: true, value: null };
      },
      cancel: (callId) => cancelled.push(callId),
      subscribe: () => () => {},
    });
    const namespaces = Object.keys(bridge).filter((key) => !(BRIDGE_EXTRAS as readonly string[]).includes(key));
    const exposed = namespaces.flatMap((ns) =>
      Object.keys((bridge as unknown as Record<string, object>)[ns] ?? {}).map((m) => channelName(ns, m)),
    );
    expect(exposed.sort()).toEqual(
      listChannels()
        .map((c) => c.name)
        .sort(),
    );
    // Besides the channels: cancel by call id, events, and (under Electron only) the file dialog; none takes a channel.
    expect(
      Object.keys(bridge)
        .filter((key) => !namespaces.includes(key))
        .sort(),
    ).toEqual([...BRIDGE_EXTRAS].sort());
    expect(Object.keys(contract).some((ns) => (BRIDGE_EXTRAS as readonly string[]).includes(ns))).toBe(false);
    expect(Object.keys(bridge.events)).toEqual(['subscribe']);
    expect(bridge.files.choose).toBeUndefined();
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.system)).toBe(true);
    expect('invoke' in bridge).toBe(false);
    void bridge.system.health();
    bridge.cancel('call-12345678');
    expect(calls).toEqual(['enclave:system.health']);
    expect(cancelled).toEqual(['call-12345678']);
  });

  it('passes on only events that match their schema', () => {
    const listeners: ((event: unknown) => void)[] = [];
    const bridge = makeBridge({
      call: async () => ({ ok: true, value: null }),
      cancel: () => {},
      subscribe: (listener) => {
        listeners.push(listener);
        return () => {};
      },
    });
    const heard: unknown[] = [];
    bridge.events.subscribe((event) => heard.push(event));
    for (const raw of [
      { name: 'identity.changed', payload: { unlocked: false } },
      { name: 'identity.changed', payload: { unlocked: 'no' } },
      { name: 'identity.changed', payload: { unlocked: true, admin: true } },
      { name: 'shell.exec', payload: {} },
      'identity.changed',
      null,
    ])
      listeners[0]?.(raw);
    expect(heard).toEqual([{ name: 'identity.changed', payload: { unlocked: false } }]);
  });

  it('refuses unknown channels', async () => {
    const result = await t.dispatch('enclave:system.shutdown', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  for (const channel of listChannels()) {
    describe(channel.name, () => {
      const sample = () => wellFormed[channel.name] ?? {};

      it('accepts its well-formed request (the schema passes it)', async () => {
        const result = await admin.dispatch(channel.name, sample());
        // The service ran: it may refuse what the sample names (no user 1, no such file), but not its shape.
        if (!result.ok) expect(result.error.message).not.toMatch(/the request is invalid|not plain JSON|the limit is/);
        await stayUnlocked();
      });

      it.each([null, 42, 'text', true, [], [sample()]])('refuses a non-object request (%j)', async (payload) => {
        expectInvalid(await admin.dispatch(channel.name, payload));
      });

      it('refuses extra fields', async () => {
        const result = await admin.dispatch(channel.name, { ...sample(), isAdmin: true });
        expectInvalid(result);
        if (!result.ok)
          expect(result.error.issues?.some((i) => /isAdmin|unrecognized/i.test(`${i.path} ${i.message}`))).toBe(true);
      });

      it('refuses a request over the size limit', async () => {
        const result = await admin.dispatch(channel.name, {
          ...sample(),
          padding: 'x'.repeat(maxRequestBytesOf(channel.spec) + 1),
        });
        expectInvalid(result);
        if (!result.ok) expect(result.error.message).toMatch(/limit/);
      });

      it('refuses values that are not plain JSON data', async () => {
        expectInvalid(await admin.dispatch(channel.name, { ...sample(), n: 10n }));
      });

      for (const [field, value] of Object.entries(sample())) {
        it(`refuses a wrong type for "${field}"`, async () => {
          // null is a wrong type only where the field is not nullable (reports.save's id: null is a new report).
          const shape = (channel.spec.request as unknown as { shape?: Record<string, z.ZodType> }).shape;
          const nullable = shape?.[field]?.safeParse(null).success === true;
          const wrongs = [typeof value === 'string' ? 12345 : 'text', null, { nested: value }, [value]];
          for (const wrong of wrongs.filter((w) => w !== null || !nullable)) {
            const result = await admin.dispatch(channel.name, { ...sample(), [field]: wrong });
            expectInvalid(result);
            if (!result.ok) expect(result.error.issues?.[0]?.path.split('.')[0]).toBe(field); // an array field may name its element
          }
        });

        it(`refuses a missing "${field}"`, async () => {
          const rest = { ...sample() };
          delete rest[field];
          expectInvalid(await admin.dispatch(channel.name, rest));
        });

        if (typeof value === 'string') {
          it(`refuses an oversized string in "${field}"`, async () => {
            expectInvalid(await admin.dispatch(channel.name, { ...sample(), [field]: value.repeat(200) }));
            expectInvalid(
              await admin.dispatch(channel.name, { ...sample(), [field]: 'a'.repeat(MAX_REQUEST_BYTES * 2) }),
            );
          });
        }
      }
    });
  }
});

describe('system service through the dispatcher', () => {
  it('returns version, site and consent text', async () => {
    const result = await t.dispatch('enclave:system.info', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      app: { name: 'Enclave', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
      site: { name: 'Enclave Workstation', systemHigh: 'UNCLASSIFIED', bannerLevel: 'UNCLASSIFIED' },
      demo: false,
      consent: { id: expect.stringMatching(/^[0-9a-f]{64}$/), acknowledgedAt: null },
    });
    expect((result.value as { consent: { text: string } }).consent.text).toMatch(
      /U\.S\. Government \(USG\) Information System/,
    );
  });

  it('refuses health until consent is acknowledged, then answers', async () => {
    const fresh = await startTestServices();
    try {
      expect(await fresh.dispatch('enclave:system.health', {})).toMatchObject({
        ok: false,
        error: { code: 'CONSENT_REQUIRED' },
      });
      const wrongId = await fresh.dispatch('enclave:system.acknowledgeConsent', { consentId: 'f'.repeat(64) });
      expect(wrongId).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
      expect(await fresh.dispatch('enclave:system.health', {})).toMatchObject({
        ok: false,
        error: { code: 'CONSENT_REQUIRED' },
      });

      const info = await fresh.dispatch('enclave:system.info', {});
      const consentId = info.ok ? (info.value as { consent: { id: string } }).consent.id : '';
      const ack = await fresh.dispatch('enclave:system.acknowledgeConsent', { consentId });
      expect(ack).toMatchObject({ ok: true, value: { acknowledgedAt: expect.any(String) } });

      const health = await fresh.dispatch('enclave:system.health', {});
      expect(health.ok).toBe(true);
      if (!health.ok) return;
      const checks = (health.value as { checks: { name: string; ok: boolean }[] }).checks;
      expect(checks.map((c) => c.name)).toEqual([
        'service-worker',
        'data-directory',
        'encrypted-store-engine',
        'encrypted-store',
        'site-config',
      ]);
      expect(checks.every((c) => c.ok)).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('runs the services off the calling thread', async () => {
    const fresh = await startTestServices();
    try {
      const info = await fresh.dispatch('enclave:system.info', {});
      const consentId = info.ok ? (info.value as { consent: { id: string } }).consent.id : '';
      await fresh.dispatch('enclave:system.acknowledgeConsent', { consentId });
      const health = await fresh.dispatch('enclave:system.health', {});
      const worker = health.ok ? (health.value as { checks: { name: string; detail: string }[] }).checks[0] : undefined;
      const { threadId } = await import('node:worker_threads');
      expect(worker?.detail).toMatch(/^thread \d+/);
      expect(worker?.detail).not.toMatch(new RegExp(`^thread ${threadId},`));
    } finally {
      await fresh.close();
    }
  });
});
