import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listChannels } from '../../../common/ipc/contract';
import { permissionsOf, roleAllows, ROLES, type Permission } from '../../../common/access/roles';

describe('roles', () => {
  it('nest: viewer ⊂ analyst ⊂ admin, and only an administrator manages users, trust, the site, bundles and the audit log', () => {
    expect(permissionsOf('viewer')).toEqual(['models.read']);
    expect(permissionsOf('analyst')).toEqual(['models.read', 'models.write', 'models.export']);
    expect(permissionsOf('admin')).toEqual([
      'models.read',
      'models.write',
      'models.export',
      'users.manage',
      'trust.manage',
      'site.configure',
      'bundles.manage',
      'updates.manage',
      'store.manage',
      'audit.read',
    ]);
    for (const permission of [
      'users.manage',
      'trust.manage',
      'updates.manage',
      'store.manage',
      'audit.read',
    ] as Permission[]) {
      expect(ROLES.filter((r) => roleAllows(r, permission))).toEqual(['admin']);
    }
  });

  it('every channel states its access, and docs/roles.md lists each one with the same access', () => {
    const doc = readFileSync('docs/roles.md', 'utf8');
    for (const channel of listChannels()) {
      const row = new RegExp(`^\\| \`${channel.namespace}\\.${channel.method}\` +\\| ([a-z.-]+)`, 'm').exec(doc);
      expect(row?.[1], `${channel.name} in docs/roles.md`).toBe(channel.spec.access);
    }
  });

  it('only sign-in, session state, the banner, the marking policy and pre-store setup are public', () => {
    const publicChannels = listChannels()
      .filter((c) => c.spec.access === 'public')
      .map((c) => `${c.namespace}.${c.method}`);
    expect(publicChannels).toEqual([
      'system.info',
      'system.acknowledgeConsent',
      'system.health',
      'markings.policy',
      'markings.check',
      'identity.status',
      'identity.login',
      'identity.recover',
      'identity.lock',
      'setup.begin',
      'setup.confirm',
      'setup.restore',
      'setup.demoStatus',
      'setup.startDemo',
      'setup.demoCards',
    ]);
  });
});
