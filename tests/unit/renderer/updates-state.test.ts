import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  UpdateHistoryEntrySchema,
  UpdateInspectionSchema,
  UpdateRootSchema,
} from '../../../common/ipc/channels/updates';
import type { IpcError } from '../../../common/ipc/result';
import { handOverAgain } from '../../../renderer/features/updates/ChooseUpdateFile';
import { mayApply, useUpdatesState } from '../../../renderer/state/updates-state';
import { forgetSignedInState } from '../../../renderer/state/signed-in';
import { chosen, fakeService, history, inspection, LOCKOUT, root } from './update-fixtures';

// The Updates page's state against a fake updates service (every call recorded): the root, the
// review of a bundle, Apply held behind the lock-out box, the file handed over again, refusals kept
// in the service's words.

const service = fakeService();
const { calls, handlers } = service;

beforeAll(() => vi.stubGlobal('window', { enclave: service.bridge }));
afterAll(() => vi.unstubAllGlobals());
beforeEach(() => {
  calls.length = 0;
  service.dialogAnswers.length = 0;
  for (const name of Object.keys(handlers)) delete handlers[name];
  handlers['updates.root'] = () => ({ ok: true, value: { root } });
  handlers['updates.history'] = () => ({ ok: true, value: { updates: history } });
  handlers['updates.inspect'] = () => ({ ok: true, value: inspection() });
  useUpdatesState.setState(useUpdatesState.getInitialState(), true);
});

const state = () => useUpdatesState.getState();

it('the fixtures are answers the contract allows', () => {
  expect(() => UpdateRootSchema.parse(root)).not.toThrow();
  expect(() => UpdateInspectionSchema.parse(inspection(LOCKOUT))).not.toThrow();
  for (const entry of history) expect(() => UpdateHistoryEntrySchema.parse(entry)).not.toThrow();
});

