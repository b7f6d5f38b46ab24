import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditJournal, journalPath, MAX_ENTRIES } from '../../../electron/services/audit/audit-journal';
import { LoginService } from '../../../electron/services/identity/login-service';
import { StoreFile } from '../../../electron/services/vault/store-file';
import { VaultService } from '../../../electron/services/vault/vault-service';
import { defaultLoginConfig } from '../../support/login-config';
import { createTempStore, type TempStore } from '../../support/store';

let temp: TempStore | null = null;
afterEach(() => {
  temp?.cleanup();
  temp = null;
});

const service = (path: string) =>
  new LoginService({
    vault: new VaultService(path),
    config: defaultLoginConfig([]),
  });
const WRONG = '0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000';

describe('audit events while locked', () => {
  it('survive a restart of the service and enter the audit log at the next sign-in, in order', () => {
    temp = createTempStore();
    temp.store.close();
    const first = service(temp.path);
    expect(() => first.unlockWithRecoverySecret(WRONG)).toThrow(/does not unlock/);
    first.recordAudit({
      actor: 'anonymous',
      event: 'access.denied',
      object: 'trust.list',
      outcome: 'denied',
      detail: { needs: 'trust.manage' },
    });
    first.dispose();
    expect(existsSync(journalPath(temp.path))).toBe(true);
    expect(statSync(journalPath(temp.path)).mode & 0o077).toBe(0);

    const second = service(temp.path); // the app started again
    expect(second.pendingAudit.map((e) => e.event)).toEqual(['login.failure', 'access.denied']);
    second.unlockWithRecoverySecret(temp.secret);
    second.dispose();
    expect(existsSync(journalPath(temp.path))).toBe(false);

    const store = StoreFile.open(temp.path, { recoverySecret: temp.secret });
    try {
      const events = [...store.audit.entries()].map((e) => `${e.event}:${e.actor}`);
      expect(events).toEqual([
        'setup:test-admin',
        'login.failure:recovery',
        'access.denied:anonymous',
        'login:recovery',
        'lock:recovery',
      ]);
      expect(store.audit.verify()).toMatchObject({ ok: true });
    } finally {
      store.close();
    }
  });

  it('is bounded: past the limit the oldest entries go, and the drop is recorded', () => {
    temp = createTempStore();
    const journal = new AuditJournal(journalPath(temp.path));
    for (let i = 0; i < MAX_ENTRIES + 10; i++)
      journal.keep({ actor: `card:${i}`, event: 'login.failure', outcome: 'failure', detail: { reason: 'WRONG_PIN' } });
    const kept = new AuditJournal(journalPath(temp.path)).read();
    expect(kept.length).toBeLessThanOrEqual(MAX_ENTRIES + 1);
    expect(kept.filter((e) => e.event === 'audit.journal.dropped').length).toBeGreaterThanOrEqual(1);
    expect(kept.at(-1)?.actor).toBe(`card:${MAX_ENTRIES + 9}`);
  });

  it('a flood of other events never pushes out a failed sign-in, and the drop count is cumulative and exact', () => {
    temp = createTempStore();
    const path = journalPath(temp.path);
    const journal = new AuditJournal(path);
    journal.keep({ actor: 'recovery', event: 'login.failure', outcome: 'failure', detail: { reason: 'NOT_ENROLLED' } });
    for (let i = 0; i < MAX_ENTRIES + 502; i++)
      journal.keep({ actor: 'anonymous', event: 'access.denied', object: `call-${i}`, outcome: 'denied' });
    const kept = new AuditJournal(path).read(); // as after a restart
    expect(kept[0]).toMatchObject({ event: 'audit.journal.dropped', detail: { entries: 502, loginFailures: 0 } });
    expect(kept.filter((e) => e.event === 'login.failure')).toHaveLength(1);
    expect(kept.filter((e) => e.event === 'access.denied')).toHaveLength(MAX_ENTRIES);
    expect(kept.at(-1)?.object).toBe(`call-${MAX_ENTRIES + 501}`);
    expect(kept.filter((e) => e.event === 'audit.journal.dropped')).toHaveLength(1);
  });

  it('reports damaged lines instead of dropping them silently, and refuses foreign fields', () => {
    temp = createTempStore();
    const path = journalPath(temp.path);
    writeFileSync(path, `${JSON.stringify({ actor: 'a', event: 'login.failure', outcome: 'failure' })}\nnot json\n`);
    appendFileSync(path, `${JSON.stringify({ actor: 'b', event: 'x', outcome: 'failure', pin: '1234' })}\n`);
    const events = new AuditJournal(path).take();
    expect(events.map((e) => e.event)).toEqual(['login.failure', 'audit.journal.damaged']);
    expect(events[1]?.detail).toMatchObject({ lines: 2 });
    expect(existsSync(path)).toBe(false);
  });
});
