import { roleAllows, type Role } from '../../../common/access/roles';
import type { ModelSummary } from '../../state/library-state';

/**
 * What the library offers for one model, from the access the service reported and the role
 * (docs/models.md, "Who may do what"; docs/roles.md). Only what is shown: the service checks each call.
 */
export function permissionsFor(model: ModelSummary, role: Role | null) {
  const write = role !== null && roleAllows(role, 'models.write');
  const readable = model.access === 'owner' || model.access === 'edit' || model.access === 'read';
  return {
    read: readable,
    edit: write && (model.access === 'owner' || model.access === 'edit'),
    duplicate: write && readable,
    export: readable && role !== null && roleAllows(role, 'models.export'),
    share: write && model.access === 'owner',
    trash: write && (model.access === 'owner' || role === 'admin'),
  };
}

/** Whole days left before a model in the trash is securely deleted (never below 0). */
export function daysLeft(deletedAt: string, trashDays: number, now = Date.now()): number {
  const left = trashDays - (now - Date.parse(deletedAt)) / 86_400_000;
  return Math.max(0, Math.ceil(left));
}

/** A time as the service sends it (ISO, UTC), without the viewer's time zone guessing. */
export const minuteUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
