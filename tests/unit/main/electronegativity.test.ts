import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';

function scan(root?: string) {
  const args = [join(repoRoot, 'scripts', 'electronegativity.cjs'), ...(root ? [root] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000, cwd: repoRoot });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

describe('electronegativity gate', () => {
  it('is clean on the shell as committed, without reaching the network', () => {
    const { code, out } = scan();
    expect(out).toMatch(/electronegativity: \d+ checks, \d+ findings, \d+ accepted with a reason, 0 open/);
    expect(out).toMatch(/\[offline-guard\] refused a network connection/);
    expect(code).toBe(0);
  });

  it('fails on a planted insecure window', () => {
    const root = mkdtempSync(join(tmpdir(), 'enclave-planted-'));
    try {
      copyFileSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
      mkdirSync(join(root, 'electron', 'main'), { recursive: true });
      writeFileSync(
        join(root, 'electron', 'main', 'planted.ts'),
        "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });\nw.loadURL('http://example.com');\n",
      );
      const { code, out } = scan(root);
      expect(code).toBe(1);
      expect(out).toMatch(/OPEN\s+NODE_INTEGRATION_JS_CHECK/);
      expect(out).toMatch(/OPEN\s+CONTEXT_ISOLATION_JS_CHECK/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
