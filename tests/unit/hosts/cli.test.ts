import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/services';

const dataDir = mkdtempSync(join(tmpdir(), 'enclave-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function enclave(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'node', 'cli.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ENCLAVE_DATA_DIR: dataDir, ...env },
    timeout: 90_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('enclave CLI', () => {
  it('prints help with the exit codes', () => {
    const { code, stdout } = enclave(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Commands:[\s\S]*version[\s\S]*doctor/);
    expect(stdout).toMatch(/Exit codes:[\s\S]*2\s+usage error/);
  });

  it('prints versions as JSON', () => {
    const { code, stdout } = enclave(['version', '--json']);
    expect(code).toBe(0);
    const versions = JSON.parse(stdout) as Record<string, string>;
    expect(versions.enclave).toMatch(/^\d+\.\d+\.\d+/);
    expect(versions.node).toBe(process.versions.node);
    expect(versions.electron).toMatch(/^45\./);
  });

  it('exits 2 on an unknown command or option, and with no command', () => {
    expect(enclave(['frobnicate']).code).toBe(2);
    expect(enclave(['version', '--colour']).code).toBe(2);
    expect(enclave([]).code).toBe(2);
  });

  it('doctor checks this machine and reports each check as JSON', () => {
    const { code, stdout } = enclave(['doctor', '--json']);
    const report = JSON.parse(stdout) as { ok: boolean; checks: { name: string; status: string; detail: string }[] };
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining([
        'node',
        'native:sqlcipher',
        'native:pkcs11js',
        'data-directory',
        'site-config',
        'pkcs11',
        'chromium',
        'webgpu',
      ]),
    );
    expect(byName['native:sqlcipher']).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/SQLCipher scheme/),
    });
    expect(byName['data-directory']).toMatchObject({ status: 'ok' });
    // The test machine has OpenSC (installed by .ci/run) and Chromium with SwiftShader WebGPU.
    expect(byName.pkcs11).toMatchObject({ status: 'ok', detail: expect.stringMatching(/OpenSC/) });
    expect(byName.webgpu).toMatchObject({ status: 'ok', detail: expect.stringMatching(/adapter/) });
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });

  it('doctor exits 1 and names the problem when a check fails', () => {
    const badConfig = join(dataDir, 'bad-site.json');
    writeFileSync(badConfig, JSON.stringify({ pkcs11Modules: ['/nonexistent/libpkcs11.so'] }));
    const { code, stdout } = enclave(['doctor', '--json'], {
      ENCLAVE_SITE_CONFIG: badConfig,
      ENCLAVE_CHROMIUM: '/nonexistent/chromium',
    });
    const report = JSON.parse(stdout) as { ok: boolean; checks: { name: string; status: string; detail: string }[] };
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'pkcs11')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/\/nonexistent\/libpkcs11\.so: file not found/),
    });
  });

  describe('marking', () => {
    it('parse prints canonical forms, and the structure with --json', () => {
      const text = enclave(['marking', 'parse', 'S//REL TO USA, GBR, AUS']);
      expect(text).toMatchObject({
        code: 0,
        stdout: 'banner:  SECRET//REL TO USA, AUS, GBR\nportion: (S//REL TO USA, AUS, GBR)\n',
      });
      const json = JSON.parse(enclave(['marking', 'parse', '--json', '(TS//SI-G/TK//NF)']).stdout) as Record<
        string,
        unknown
      >;
      expect(json).toMatchObject({
        ok: true,
        banner: 'TOP SECRET//SI-G/TK//NOFORN',
        portion: '(TS//SI-G/TK//NF)',
        marking: { classification: 'TS', dissem: ['NOFORN'] },
      });
    });

    it('parse exits 1 with the token, position and reason on stderr', () => {
      const { code, stderr, stdout } = enclave(['marking', 'parse', 'SECRET//REL TO GBR, USA']);
      expect(code).toBe(1);
      expect(stderr).toBe('SECRET//REL TO GBR, USA: "GBR" at 15: REL TO needs USA first\n');
      expect(stdout).toBe('');
      const json = JSON.parse(enclave(['marking', 'parse', '--json', '(S//FOUO)']).stdout) as Record<string, unknown>;
      expect(json).toEqual({
        ok: false,
        input: '(S//FOUO)',
        issues: [{ message: 'FOUO is not valid on classified portions', position: 4, token: 'FOUO' }],
      });
    });

    it('format gives the banner or the portion', () => {
      expect(enclave(['marking', 'format', 'TS//HCS-P//NF']).stdout).toBe('TOP SECRET//HCS-P//NOFORN\n');
      expect(enclave(['marking', 'format', '--portion', 'TOP SECRET//HCS-P//NOFORN']).stdout).toBe('(TS//HCS-P//NF)\n');
    });

    it('rollup rolls portions into the banner', () => {
      expect(enclave(['marking', 'rollup', '(S//REL TO USA, GBR)', '(C//REL TO USA, GBR, AUS)', '(U)'])).toMatchObject({
        code: 0,
        stdout: 'SECRET//REL TO USA, GBR\n',
      });
      expect(JSON.parse(enclave(['marking', 'rollup', '--json', '(S)', '(TS//SI//NF)']).stdout)).toEqual({
        ok: true,
        banner: 'TOP SECRET//SI//NOFORN',
      });
      expect(enclave(['marking', 'rollup', '(S)', '(Q)']).code).toBe(1);
      const refused = enclave(['marking', 'rollup', '(U//PR)', '(CUI)']);
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toMatch(/legacy control PROPIN: re-mark those portions under CUI/);
    });

    it('dominates answers with its exit code', () => {
      expect(enclave(['marking', 'dominates', 'SECRET//NOFORN', 'SECRET//REL TO USA, GBR'])).toMatchObject({
        code: 0,
        stdout: 'yes\n',
      });
      expect(enclave(['marking', 'dominates', 'CONFIDENTIAL', 'SECRET'])).toMatchObject({ code: 1, stdout: 'no\n' });
      expect(enclave(['marking', 'dominates', 'SECRET']).code).toBe(2);
    });

    it("applies the site's marking policy", () => {
      const site = join(dataDir, 'policy-site.json');
      writeFileSync(site, JSON.stringify({ markings: { controlsInUse: ['NOFORN'] } }));
      const { code, stderr } = enclave(['marking', 'parse', 'SECRET//ORCON/NOFORN'], { ENCLAVE_SITE_CONFIG: site });
      expect(code).toBe(1);
      expect(stderr).toContain('"ORCON" at 8: ORCON is not in use at this site');
    });
  });
});
