import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';

const eslint = new ESLint({ cwd: repoRoot });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

// Each planted file would compile in some tsconfig but breaks the process boundary.
describe('layering rule', () => {
  it.each([
    ['renderer/features/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['renderer/features/planted.ts', "import fs from 'fs';\nexport const x = fs;"],
    ['common/ipc/planted.ts', "import { readFile } from 'fs/promises';\nexport const x = readFile;"],
    ['renderer/app/planted.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
    [
      'renderer/state/planted.ts',
      "import { ServiceHost } from '../../electron/worker/service-host';\nexport const x = ServiceHost;",
    ],
    ['renderer/state/planted.ts', "export const load = () => import('node:child_process');"],
    ['common/planted.ts', "import { join } from 'node:path';\nexport const x = join;"],
    ['common/planted.ts', "export const x = require('os');"],
    ['common/ipc/planted.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['common/planted.ts', "import { create } from 'zustand';\nexport const x = create;"],
    ['electron/services/planted.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['electron/worker/planted.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;"],
    ['hosts/planted.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;"],
    ['native/pkcs11/planted.ts', "import { safeStorage } from 'electron';\nexport const x = safeStorage;"],
    [
      'electron/db/planted.ts',
      "import { ServiceError } from '../services/service-error';\nexport const x = ServiceError;",
    ],
    [
      'electron/db/migrations/planted.ts',
      "import { describeCrl } from '../../services/identity/trust-material';\nexport const x = describeCrl;",
    ],
    ['electron/db/planted.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['electron/services/users/planted.ts', "export const x = (db: any) => db.prepare('SELECT 1').get();"],
    ['electron/db/migrate-planted.ts', "export const x = (db: any) => db.prepare('SELECT 1').get();"],
    ['hosts/cli/planted.ts', "export const x = (store: any) => store.db.prepare('SELECT 1').all();"],
    ['renderer/state/planted.ts', "import { EXAMPLES } from '../features/run/examples';\nexport const x = EXAMPLES;"],
    [
      'renderer/state/planted.ts',
      "import { MarkingsPanel } from '../features/markings';\nexport const x = MarkingsPanel;",
    ],
    ['renderer/state/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
  ])('fails on a planted violation in %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    [
      'renderer/features/fine.ts',
      "import { z } from 'zod';\nimport { contract } from '../../common/ipc/contract';\nexport const x = [z, contract];",
    ],
    ['electron/services/fine.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['common/ipc/fine.ts', "import { parseEvent } from './events';\nexport const x = parseEvent;"],
    ['electron/db/queries/fine.ts', "export const x = (db: any) => db.prepare('SELECT 1').get();"],
    ['electron/db/fine.ts', "import { StoreError } from './store-error';\nexport const x = StoreError;"],
    ['renderer/state/fine.ts', "import { getBridge } from '../ipc/bridge';\nexport const x = getBridge;"],
    [
      'renderer/features/fine.ts',
      "import { useLoginState } from '../state/login-state';\nexport const x = useLoginState;",
    ],
    [
      'electron/main/fine.ts',
      "import { app } from 'electron';\nimport { ServiceHost } from '../worker/service-host';\nexport const x = [app, ServiceHost];",
    ],
    ['electron/preload/fine.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;"],
  ])('allows what each layer may import (%s)', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).toEqual([]);
  });

  it('passes on the whole tree as committed', async () => {
    const results = await eslint.lintFiles(['renderer', 'common', 'electron', 'hosts', 'native']);
    const messages = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId} ${m.message}`));
    expect(messages).toEqual([]);
  });
});
