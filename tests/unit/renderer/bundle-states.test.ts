import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeBridge } from '../../../common/ipc/bridge';
import type { IpcResult } from '../../../common/ipc/result';
import { useBundleExportState } from '../../../renderer/state/bundle-export-state';
import { useQuarantineState } from '../../../renderer/state/quarantine-state';

// The bundle states against a fake service (every call recorded): the export's picks, destination
// and preview (a late answer dropped), the PIN sent once and kept nowhere; the quarantine's review.

type Handler = (request: Record<string, unknown>) => Promise<IpcResult<unknown>> | IpcResult<unknown>;
const calls: { channel: string; request: Record<string, unknown> }[] = [];
let handlers: Record<string, Handler> = {};
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
};

const destination = (name: string) => ({
  name,
  channel: `to-${name}`,
  highest: 'S',
  sci: [],
  sap: [],
  relTo: [],
  noforn: true,
  aea: false,
});
const previewOf = (name: string, ok = true) => ({
  destination: name,
  banner: 'SECRET//NOFORN',
  ok,
  records: [],
});
const exported = {
  bundleId: '0b8f5a52-4d3c-4f8e-9a51-3c2f3c1b8e01',
  fileName: 'enclave-to-site9-000001.tar',
  path: '/data/outbox/enclave-to-site9-000001.tar',
  parts: 1,
  bytes: 20480,
  fileSha256: 'a'.repeat(64),
  bundleHash: 'b'.repeat(128),
  channel: 'to-site9',
  sequence: 1,
  banner: 'SECRET//NOFORN',
  records: 2,
};
const PIN = '24681357';

beforeAll(() => vi.stubGlobal('window', { enclave: makeBridge(transport) }));
afterAll(() => vi.unstubAllGlobals());
beforeEach(() => {
  calls.length = 0;
  handlers = {
    'bundles.destinations': () => ({
      ok: true,
      value: { network: 'SIPRNet-7', destinations: [destination('site9'), destination('low')] },
    }),
    'bundles.preview': (request) => ({ ok: true, value: previewOf(request.destination as string) }),
  };
  useBundleExportState.setState(useBundleExportState.getInitialState(), true);
  useQuarantineState.setState(useQuarantineState.getInitialState(), true);
});

