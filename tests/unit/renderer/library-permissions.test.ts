import { describe, expect, it } from 'vitest';
import { daysLeft, permissionsFor } from '../../../renderer/features/library/model-permissions';
import type { ModelSummary } from '../../../renderer/state/library-state';

const model = (access: ModelSummary['access']): ModelSummary => ({
  id: 1,
  name: 'Bridge cost',
  banner: 'SECRET//NOFORN',
  owner: { id: 2, name: 'DOE.JOHN.Q.1234567890' },
  updatedAt: '2026-12-01T10:00:00.000Z',
  versions: 1,
  access,
  deletedAt: null,
});

describe('what a library row offers (docs/models.md, "Using the library")', () => {
  it('an owner analyst: everything', () => {
    expect(permissionsFor(model('owner'), 'analyst')).toEqual({
      read: true,
      edit: true,
      duplicate: true,
      export: true,
      share: true,
      trash: true,
    });
  });

  it('an analyst with a read grant: read, duplicate into their own, export; no rename, share or trash', () => {
    expect(permissionsFor(model('read'), 'analyst')).toEqual({
      read: true,
      edit: false,
      duplicate: true,
      export: true,
      share: false,
      trash: false,
    });
  });

  it('a viewer, even with an edit grant or as owner: read only', () => {
    for (const access of ['owner', 'edit', 'read'] as const)
      expect(permissionsFor(model(access), 'viewer'), access).toEqual({
        read: true,
        edit: false,
        duplicate: false,
        export: false,
        share: false,
        trash: false,
      });
  });

  it('an administrator without a grant: trash and restore only, never read', () => {
    expect(permissionsFor(model('manage'), 'admin')).toEqual({
      read: false,
      edit: false,
      duplicate: false,
      export: false,
      share: false,
      trash: true,
    });
  });
});

describe('days left in the trash', () => {
  const day = 86_400_000;
  const deletedAt = '2026-12-01T00:00:00.000Z';
  const at = (days: number) => Date.parse(deletedAt) + days * day;

  it('counts whole days up: 30 on the day it went, 1 in its last day, 0 when due', () => {
    expect(daysLeft(deletedAt, 30, at(0))).toBe(30);
    expect(daysLeft(deletedAt, 30, at(0.5))).toBe(30);
    expect(daysLeft(deletedAt, 30, at(29.5))).toBe(1);
    expect(daysLeft(deletedAt, 30, at(30))).toBe(0);
    expect(daysLeft(deletedAt, 30, at(31))).toBe(0);
  });
});
