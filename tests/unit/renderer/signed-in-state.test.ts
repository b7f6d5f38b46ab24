import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeBridge } from '../../../common/ipc/bridge';
import type { ResponseOf } from '../../../common/ipc/contract';
import type { IpcResult } from '../../../common/ipc/result';
import { isSignedInState, signedInStateNames } from '../../../renderer/state/signed-in';
import { useLoginState } from '../../../renderer/state/login-state';

// Every state module of the renderer (and the router's route), loaded as the app loads them.
const modules = {
  ...import.meta.glob<Record<string, unknown>>('../../../renderer/state/*.ts', { eager: true }),
  ...import.meta.glob<Record<string, unknown>>('../../../renderer/app/router.ts', { eager: true }),
};

/**
 * The zustand states that hold no signed-in user's data, and why. Any other state must be made with
 * signedInState, so that a lock forgets it: a state added later is either registered or named here.
 */
const NOT_USER_DATA: Record<string, string> = {
  'state/login-state.ts:useLoginState':
    'the login session itself: it mirrors identity.status and drives the forgetting',
  'state/system-state.ts:useSystemState':
    'the site, its banner and health: the same for every user, shown before sign-in',
  'state/consent-state.ts:useConsentState': 'the workstation’s notice-and-consent acknowledgement, before sign-in',
  'state/gpu-state.ts:useGpuState': 'the WebGPU adapter probe: a fact about the machine',
  'state/marking-state.ts:useMarkingPolicyState':
    'the site’s marking policy and system high (markings.policy is public)',
};

interface ZustandHook {
  getState(): Record<string, unknown>;
  setState(partial: Record<string, unknown>, replace?: false): void;
  subscribe(listener: () => void): () => void;
}

const isZustand = (value: unknown): value is ZustandHook =>
  typeof value === 'function' && 'getState' in value && 'setState' in value && 'subscribe' in value;

/** Every zustand state exported by the modules, as `state/file.ts:export`. */
const states = Object.entries(modules).flatMap(([path, exports]) =>
  Object.entries(exports)
    .filter((entry): entry is [string, ZustandHook] => isZustand(entry[1]))
    .map(([name, state]) => ({ id: `${path.replace(/^.*renderer\//, '')}:${name}`, state })),
);
const signedIn = states.filter(({ state }) => isSignedInState(state));

type Status = ResponseOf<'identity', 'status'>;
const NO_CARD = { state: 'no-card', message: 'Insert your card' } as const;
const signedOut: Status = {
  card: NO_CARD,
  setUp: true,
  unlocked: false,
  user: null,
  lastLock: null,
  lastUnlockMs: null,
};
const unlockedAs = (id: number | null, displayName: string, role: 'viewer' | 'analyst' | 'admin'): Status => ({
  ...signedOut,
  unlocked: true,
  user: { id, displayName, role },
  lastUnlockMs: 120,
});
const lockedStatus: Status = {
  ...signedOut,
  lastLock: { reason: 'manual', at: '2026-01-01T00:00:00.000Z', detail: 'Locked by the user.' },
};

/** The status the fake service answers identity.status with; every other call is refused. */
let status: Status = signedOut;
const transport = {
  call: async (channel: string): Promise<IpcResult<unknown>> =>
    channel === 'enclave:identity.status'
      ? { ok: true, value: status }
      : { ok: false, error: { code: 'UNAVAILABLE', message: `not in this test: ${channel}` } },
  cancel: () => {},
  subscribe: () => () => {},
};

/** The service's session is now `next`; the login state reads it, as its poll would. */
async function serviceSays(next: Status) {
  status = next;
  await useLoginState.getState().refresh();
}

/** Puts a value no initial state has into every field of every signed-in state that is not a function. */
function fillAll() {
  for (const { id, state } of signedIn) {
    const fields = Object.entries(state.getState()).filter(([, value]) => typeof value !== 'function');
    expect(fields.length, `${id} holds no data`).toBeGreaterThan(0);
    state.setState(Object.fromEntries(fields.map(([key]) => [key, { filledBy: 'the test', key }])));
    expect(state.getState(), id).not.toEqual(initial.get(id));
  }
}

const initial = new Map<string, Record<string, unknown>>();

beforeAll(() => {
  vi.stubGlobal('window', { enclave: makeBridge(transport) });
  for (const { id, state } of signedIn) initial.set(id, state.getState());
});

afterAll(() => {
  useLoginState.getState().stop();
  vi.unstubAllGlobals();
});

beforeEach(async () => {
  await serviceSays(signedOut);
});

describe('signed-in states', () => {
  it('every state in renderer/state holding user data is registered; the others say why they hold none', () => {
    expect(states.length).toBeGreaterThan(5);
    const unregistered = states.filter(({ state }) => !isSignedInState(state)).map(({ id }) => id);
    expect(unregistered.sort()).toEqual(Object.keys(NOT_USER_DATA).sort());
    // The ones that hold a user's work, by name (a rename shows here).
    expect(signedInStateNames().sort()).toEqual([
      'audit',
      'bundle-export',
      'editor',
      'library',
      'marking-draft',
      'open-model',
      'quarantine',
      'report-builder',
      'reports',
      'route',
      'run',
      'saved-runs',
      'setup',
      'trust',
      'updates',
      'users',
    ]);
    expect(signedIn).toHaveLength(signedInStateNames().length);
  });

  it('a lock puts every signed-in state back to its initial state', async () => {
    await serviceSays(unlockedAs(7, 'Analyst One', 'analyst'));
    fillAll();
    await serviceSays(lockedStatus);
    expect(useLoginState.getState().phase).toBe('locked');
    for (const { id, state } of signedIn) expect(state.getState(), id).toEqual(initial.get(id));
  });

  it('signing out, and the poll failing shut, forget them too', async () => {
    await serviceSays(unlockedAs(7, 'Analyst One', 'analyst'));
    fillAll();
    await serviceSays(signedOut);
    for (const { id, state } of signedIn) expect(state.getState(), id).toEqual(initial.get(id));
  });

  it('another user signed in forgets the last one’s data', async () => {
    await serviceSays(unlockedAs(7, 'Analyst One', 'analyst'));
    fillAll();
    await serviceSays(unlockedAs(8, 'Admin Two', 'admin'));
    expect(useLoginState.getState().phase).toBe('unlocked');
    for (const { id, state } of signedIn) expect(state.getState(), id).toEqual(initial.get(id));
  });

  it('polls while signed in, and first-run setup signing in with the recovery secret, keep them', async () => {
    await serviceSays(unlockedAs(7, 'Analyst One', 'analyst'));
    fillAll();
    await serviceSays(unlockedAs(7, 'Analyst One', 'analyst'));
    for (const { id, state } of signedIn) expect(state.getState(), id).not.toEqual(initial.get(id));

    // The wizard's (a) and (b) run before anyone is signed in; confirming the secret signs in as admin.
    await serviceSays(lockedStatus);
    await serviceSays({ ...signedOut, setUp: false });
    fillAll();
    await serviceSays({ ...unlockedAs(null, 'Recovery secret', 'admin'), setUp: true });
    for (const { id, state } of signedIn) expect(state.getState(), id).not.toEqual(initial.get(id));
  });
});
