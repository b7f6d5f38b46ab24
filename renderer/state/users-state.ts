import type { ResponseOf } from '../../common/ipc/contract';
import type { IpcError, IpcResult } from '../../common/ipc/result';
import type { Role } from '../../common/access/roles';
import { getBridge } from '../ipc/bridge';
import { signedInState } from './signed-in';

export type User = ResponseOf<'identity', 'users'>['users'][number];

export interface UsersState {
  users: User[] | null;
  /** The last failure (list or change), as the service said it. */
  problem: IpcError | null;
  /** What the last change did, in plain words. */
  notice: string | null;
  /** The user being changed (or 'enroll'), while the call is out. */
  busy: number | 'enroll' | null;
  load(): Promise<void>;
  enroll(serialNumber: string, role: Role): Promise<boolean>;
  setRole(user: User, role: Role): Promise<boolean>;
  setDisabled(user: User, disabled: boolean): Promise<boolean>;
  removeCard(user: User): Promise<boolean>;
}

/**
 * Users and card enrolments (identity.users, enroll, setRole, setDisabled, removeCard). The service
 * decides who may do what, and refuses the last administrator's demotion; this state mirrors the
 * list and the outcome of the last change. Forgotten on lock.
 */
export const useUsersState = signedInState<UsersState>('users', (set, get) => {
  /** One change: the call, then the list again (the service's word on what it now is). */
  async function change<T>(
    busy: number | 'enroll',
    call: () => Promise<IpcResult<T>>,
    describe: (value: T) => string,
  ): Promise<boolean> {
    if (get().busy !== null) return false;
    set({ busy, problem: null, notice: null });
    const result = await call();
    await get().load();
    if (result.ok) set({ notice: describe(result.value) });
    else set({ problem: result.error });
    set({ busy: null });
    return result.ok;
  }

  return {
    users: null,
    problem: null,
    notice: null,
    busy: null,

    async load() {
      const result = await getBridge().identity.users();
      if (result.ok) set({ users: result.value.users });
      else set({ problem: result.error });
    },

    enroll(serialNumber, role) {
      return change(
        'enroll',
        () => getBridge().identity.enroll({ serialNumber, role }),
        (value) => {
          const user = get().users?.find((u) => u.id === value.userId);
          const name = user?.displayName ?? `user ${value.userId}`;
          return value.created
            ? `Enrolled the card: ${name} was added as ${role}.`
            : `Enrolled the card for ${name}, now ${role}.`;
        },
      );
    },

    setRole(user, role) {
      return change(
        user.id,
        () => getBridge().identity.setRole({ userId: user.id, role }),
        (value) => `${value.user.displayName} is now ${value.user.role}.`,
      );
    },

    setDisabled(user, disabled) {
      return change(
        user.id,
        () => getBridge().identity.setDisabled({ userId: user.id, disabled }),
        (value) =>
          value.user.disabledAt
            ? `${value.user.displayName} is disabled: their card is refused at sign-in.`
            : `${value.user.displayName} is enabled again.`,
      );
    },

    removeCard(user) {
      return change(
        user.id,
        () => getBridge().identity.removeCard({ userId: user.id }),
        (value) =>
          value.removed.length > 0
            ? `Removed ${value.removed.length === 1 ? 'the card' : `${value.removed.length} cards`} of ${user.displayName}: it no longer opens this workstation.`
            : `${user.displayName} had no enrolled card.`,
      );
    },
  };
});
