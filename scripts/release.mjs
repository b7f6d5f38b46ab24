// `npm run release`: builds the release kit release/<version>/ (docs/release.md). The kit is
// assembled in a private folder beside it and renamed into place only when complete, so an
// interrupted or refused build never leaves a half kit under the release name. What needs the
// carried-in build kit (Electron, its headers, fpm, appimagetool) is built when the kit is there;
// otherwise the rest is built and each missing file is named.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stageApp, writeAppAsar, RUNTIME_MODULES, listFiles } from './release/app-payload.mjs';
import { writeChecksums } from './release/checksums.mjs';
import { writeKitTar } from './release/kit-tar.mjs';
import { publishKit } from './release/publish-kit.mjs';
import { releaseNotes } from './release/release-notes.mjs';
import { writeSbom } from './release/sbom.mjs';
import { writeThirdPartyLicenses } from './release/third-party-licenses.mjs';
import { buildPackages, describeKitProblems, findBuildKit, rebuildNatives } from './release/build-kit.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);

const { values: options } = parseArgs({
  options: {
    out: { type: 'string', default: 'release' },
    'no-build': { type: 'boolean', default: false },
    crl: { type: 'string' },
    'require-complete': { type: 'boolean', default: false },
    'sign-module': { type: 'string' },
    'sign-token-label': { type: 'string' },
    'sign-key-label': { type: 'string' },
    'sign-certificate': { type: 'string' },
    'sign-chain': { type: 'string' },
    'sign-pin-file': { type: 'string' },
  },
  strict: true,
});

// The token PIN goes to the signing step alone, never into the build's environment (npm, vite,
// esbuild, electron-builder and fpm all inherit it otherwise).
const signingPin = process.env.ENCLAVE_PIN;
delete process.env.ENCLAVE_PIN;

function say(line) {
  process.stdout.write(`${line}\n`);
}

/** The reproducible-builds clock: SOURCE_DATE_EPOCH, else the commit's time. */
function sourceDateEpoch() {
  const given = process.env.SOURCE_DATE_EPOCH;
  if (given !== undefined) {
    if (!/^\d{1,12}$/.test(given))
      throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${given}"`);
    return Number(given);
  }
  return Number(git(['log', '-1', '--format=%ct']));
}

