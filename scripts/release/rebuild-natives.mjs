// Rebuilds the app's native modules for Electron's ABI from the kit's headers tarball. The repo's
// node_modules (built for Node, which the tests and the CLI's development runs need) is only read:
// each module's sources are copied to a scratch folder, built there, and the resulting .node files
// replace the staged app folder's copies.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256OfFile } from './install-manifest.mjs';

/** The runtime dependencies with native code (package.json "dependencies"). */
export const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers', 'pkcs11js'];

const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/;

/**
 * node-gyp rebuild of every native module present in `appDir/node_modules`, against `headers`
 * (node-vX.Y.Z-headers.tar.gz, via --tarball: nothing is downloaded), for `electronVersion`.
 *
 * @param {{ appDir: string, headers: string, electronVersion: string, arch?: string,
 *   sourceRoot?: string, modules?: string[], log?: (line: string) => void }} options
 *   sourceRoot: where the modules' sources are read (the repo root; default: this checkout).
 * @returns {{ module: string, file: string, sha256: string }[]} the .node files written into appDir
 */
export function rebuildNatives({
  appDir,
  headers,
  electronVersion,
  arch = process.arch,
  sourceRoot = resolve(import.meta.dirname, '..', '..'),
  modules = NATIVE_MODULES,
  log = () => {},
}) {
  if (!VERSION.test(electronVersion)) throw new Error(`"${electronVersion}" is not a MAJOR.MINOR.PATCH version.`);
  if (!existsSync(headers)) throw new Error(`The headers tarball ${headers} does not exist.`);
  const nodeGyp = createRequire(join(sourceRoot, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  const scratch = mkdtempSync(join(tmpdir(), 'enclave-natives-'));
  /** @type {{ module: string, file: string, sha256: string }[]} */
  const written = [];
  try {
    for (const name of modules) {
      const staged = join(appDir, 'node_modules', name);
      if (!existsSync(staged)) continue;
      const source = join(sourceRoot, 'node_modules', name);
      if (!existsSync(join(source, 'binding.gyp'))) throw new Error(`${source} has no binding.gyp: its sources are needed to rebuild ${name}.`);
      const work = join(scratch, name);
      // A build folder left from the Node build would be reused by make: start from the sources only.
      cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
      log(`rebuilding ${name} for Electron ${electronVersion} (${arch}) from ${headers}`);
      const result = spawnSync(
        process.execPath,
        [
          nodeGyp,
          'rebuild',
          '--release',
          `--target=${electronVersion}`,
          `--arch=${arch}`,
          `--tarball=${resolve(headers)}`,
          `--devdir=${join(scratch, 'gyp')}`,
        ],
        {
          cwd: work,
          encoding: 'utf8',
          maxBuffer: 64 << 20,
          timeout: 30 * 60 * 1000,
          // No npm_config_* from the caller: a stray nodedir or dist-url would build against other headers.
          env: { PATH: process.env.PATH ?? '', HOME: scratch, npm_config_cache: join(scratch, 'npm-cache') },
        },
      );
      if (result.status !== 0)
        throw new Error(`node-gyp could not rebuild ${name} for Electron ${electronVersion}:\n${(result.stderr || result.stdout || String(result.error)).slice(-4000)}`);
      const builtDir = join(work, 'build', 'Release');
      const stagedDir = join(staged, 'build', 'Release');
      mkdirSync(stagedDir, { recursive: true });
      const wanted = new Set(readdirSync(stagedDir).filter((f) => f.endsWith('.node')));
      const built = readdirSync(builtDir).filter((f) => f.endsWith('.node') && (wanted.size === 0 || wanted.has(f)));
      if (built.length === 0) throw new Error(`node-gyp built no .node file for ${name} in ${builtDir}.`);
      for (const file of built) {
        copyFileSync(join(builtDir, file), join(stagedDir, file));
        written.push({ module: name, file: `node_modules/${name}/build/Release/${file}`, sha256: sha256OfFile(join(stagedDir, file)) });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return written;
}
