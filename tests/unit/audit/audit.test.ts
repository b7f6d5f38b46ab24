import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toCefSyslogLine, toJsonLine } from '../../../electron/services/audit/audit-export';
import { createTempStore, type TempStore } from '../../support/store';

let t: TempStore;
beforeEach(() => {
  t = createTempStore();
  for (let i = 2; i <= 20; i++)
    t.store.audit.append({
      actor: `user-${i % 3}`,
      event: i % 5 === 0 ? 'login.failure' : 'object.save',
      object: `model:${i}`,
      outcome: i % 5 === 0 ? 'failure' : 'success',
      detail: { n: i },
    });
  // Tampering needs the key and a way around the append-only triggers, as an insider with SQL access would have.
  t.store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
});
afterEach(() => {
  t.store.close();
  t.cleanup();
});

const sql = (statement: string, ...params: unknown[]) => t.store.db.prepare(statement).run(...params);

describe('audit log', () => {
  it('verifies an untouched log of 20 entries', () => {
    expect(t.store.audit.verify()).toEqual({ ok: true, entries: 20, head: 20 });
  });

  it('is append-only for anyone going through SQLite normally', () => {
    const other = createTempStore();
    try {
      expect(() => other.store.db.prepare("UPDATE audit_log SET entry = CAST('[1]' AS BLOB)").run()).toThrow(
        /append-only/,
      );
      expect(() => other.store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    } finally {
      other.store.close();
      other.cleanup();
    }
  });

  it('detects an edited entry and names it', () => {
    sql(
      `UPDATE audit_log SET entry = CAST(replace(CAST(entry AS TEXT), '"failure"', '"success"') AS BLOB) WHERE seq = 5`,
    );
    expect(t.store.audit.verify()).toMatchObject({
      ok: false,
      seq: 5,
      problem: 'altered',
      message: expect.stringMatching(/^entry 5 does not match its authentication code/),
    });
  });

  it('detects an edit whose chain was recomputed under a guessed key', async () => {
    const { createHmac } = await import('node:crypto');
    const rows = t.store.db.prepare('SELECT seq, entry FROM audit_log ORDER BY seq').all() as {
      seq: number;
      entry: Buffer;
    }[];
    let prev = Buffer.alloc(32);
    for (const row of rows) {
      const entry =
        row.seq === 7 ? Buffer.from(row.entry.toString().replace('"object.save"', '"object.delete"')) : row.entry;
      prev = createHmac('sha256', Buffer.alloc(32, 9)).update(prev).update(entry).digest();
      if (row.seq >= 7) sql('UPDATE audit_log SET entry = ?, mac = ? WHERE seq = ?', entry, prev, row.seq);
    }
    expect(t.store.audit.verify()).toMatchObject({ ok: false, seq: 7, problem: 'altered' });
  });

  it('detects a deleted entry and names it', () => {
    sql('DELETE FROM audit_log WHERE seq = 9');
    expect(t.store.audit.verify()).toMatchObject({
      ok: false,
      seq: 9,
      problem: 'missing',
      message: 'entry 9 is missing (entry 8 is followed by entry 10)',
    });
  });

  it('detects reordered entries and names the first', () => {
    const a = t.store.db.prepare('SELECT entry, mac FROM audit_log WHERE seq = 12').get() as {
      entry: Buffer;
      mac: Buffer;
    };
    const b = t.store.db.prepare('SELECT entry, mac FROM audit_log WHERE seq = 13').get() as {
      entry: Buffer;
      mac: Buffer;
    };
    sql('UPDATE audit_log SET entry = ?, mac = ? WHERE seq = 12', b.entry, b.mac);
    sql('UPDATE audit_log SET entry = ?, mac = ? WHERE seq = 13', a.entry, a.mac);
    expect(t.store.audit.verify()).toMatchObject({ ok: false, seq: 12, problem: 'altered' });
  });

  it('detects reordered entries even with their sequence numbers rewritten to fit', () => {
    const a = t.store.db.prepare('SELECT entry, mac FROM audit_log WHERE seq = 12').get() as {
      entry: Buffer;
      mac: Buffer;
    };
    const b = t.store.db.prepare('SELECT entry, mac FROM audit_log WHERE seq = 13').get() as {
      entry: Buffer;
      mac: Buffer;
    };
    sql(
      'UPDATE audit_log SET entry = ?, mac = ? WHERE seq = 12',
      Buffer.from(b.entry.toString().replace('[13,', '[12,')),
      b.mac,
    );
    sql(
      'UPDATE audit_log SET entry = ?, mac = ? WHERE seq = 13',
      Buffer.from(a.entry.toString().replace('[12,', '[13,')),
      a.mac,
    );
    expect(t.store.audit.verify()).toMatchObject({ ok: false, seq: 12, problem: 'altered' });
  });

  it('detects an inserted entry and names it', () => {
    for (let seq = 20; seq >= 6; seq--) sql('UPDATE audit_log SET seq = ? WHERE seq = ?', seq + 1, seq);
    sql(
      'INSERT INTO audit_log (seq, entry, mac) VALUES (6, ?, ?)',
      Buffer.from('[6,"2026-01-01T00:00:00.000Z","intruder","role.change","user:1","success","{}"]'),
      Buffer.alloc(32, 2),
    );
    expect(t.store.audit.verify()).toMatchObject({ ok: false, seq: 6, problem: 'altered' });
  });

  it('detects a log cut short at the end', () => {
    sql('DELETE FROM audit_log WHERE seq > 17');
    expect(t.store.audit.verify()).toMatchObject({
      ok: false,
      seq: 18,
      problem: 'truncated',
      message: 'entries 18 to 20 were removed from the end of the log (it ends at entry 17)',
    });
  });

  it('detects a cut that also rewound the head', () => {
    sql('DELETE FROM audit_log WHERE seq > 17');
    const mac = (t.store.db.prepare('SELECT mac FROM audit_log WHERE seq = 17').get() as { mac: Buffer }).mac;
    sql('UPDATE audit_head SET seq = 17, last_mac = ?', mac);
    expect(t.store.audit.verify()).toMatchObject({
      ok: false,
      problem: 'head',
      message: 'the authenticated end of the log was altered',
    });
  });

  it('exports JSON lines and CEF syslog lines', () => {
    const entries = [...t.store.audit.entries()];
    const json = JSON.parse(toJsonLine(entries[4]!)) as Record<string, unknown>;
    expect(json).toMatchObject({
      seq: 5,
      actor: 'user-2',
      event: 'login.failure',
      object: 'model:5',
      outcome: 'failure',
      detail: { n: 5 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const cef = toCefSyslogLine(entries[4]!, 'ws-01');
    expect(cef).toMatch(
      /^<84>1 \d{4}-\d\d-\d\dT[\d:.]+Z ws-01 enclave - audit - CEF:0\|Enclave\|Enclave\|[\d.]+\|login\.failure\|login failure\|7\|rt=\d+ suser=user-2 outcome=failure externalId=5 cs1Label=object cs1=model:5 cs2Label=chainHash cs2=[0-9a-f]{64} msg=\{"n":5\}$/,
    );
    expect(toCefSyslogLine(entries[1]!, 'ws-01')).toMatch(/^<86>1 .*\|object\.save\|object save\|3\|/);
  });

  it('escapes CEF metacharacters so a crafted value cannot forge fields', () => {
    t.store.audit.append({
      actor: 'eve=admin outcome=success',
      event: 'object.save',
      object: 'a|b\\c',
      outcome: 'denied',
      detail: { note: 'line1\nline2' },
    });
    const last = [...t.store.audit.entries()].at(-1)!;
    const cef = toCefSyslogLine(last, 'ws-01');
    expect(cef).toContain('suser=eve\\=admin outcome\\=success outcome=denied');
    expect(cef).toContain('cs1=a|b\\\\c');
    expect(cef).not.toContain('\n');
  });
});