describe('bundle export state', () => {
  it('starts from one pick, takes the first destination, and previews the picks for it', async () => {
    const state = useBundleExportState.getState();
    state.begin({ kind: 'run', run: 3 }, 'run “Baseline”');
    await state.loadDestinations();
    expect(useBundleExportState.getState()).toMatchObject({ network: 'SIPRNet-7', destination: 'site9' });
    expect(calls.at(-1)).toEqual({
      channel: 'bundles.preview',
      request: { picks: [{ kind: 'run', run: 3 }], destination: 'site9' },
    });
    expect(useBundleExportState.getState().preview).toEqual(previewOf('site9'));
  });

  it('adds a record once, removes it, and previews again each time', async () => {
    const state = useBundleExportState.getState();
    state.begin({ kind: 'model-version', model: 1, version: 2 }, 'model v2');
    await state.loadDestinations();
    state.add({ kind: 'run', run: 3 }, 'run 3');
    state.add({ kind: 'run', run: 3 }, 'run 3 again');
    state.add({ kind: 'report', report: 1, version: 2 }, 'report v2');
    expect(useBundleExportState.getState().picks.map((p) => p.label)).toEqual(['model v2', 'run 3', 'report v2']);
    state.remove({ kind: 'model-version', model: 1, version: 2 });
    expect(useBundleExportState.getState().picks.map((p) => p.label)).toEqual(['run 3', 'report v2']);
    await vi.waitFor(() =>
      expect(calls.at(-1)?.request).toEqual({
        picks: [
          { kind: 'run', run: 3 },
          { kind: 'report', report: 1, version: 2 },
        ],
        destination: 'site9',
      }),
    );
  });

  it('drops a preview answer that comes after the destination changed', async () => {
    let answerSite9: (value: IpcResult<unknown>) => void = () => {};
    const state = useBundleExportState.getState();
    state.begin({ kind: 'run', run: 3 }, 'run 3');
    await state.loadDestinations();
    handlers['bundles.preview'] = (request) =>
      request.destination === 'site9'
        ? new Promise((resolve) => (answerSite9 = resolve))
        : { ok: true, value: previewOf('low', false) };
    const slow = state.refreshPreview();
    state.setDestination('low');
    await vi.waitFor(() => expect(useBundleExportState.getState().preview?.destination).toBe('low'));
    answerSite9({ ok: true, value: previewOf('site9') });
    await slow;
    expect(useBundleExportState.getState().preview).toEqual(previewOf('low', false));
  });

  it('sends the PIN in the one export call and keeps it nowhere; a part size only when given', async () => {
    handlers['bundles.export'] = () => ({ ok: true, value: exported });
    const state = useBundleExportState.getState();
    state.begin({ kind: 'run', run: 3 }, 'run 3');
    await state.loadDestinations();
    expect(await state.exportBundle(PIN, null)).toBe(true);
    expect(calls.at(-1)).toEqual({
      channel: 'bundles.export',
      request: { picks: [{ kind: 'run', run: 3 }], destination: 'site9', pin: PIN },
    });
    expect(useBundleExportState.getState().result).toEqual(exported);
    expect(JSON.stringify(useBundleExportState.getState())).not.toContain(PIN);
    await state.exportBundle(PIN, 650);
    expect(calls.at(-1)?.request).toMatchObject({ partMiB: 650 });
  });

  it('keeps a refusal as the service words it, every issue with it, and no result', async () => {
    const issues = [
      { path: 'model "Bridge cost" version 1', message: 'NOFORN information may not go to destination low' },
    ];
    handlers['bundles.export'] = () => ({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'A record may not go to low.', issues },
    });
    const state = useBundleExportState.getState();
    state.begin({ kind: 'run', run: 3 }, 'run 3');
    await state.loadDestinations();
    expect(await state.exportBundle(PIN, null)).toBe(false);
    expect(useBundleExportState.getState()).toMatchObject({
      exporting: false,
      result: null,
      exportProblem: { code: 'FORBIDDEN', message: 'A record may not go to low.', issues },
    });
    expect(JSON.stringify(useBundleExportState.getState())).not.toContain(PIN);
  });
});

describe('quarantine state', () => {
  it('releases with the note, says how many records were applied, and reads the list again', async () => {
    handlers['bundles.release'] = () => ({ ok: true, value: { bundleId: 'x', applied: 1, already: 2 } });
    handlers['bundles.quarantine'] = () => ({ ok: true, value: { bundles: [] } });
    expect(await useQuarantineState.getState().release(7, 'checked')).toBe(true);
    expect(calls.map((c) => c.channel)).toEqual(['bundles.release', 'bundles.quarantine']);
    expect(calls[0]!.request).toEqual({ id: 7, note: 'checked' });
    expect(useQuarantineState.getState()).toMatchObject({
      busy: null,
      bundles: [],
      outcome: { id: 7, text: 'Released: 1 record imported, 2 records already here.' },
    });
  });

  it('keeps a receipt refused with every issue, and a review refused against its bundle', async () => {
    const issues = [{ path: 'payload: data/records/x.json', message: 'does not match its hash' }];
    handlers['bundles.receive'] = () => ({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: 'The bundle was refused.', issues },
    });
    handlers['bundles.reject'] = () => ({ ok: false, error: { code: 'FAILED_PRECONDITION', message: 'Not waiting.' } });
    handlers['bundles.quarantine'] = () => ({ ok: true, value: { bundles: [] } });
    expect(await useQuarantineState.getState().receive(['file-' + '0'.repeat(32)])).toBe(false);
    expect(useQuarantineState.getState().receiveProblem).toMatchObject({ issues });
    expect(await useQuarantineState.getState().reject(4, '')).toBe(false);
    expect(useQuarantineState.getState()).toMatchObject({
      outcome: null,
      reviewProblem: { id: 4, error: { message: 'Not waiting.' } },
    });
  });
});
