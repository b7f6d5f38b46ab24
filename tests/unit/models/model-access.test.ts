import { describe, expect, it } from 'vitest';
import { accessOf, canEdit, canManage, canRead } from '../../../electron/services/models/model-access';

// Who may do what with one model (docs/models.md, "Who may do what").
const user = (id: number | null, role: 'viewer' | 'analyst' | 'admin') => ({
  id,
  role,
  displayName: `user ${id}`,
  actor: id === null ? 'recovery' : `user:${id}`,
});

describe('model access', () => {
  it('the owner owns; a grant to the user or their exact role gives read or edit, edit winning', () => {
    expect(accessOf(user(1, 'analyst'), 1, [])).toBe('owner');
    expect(accessOf(user(2, 'analyst'), 1, [{ grantee: 'user:2', access: 'read' }])).toBe('read');
    expect(
      accessOf(user(2, 'analyst'), 1, [
        { grantee: 'user:2', access: 'read' },
        { grantee: 'role:analyst', access: 'edit' },
      ]),
    ).toBe('edit');
    // A grant to viewers does not reach an analyst: roles are named exactly.
    expect(accessOf(user(3, 'analyst'), 1, [{ grantee: 'role:viewer', access: 'read' }])).toBeNull();
    expect(accessOf(user(4, 'viewer'), 1, [{ grantee: 'role:viewer', access: 'read' }])).toBe('read');
  });

  it('an administrator with no grant manages (trash, restore) but does not read', () => {
    const admin = user(5, 'admin');
    const access = accessOf(admin, 1, []);
    expect(access).toBe('manage');
    expect([canRead(access), canEdit(access), canManage(access, admin)]).toEqual([false, false, true]);
    expect(accessOf(user(null, 'admin'), 1, [{ grantee: 'user:none', access: 'edit' }])).toBe('manage');
  });

  it('a read grant neither edits nor manages; nobody else sees the model at all', () => {
    const reader = user(6, 'analyst');
    const access = accessOf(reader, 1, [{ grantee: 'user:6', access: 'read' }]);
    expect([canRead(access), canEdit(access), canManage(access, reader)]).toEqual([true, false, false]);
    expect(accessOf(user(7, 'viewer'), 1, [{ grantee: 'user:6', access: 'edit' }])).toBeNull();
  });
});
