// Builds the installer packages (deb + AppImage on Linux) from the release kit's app folder with
// electron-builder, offline: Electron comes from the kit's zip (electronDist), electron-builder's
// tools from a cache seeded with the kit's verified archives, and the app is the kit's own
// app.asar, taken as electron-builder's "prepackaged app.asar" so the installed file is
// byte-identical to release/<version>/app/app.asar (checked in afterPack), its app.asar.unpacked
// copied beside it (docs/release.md, "The installer packages").
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { sha256OfFile, writeInstallManifest } from './install-manifest.mjs';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The electron-builder configuration for one build: electron-builder.yml with overrides only.
 * Paths that the yml gives relative to the repository are made absolute, because electron-builder
 * resolves them against its project folder, which here is the kit's app folder.
 *
 * @param {{ appDir: string, outDir: string, electronDist: string, version: string, electronVersion: string, projectRoot?: string }} options
 */
export function packagesConfig({ appDir, outDir, electronDist, version, electronVersion, projectRoot = REPO_ROOT }) {
  const yml = parse(readFileSync(join(projectRoot, 'electron-builder.yml'), 'utf8'));
  const abs = (path) => resolve(projectRoot, path);
  const absFiles = (list) => (list ?? []).map((item) => ({ ...item, from: abs(item.from) }));
  const fuses = yml.electronFuses;
  return {
    ...yml,
    electronVersion,
    electronDist: resolve(electronDist),
    // The natives in app.asar.unpacked were rebuilt for Electron before the asar was packed.
    npmRebuild: false,
    nodeGypRebuild: false,
    buildDependenciesFromSource: false,
    publish: null,
    extraMetadata: { version },
    directories: { app: resolve(appDir), output: resolve(outDir), buildResources: abs(yml.directories.buildResources) },
    linux: { ...yml.linux, extraFiles: absFiles(yml.linux.extraFiles) },
    deb: {
      ...yml.deb,
      afterInstall: abs(yml.deb.afterInstall),
      afterRemove: abs(yml.deb.afterRemove),
      appArmorProfile: abs(yml.deb.appArmorProfile),
    },
    win: { ...yml.win, extraFiles: absFiles(yml.win.extraFiles) },
    nsis: { ...yml.nsis, include: abs(yml.nsis.include) },
    mac: { ...yml.mac, extraFiles: absFiles(yml.mac.extraFiles) },
    // Flipped in afterPack instead, so that the install manifest hashes the flipped binary.
    electronFuses: null,
    /** @param {any} context electron-builder's AfterPackContext */
    afterPack: async (context) => {
      const resources = join(context.appOutDir, 'resources');
      // A prepackaged app.asar is copied as it is; check it, since every claim about the package rests on it.
      const [kitAsar, packedAsar] = [join(appDir, 'app.asar'), join(resources, 'app.asar')].map(sha256OfFile);
      if (kitAsar !== packedAsar) throw new Error(`The packed app.asar (${packedAsar}) is not the kit's (${kitAsar}).`);
      // electron-builder's file filter drops node_modules folders, so the unpacked natives come across here.
      rmSync(join(resources, 'app.asar.unpacked'), { recursive: true, force: true });
      if (existsSync(join(appDir, 'app.asar.unpacked')))
        cpSync(join(appDir, 'app.asar.unpacked'), join(resources, 'app.asar.unpacked'), { recursive: true });
      await context.packager.addElectronFuses(context, await context.packager.generateFuseConfig(fuses));
      if (context.electronPlatformName === 'linux') {
        // The same bytes FpmTarget writes there later (no macros in it), so the manifest holds.
        cpSync(abs(yml.deb.appArmorProfile), join(resources, 'apparmor-profile'));
        writeInstallManifest(context.appOutDir);
      }
    },
  };
}

/** A private electron-builder cache holding links to the kit's verified archives, and nothing else. */
function seedBuilderCache(kit) {
  const cache = mkdtempSync(join(tmpdir(), 'enclave-builder-cache-'));
  for (const { releaseName, file, path } of kit.builderCache) {
    mkdirSync(join(cache, releaseName), { recursive: true });
    symlinkSync(resolve(path), join(cache, releaseName, file));
  }
  return cache;
}

/**
 * Runs electron-builder for the Linux packages (deb, AppImage) of the kit's app folder.
 *
 * @param {{ appDir: string, outDir: string, kit: ReturnType<typeof import('./build-kit.mjs').findBuildKit>, version: string, projectRoot?: string }} options
 *   appDir: release/<version>/app (app.asar + app.asar.unpacked, no package.json beside them)
 * @returns {Promise<string[]>} the package files written
 */
export async function buildPackages({ appDir, outDir, kit, version, projectRoot = REPO_ROOT }) {
  if (!kit.complete) {
    const problems = [...kit.refused.map((r) => r.reason), ...kit.missing.map((m) => m.message)];
    throw new Error(`The offline build kit is incomplete; no packages were built:\n${problems.join('\n')}`);
  }
  if (kit.platform !== 'linux-x64') throw new Error(`buildPackages builds the Linux packages; this kit is for ${kit.platform}.`);
  if (!existsSync(join(appDir, 'app.asar'))) throw new Error(`${appDir} holds no app.asar: pass the release kit's app folder.`);
  if (existsSync(join(appDir, 'package.json')))
    throw new Error(`${appDir} holds a package.json: electron-builder would pack a new app.asar instead of installing the kit's own.`);
  const config = packagesConfig({ appDir, outDir, electronDist: kit.electronDist, version, electronVersion: kit.electronVersion, projectRoot });
  const cache = seedBuilderCache(kit);
  const saved = { ELECTRON_BUILDER_CACHE: process.env.ELECTRON_BUILDER_CACHE, USE_SYSTEM_FPM: process.env.USE_SYSTEM_FPM };
  process.env.ELECTRON_BUILDER_CACHE = cache;
  if (kit.useSystemFpm) process.env.USE_SYSTEM_FPM = 'true';
  try {
    const { build, Platform, Arch } = createRequire(join(projectRoot, 'package.json'))('electron-builder');
    // projectDir is the app folder: electron-builder reads a prepackaged app.asar from there.
    return await build({
      projectDir: resolve(appDir),
      targets: Platform.LINUX.createTarget(['deb', 'AppImage'], Arch.x64),
      config,
      publish: 'never',
    });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(cache, { recursive: true, force: true });
  }
}