function git(args) {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** The commit the kit is built from, and whether tracked files differ from it. */
function commitOf() {
  try {
    return {
      commit: git(['rev-parse', 'HEAD']),
      modified: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    };
  } catch {
    return { commit: 'unknown', modified: true };
  }
}

/** Each native module shipped, and the runtime its addon was compiled for. */
function nativeModulesOf(appDir, rebuiltFor) {
  return Object.keys(RUNTIME_MODULES).map((name) => {
    const pkg = JSON.parse(readFileSync(join(appDir, 'node_modules', name, 'package.json'), 'utf8'));
    return {
      name,
      version: pkg.version,
      builtFor: rebuiltFor ?? `node ${process.versions.node} (ABI ${process.versions.modules})`,
    };
  });
}

function signKit(kitDir) {
  const args = ['release', 'sign', '--kit', kitDir];
  // [flag, option, is a file path]
  const pairs = [
    ['--module', 'sign-module', true],
    ['--token-label', 'sign-token-label', false],
    ['--key-label', 'sign-key-label', false],
    ['--certificate', 'sign-certificate', true],
    ['--chain', 'sign-chain', true],
    ['--pin-file', 'sign-pin-file', true],
  ];
  for (const [flag, key, isFile] of pairs) {
    if (options[key] !== undefined) args.push(flag, isFile ? resolve(options[key]) : options[key]);
  }
  const env = { ...process.env };
  if (signingPin !== undefined) env.ENCLAVE_PIN = signingPin;
  execFileSync(process.execPath, [join(root, 'dist/node/cli.cjs'), ...args], { stdio: 'inherit', env });
}

/**
 * The payload ships resources/ as it is on disk, so a file there that git does not track would ship
 * under a commit that does not hold it: refused. (dist/ is built, and --no-build is recorded.)
 */
function refuseUntrackedResources() {
  let untracked;
  try {
    untracked = git(['ls-files', '--others', '--', 'resources']);
  } catch {
    return; // not a git checkout: release.json says the commit is unknown
  }
  if (untracked !== '') {
    const first = untracked.split('\n')[0];
    throw new Error(`${first} is not tracked by git: a release ships only committed resources; commit or remove it`);
  }
}

async function main() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = pkg.version;
  const epoch = sourceDateEpoch();
  const outDir = resolve(root, options.out);
  const kitName = version;
  const workDir = join(outDir, `.build-${version}-${process.pid}`);
  const kitDir = join(workDir, kitName);
  const signing = options['sign-module'] !== undefined;
  const notes = releaseNotes(root, version);
  refuseUntrackedResources();
  // An interrupted build leaves nothing behind (the kit is only renamed into place when whole).
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
    ['SIGHUP', 1],
  ]) {
    process.once(signal, () => {
      rmSync(workDir, { recursive: true, force: true });
      process.exit(128 + number);
    });
  }
  for (const key of ['crl', 'sign-certificate', 'sign-chain', 'sign-pin-file', 'sign-module']) {
    if (options[key] !== undefined && !existsSync(resolve(options[key]))) {
      throw new Error(`--${key} ${options[key]}: no such file; nothing was built`);
    }
  }

  if (!options['no-build']) {
    say('build: npm run build');
    // A release is a production build whatever the caller's NODE_ENV (under a test runner it is
    // "test", and React's development build records absolute source paths).
    const buildEnv = { ...process.env, NODE_ENV: 'production', SOURCE_DATE_EPOCH: String(epoch) };
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit', env: buildEnv });
  }
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(kitDir, { recursive: true });
  try {
    const kit = findBuildKit({ root, env: process.env });
    const appDir = join(workDir, 'app');
    const staged = stageApp({ root, appDir });
    say(`app: ${staged.length} files staged`);
    // Natives for Electron's ABI need the kit's headers; without them they stay as built for Node.
    let rebuiltFor = null;
    if (kit.headers) {
      rebuildNatives({ appDir, headers: kit.headers, electronVersion: kit.electronVersion, log: say });
      rebuiltFor = `electron ${kit.electronVersion}`;
    }
    await writeAppAsar(appDir, join(kitDir, 'app', 'app.asar'));
    say(`app: app/app.asar ${statSync(join(kitDir, 'app', 'app.asar')).size} bytes, *.node unpacked`);

    mkdirSync(join(kitDir, 'bin'));
    for (const name of ['enclave', 'enclave.cmd', 'enclave-macos']) {
      copyFileSync(join(root, 'installer/cli', name), join(kitDir, 'bin', name));
    }
    const sbomFile = join(kitDir, 'sbom.cdx.json');
    const sbom = await writeSbom({ root, outFile: sbomFile, sourceDateEpoch: epoch, version });
    say(`sbom: sbom.cdx.json, ${sbom.components.length} components`);
    await writeThirdPartyLicenses({ root, sbom, outFile: join(kitDir, 'THIRD-PARTY-LICENSES.txt') });
    writeFileSync(join(kitDir, 'RELEASE-NOTES.md'), notes);
    copyFileSync(join(root, 'installer/release/verify-release.sh'), join(kitDir, 'verify-release.sh'));
    if (options.crl !== undefined) copyFileSync(resolve(options.crl), join(kitDir, 'release-ca.crl'));

    const packages = [];
    if (kit.complete) {
      const builderOut = join(workDir, 'packages');
      const made = await buildPackages({
        appDir: join(kitDir, 'app'),
        outDir: builderOut,
        kit,
        version,
        projectRoot: root,
      });
      mkdirSync(join(kitDir, 'packages'));
      for (const file of made.filter((path) => /\.(deb|AppImage)$/.test(path))) {
        copyFileSync(file, join(kitDir, 'packages', basename(file)));
        packages.push(`packages/${basename(file)}`);
      }
    }
    const manifest = {
      format: 'enclave-release/1',
      version,
      ...commitOf(),
      build: options['no-build'] ? 'dist/ as found (--no-build)' : 'npm run build',
      sourceDateEpoch: epoch,
      electron: JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version,
      nativeModules: nativeModulesOf(appDir, rebuiltFor),
      packages,
      missing: [
        ...kit.refused.map(({ file, reason }) => ({ file, problem: reason })),
        ...kit.missing.map(({ file, needFor, message }) => ({ file, needFor, problem: message })),
      ],
    };
    writeFileSync(join(kitDir, 'release.json'), JSON.stringify(manifest, null, 2) + '\n');

    const listed = writeChecksums(kitDir);
    say(`checksums: SHA256SUMS lists ${listed.length} files; SHA384SUMS ${listed.length - 1}`);
    if (signing) signKit(kitDir);

    const builtTar = join(workDir, `enclave-${version}.tar`);
    writeKitTar(kitDir, builtTar, epoch);
    const finalDir = join(outDir, kitName);
    const tarFile = join(outDir, `enclave-${version}.tar`);
    publishKit({ workDir, builtKit: kitDir, builtTar, kitDir: finalDir, tarFile });
    rmSync(workDir, { recursive: true, force: true });

    say(
      `kit: ${relative(root, finalDir)}/ (${listFiles(finalDir).length} files), ${basename(tarFile)} for an app-update bundle`,
    );
    say(
      signing
        ? 'signed: SHA256SUMS.cms'
        : 'NOT SIGNED: give --sign-module … to sign with the release key (docs/release.md)',
    );
    if (!kit.complete) {
      say(`NOT BUILT: the installer packages and Electron-ABI natives; the offline build kit (docs/release.md) lacks:`);
      for (const line of describeKitProblems(kit)) say(`  ${line}`);
    }
    if (options['require-complete'] && (!kit.complete || !signing)) process.exitCode = 3;
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

main().catch((error) => {
  process.stderr.write(`release: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
