import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { build as esbuildBuild, Plugin } from 'esbuild';

/** Vite's `?raw`: the file's text as the default export (how renderer/engine/webgpu imports its WGSL). */
const viteRaw: Plugin = {
  name: 'vite-raw',
  setup(builder) {
    builder.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)),
      namespace: 'vite-raw',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'vite-raw' }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

/**
 * renderer/engine/webgpu (and whatever `entry` imports beside it) bundled into one script for a
 * page, WGSL included. The app's Vite build is not used because the e2e tests and the benchmark
 * install the engine into a page themselves. `build` is esbuild's: the benchmark loads esbuild at
 * run time rather than bundling it, so it passes its own, and the repository root (its bundle
 * runs from a temporary folder).
 */
export async function bundleForPage(
  build: typeof esbuildBuild,
  root: string,
  entry: string[],
  sourcefile: string,
): Promise<string> {
  const result = await build({
    stdin: {
      contents: entry.join('\n'),
      resolveDir: join(root, 'renderer', 'engine', 'webgpu'),
      sourcefile,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    target: 'chrome130',
    write: false,
    logLevel: 'silent',
    plugins: [viteRaw],
  });
  return result.outputFiles[0]!.text;
}
