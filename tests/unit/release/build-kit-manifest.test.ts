import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain ES module of the release scripts, without type declarations.
import { loadBuildKitManifest, REPO_ROOT } from '../../../scripts/release/build-kit.mjs';

interface Entry {
  file: string;
  platforms: string[];
  kind: string;
  source: string;
  sha256: string | null;
  sha256From: string;
  releaseName?: string;
  listedIn?: string;
}

/** The hashes the code writes right after a quoted file name (`"f": "hex"`, `["f"]: "hex"`, `"f", "hex"`). */
function pinnedNextTo(code: string, file: string): string[] {
  const pattern = new RegExp(`"${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\]?\\s*[:,]\\s*"([0-9a-f]{64})"`, 'g');
  return [...code.matchAll(pattern)].map((match) => match[1]!);
}

const readJson = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8'));
const manifest = loadBuildKitManifest() as { electronVersion: string; electronBuilderVersion: string; files: Entry[] };
const electronVersion = readJson('node_modules/electron/package.json').version as string;
const checksums = readJson('node_modules/electron/checksums.json') as Record<string, string>;

// The kit cannot drift from what is installed: a dependency bump that changes Electron or
// electron-builder fails here until installer/build-kit.json is brought along.
describe('installer/build-kit.json', () => {
  it('is for the installed Electron and electron-builder', () => {
    expect(manifest.electronVersion).toBe(electronVersion);
    expect(manifest.electronBuilderVersion).toBe(readJson('node_modules/app-builder-lib/package.json').version);
  });

  it("carries each platform's Electron zip with the SHA-256 in the installed electron's checksums.json", () => {
    const electron = manifest.files.filter((entry) => entry.kind === 'electron');
    expect(electron.map((entry) => entry.file).sort()).toEqual(
      ['darwin-arm64', 'darwin-x64', 'linux-x64', 'win32-x64'].map((p) => `electron-v${electronVersion}-${p}.zip`),
    );
    for (const entry of electron) {
      expect(checksums[entry.file], entry.file).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.sha256, entry.file).toBe(checksums[entry.file]);
      expect(entry.source).toBe(`https://github.com/electron/electron/releases/download/v${electronVersion}/${entry.file}`);
    }
  });

  it('pins no hash for the Electron headers, which checksums.json does not carry: they are checked against their SHASUMS256.txt', () => {
    const headers = manifest.files.filter((entry) => entry.kind === 'headers');
    expect(headers.map((entry) => entry.file)).toContain(`node-v${electronVersion}-headers.tar.gz`);
    for (const entry of headers) {
      expect(checksums[entry.file]).toBeUndefined();
      expect(entry.sha256).toBeNull();
      expect(entry.listedIn).toBe(`electron-v${electronVersion}-headers-SHASUMS256.txt`);
      expect(entry.source.startsWith(`https://artifacts.electronjs.org/headers/dist/v${electronVersion}/`)).toBe(true);
    }
  });

  it("pins each electron-builder binary to the SHA-256 and cache folder in electron-builder's own code", () => {
    const tools = manifest.files.filter((entry) => entry.kind === 'builder-binary');
    expect(tools.length).toBeGreaterThanOrEqual(10);
    const yml = parse(readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8'));
    for (const entry of tools) {
      const code = readFileSync(join(REPO_ROOT, entry.sha256From), 'utf8');
      expect(pinnedNextTo(code, entry.file), `${entry.file} in ${entry.sha256From}`).toContain(entry.sha256);
      // The appimage folder is built from the toolset version (appimage@<toolsets.appimage>).
      if (entry.releaseName!.startsWith('appimage@')) expect(entry.releaseName).toBe(`appimage@${yml.toolsets.appimage}`);
      else expect(code, `${entry.releaseName} in ${entry.sha256From}`).toContain(entry.releaseName!.replace(/@.*/, ''));
      expect(entry.source).toBe(
        `https://github.com/electron-userland/electron-builder-binaries/releases/download/${entry.releaseName}/${entry.file}`,
      );
    }
  });

  it('covers everything electron-builder would download for the Linux deb and AppImage', () => {
    const linux = manifest.files.filter((entry) => entry.platforms.includes('linux-x64')).map((entry) => entry.file);
    expect(linux.sort()).toEqual(
      [
        `electron-v${electronVersion}-linux-x64.zip`,
        `node-v${electronVersion}-headers.tar.gz`,
        `electron-v${electronVersion}-headers-SHASUMS256.txt`,
        '7zip-linux-x64.tar.gz',
        'fpm-1.17.0-ruby-3.4.3-linux-amd64.7z',
        'appimage-tools-runtime-20251108.tar.gz',
      ].sort(),
    );
  });
});