describe('updates state', () => {
  it('reads the root and the history; no root is null, not "still reading"', async () => {
    handlers['updates.root'] = () => ({ ok: true, value: { root: null } });
    expect(state().root).toBeUndefined();
    await state().load();
    expect(state()).toMatchObject({ root: null, history, rootProblem: null, historyProblem: null });
  });

  it('trusts a first root with the chosen file, and keeps a refusal in the service’s words', async () => {
    handlers['updates.trustRoot'] = () => ({ ok: true, value: { root } });
    expect(await state().trustRoot(chosen(1, 'root.json', 1500))).toBe(true);
    expect(calls.at(-1)).toEqual({ channel: 'updates.trustRoot', request: { file: chosen(1).handle } });
    expect(state().root).toEqual(root);

    const refusal: IpcError = {
      code: 'FAILED_PRECONDITION',
      message: 'An update root is already trusted; it is never replaced.',
    };
    handlers['updates.trustRoot'] = () => ({ ok: false, error: refusal });
    expect(await state().trustRoot(chosen(2, 'root.json', 1500))).toBe(false);
    expect(state()).toMatchObject({ root, rootProblem: refusal, busy: null });
  });

  it('keeps the inspection with the file it came from, and a refused bundle with every issue and no review', async () => {
    expect(await state().inspect(chosen(3), null)).toBe(true);
    expect(calls.at(-1)).toEqual({ channel: 'updates.inspect', request: { file: chosen(3).handle } });
    expect(state().reviewed).toEqual({
      name: 'update-2026-12.tar',
      size: 40960,
      inspection: inspection(),
      source: null,
    });

    const issues = [{ path: 'metadata/timestamp.json', message: 'version 5 is older than the trusted version 6' }];
    handlers['updates.inspect'] = () => ({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: 'The update bundle was refused: a rollback.', issues },
    });
    expect(await state().inspect(chosen(4), null)).toBe(false);
    expect(state()).toMatchObject({
      reviewed: null,
      busy: null,
      inspectProblem: { message: 'The update bundle was refused: a rollback.', issues },
    });
  });

  it('holds Apply behind the lock-out box: no call until it is ticked, then confirmLockout is sent', async () => {
    handlers['updates.inspect'] = () => ({ ok: true, value: inspection(LOCKOUT) });
    handlers['updates.apply'] = () => ({ ok: true, value: { id: 3, inspection: inspection(LOCKOUT) } });
    await state().inspect(chosen(5), null);
    expect(mayApply(state())).toBe(false);
    expect(await state().apply(chosen(6))).toBe(false);
    expect(calls.some((c) => c.channel === 'updates.apply')).toBe(false);

    state().understandLockout(true);
    expect(mayApply(state())).toBe(true);
    expect(await state().apply(chosen(6))).toBe(true);
    expect(calls.find((c) => c.channel === 'updates.apply')?.request).toEqual({
      file: chosen(6).handle,
      confirmLockout: true,
      reviewedSha256: '9'.repeat(64),
    });
  });

  it('forgets the ticked box with a new inspection and on lock', async () => {
    handlers['updates.inspect'] = () => ({ ok: true, value: inspection(LOCKOUT) });
    await state().inspect(chosen(7), null);
    state().understandLockout(true);
    await state().inspect(chosen(8), null);
    expect(state().lockoutUnderstood).toBe(false);
    state().understandLockout(true);
    forgetSignedInState();
    expect(state()).toMatchObject({ lockoutUnderstood: false, reviewed: null, root: undefined, history: null });
  });

  it('applies without a lock-out as confirmLockout false, shows update #id, ends the review and reads root and history again', async () => {
    handlers['updates.apply'] = () => ({ ok: true, value: { id: 3, inspection: inspection() } });
    await state().inspect(chosen(9), null);
    expect(mayApply(state())).toBe(true);
    calls.length = 0;
    expect(await state().apply(chosen(10))).toBe(true);
    expect(calls.map((c) => c.channel).sort()).toEqual(['updates.apply', 'updates.history', 'updates.root']);
    expect(calls[0]!.request).toEqual({
      file: chosen(10).handle,
      confirmLockout: false,
      reviewedSha256: '9'.repeat(64),
    });
    expect(state()).toMatchObject({ applied: { id: 3 }, reviewed: null, busy: null, applyProblem: null });
  });

  it('refuses, without calling the service, a file that is not the one reviewed', async () => {
    await state().inspect(chosen(11), null);
    expect(await state().apply(chosen(12, 'update-2027-01.tar', 40960))).toBe(false);
    expect(await state().apply(chosen(12, 'update-2026-12.tar', 99))).toBe(false);
    expect(calls.some((c) => c.channel === 'updates.apply')).toBe(false);
    expect(state().applyProblem?.message).toBe(
      'That is not the bundle you reviewed: you chose update-2026-12.tar (99 bytes), the review is of update-2026-12.tar (40960 bytes). Nothing was applied.',
    );
    expect(state().reviewed).not.toBeNull();
  });

  it('keeps the review when the apply is refused, with the service’s reason', async () => {
    const refusal: IpcError = {
      code: 'FAILED_PRECONDITION',
      message: 'The update was not applied: the snapshot expired.',
    };
    handlers['updates.apply'] = () => ({ ok: false, error: refusal });
    await state().inspect(chosen(13), null);
    expect(await state().apply(chosen(14))).toBe(false);
    expect(state()).toMatchObject({ applyProblem: refusal, applied: null, busy: null });
    expect(state().reviewed?.name).toBe('update-2026-12.tar');
  });
});

describe('handing the bundle over again (Electron: the dialog)', () => {
  it('asks the dialog for an update file and takes the one chosen; a cancel is nothing', async () => {
    service.dialogAnswers.push([chosen(20)]);
    expect(await handOverAgain(null)).toEqual({ ok: true, value: chosen(20) });
    expect(calls.at(-1)).toEqual({ channel: 'files.choose', request: { purpose: 'updates', multiple: true } });
    expect(await handOverAgain(null)).toEqual({ ok: true, value: null });
  });

  it('refuses two files in words', async () => {
    service.dialogAnswers.push([chosen(21), chosen(22, 'other.tar')]);
    expect(await handOverAgain(null)).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: 'Choose one file: 2 were chosen.' },
    });
  });
});
