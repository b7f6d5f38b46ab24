import { create, type StateCreator, type StoreApi, type UseBoundStore } from 'zustand';

interface Registered {
  name: string;
  state: StoreApi<object>;
  initial: object;
  onForget?: () => void;
}

const registered: Registered[] = [];

export interface SignedInOptions {
  /**
   * Runs before the state is put back: for what lives beside it in its module (a request counter
   * that drops late answers, an abort controller of a run in progress).
   */
  onForget?(): void;
}

/**
 * A zustand state that holds a signed-in user's data, created as `create<T>()(initializer)` would,
 * and registered: forgetSignedInState() puts it back to its initial state (functions included) when
 * the session locks or the signed-in user changes. Every state of a user's data is made with this,
 * so none can be forgotten on lock (tests/unit/renderer/signed-in-state.test.ts checks each one).
 */
export function signedInState<T extends object>(
  name: string,
  initializer: StateCreator<T, [], []>,
  options: SignedInOptions = {},
): UseBoundStore<StoreApi<T>> {
  if (registered.some((r) => r.name === name)) throw new Error(`Two signed-in states are named ${name}.`);
  const state = create<T>()(initializer);
  registered.push({
    name,
    state: state as unknown as StoreApi<object>,
    initial: state.getState(),
    ...(options.onForget ? { onForget: options.onForget } : {}),
  });
  return state;
}

/**
 * Forgets every signed-in state: called by the login state (login-state.ts) when the session locks,
 * the user signs out, or another user is signed in. Nothing of the last session's data is kept.
 */
export function forgetSignedInState(): void {
  for (const { state, initial, onForget } of registered) {
    onForget?.();
    state.setState(initial, true);
  }
}

/** Whether `state` (a zustand hook or store) was made with signedInState. */
export function isSignedInState(state: unknown): boolean {
  return registered.some((r) => r.state === state);
}

/** The names of the signed-in states, in the order they were made. */
export function signedInStateNames(): string[] {
  return registered.map((r) => r.name);
}
