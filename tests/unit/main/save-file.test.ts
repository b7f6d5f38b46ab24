import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBridge } from '../../../common/ipc/bridge';
import { checkSaveRequest, saveFilters, writeChosenFile } from '../../../electron/main/save-file';

// Saving an export under Electron (whose shell refuses downloads): the main process checks the
// request, shows its save dialog, and writes the file whole or not at all. The dialog is
// Electron's; what is checked here is everything around it.
const dir = mkdtempSync(join(tmpdir(), 'enclave-save-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the save request', () => {
  it('takes a plain file name, a known type and its content', () => {
    const checked = checkSaveRequest({ name: 'Bridge cost.csv', type: 'text/csv', content: 'UNCLASSIFIED\nx\n1\n' });
    expect(checked.ok).toBe(true);
    expect(saveFilters({ name: 'a.csv', type: 'text/csv', content: '' })[0]).toEqual({
      name: 'CSV file',
      extensions: ['csv'],
    });
  });

  it.each([
    ['a folder in the name', { name: '../../.bashrc', type: 'text/csv', content: '' }],
    ['a Windows folder in the name', { name: 'C:\\Users\\x.csv', type: 'text/csv', content: '' }],
    ['a control character', { name: 'a\u0007.csv', type: 'text/csv', content: '' }],
    ['an unknown type', { name: 'a.sh', type: 'application/x-sh', content: '' }],
    ['an extra field', { name: 'a.csv', type: 'text/csv', content: '', path: '/etc/passwd' }],
    ['content that is neither text nor bytes', { name: 'a.csv', type: 'text/csv', content: { length: 3 } }],
  ])('refuses %s with a plain error', (_what, payload) => {
    const checked = checkSaveRequest(payload);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error.code).toBe('INVALID_ARGUMENT');
      expect(checked.error.message).toMatch(/^The file to save is invalid: /);
    }
  });
});

describe('writing the chosen file', () => {
  it('writes text and bytes, owner-only, leaving nothing beside it', () => {
    const text = join(dir, 'samples.csv');
    writeChosenFile(text, 'UNCLASSIFIED\nx,y\n1,2\n');
    expect(readFileSync(text, 'utf8')).toBe('UNCLASSIFIED\nx,y\n1,2\n');
    expect(statSync(text).mode & 0o777).toBe(0o600);
    const bytes = join(dir, 'chart.png');
    writeChosenFile(bytes, new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect([...readFileSync(bytes)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('replaces a file the user chose to overwrite in one step', () => {
    const path = join(dir, 'model.json');
    writeFileSync(path, 'old');
    writeChosenFile(path, '{"format":"enclave-model/1"}');
    expect(readFileSync(path, 'utf8')).toBe('{"format":"enclave-model/1"}');
  });

  it('a target it cannot replace (a folder of that name): an error, the folder untouched, no partial file', () => {
    const parent = mkdtempSync(join(dir, 'parent-'));
    const path = join(parent, 'report.csv');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'kept');
    expect(() => writeChosenFile(path, 'after')).toThrow();
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('kept');
    expect(readdirSync(parent)).toEqual(['report.csv']);
  });
});

describe('the bridge', () => {
  const transport = (answer: unknown) => ({
    call: () => Promise.resolve(null),
    cancel: () => undefined,
    subscribe: () => () => undefined,
    saveFile: () => Promise.resolve(answer),
  });

  it('offers files.save only where the transport can save (Electron)', () => {
    const browser: Partial<ReturnType<typeof transport>> = transport(null);
    delete browser.saveFile;
    expect(makeBridge(browser as ReturnType<typeof transport>).files.save).toBeUndefined();
    expect(makeBridge(transport(null)).files.save).toBeTypeOf('function');
  });

  it('passes a well-formed answer, and turns anything else into a plain error', async () => {
    const file = { name: 'a.csv', type: 'text/csv' as const, content: 'x' };
    expect(await makeBridge(transport({ ok: true, value: { saved: true, name: 'a.csv' } })).files.save!(file)).toEqual({
      ok: true,
      value: { saved: true, name: 'a.csv' },
    });
    expect(await makeBridge(transport({ ok: true, value: { saved: false } })).files.save!(file)).toEqual({
      ok: true,
      value: { saved: false },
    });
    const odd = await makeBridge(transport({ ok: true, value: { saved: true, path: '/home/x/a.csv' } })).files.save!(
      file,
    );
    expect(odd).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'The save dialog sent an unreadable answer.' },
    });
  });
});
