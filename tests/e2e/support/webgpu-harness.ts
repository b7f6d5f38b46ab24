/// <reference types="vite/client" />
// ↑ renderer/engine/webgpu imports its WGSL with Vite's `?raw` suffix; this gives those imports
// their type (string) when the e2e project type-checks the engine through the type below.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { bundleForPage } from '../../support/page-bundle';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The WebGPU engine module (the app's, with the test kernels of tests/support/webgpu), as the page sees it once installed. */
export type WebGpuEngine = typeof import('../../support/webgpu/index');

/** Where the installed engine lives in the page: `(globalThis as EngineGlobal).__enclaveWebGpu`. */
export interface EngineGlobal {
  __enclaveWebGpu: WebGpuEngine;
  __enclaveTestDevice?: GPUDevice;
}

/**
 * renderer/engine/webgpu, with the test kernels of tests/support/webgpu, bundled into one script,
 * WGSL included, that puts the module on globalThis.__enclaveWebGpu. It is built here for the test only: the app's Vite build does not
 * include it until a screen imports the engine.
 */
export function bundleWebGpuEngine(): Promise<string> {
  return bundleForPage(
    build,
    repoRoot,
    [
      "import * as engine from '../../../tests/support/webgpu/index';",
      '(globalThis as unknown as { __enclaveWebGpu: typeof engine }).__enclaveWebGpu = engine;',
    ],
    'webgpu-e2e-entry.ts',
  );
}

/**
 * Runs the engine bundle inside `page`. Playwright evaluates it through the DevTools protocol,
 * which the page's CSP (no inline scripts, no eval) does not govern; the engine itself needs
 * neither, so it runs under that CSP like the app's own code.
 */
export async function installWebGpuEngine(page: Page, bundle: string): Promise<void> {
  await page.evaluate(bundle);
  const exported = await page.evaluate(() =>
    Object.keys((globalThis as unknown as EngineGlobal).__enclaveWebGpu ?? {}).sort(),
  );
  if (!exported.includes('runPhiloxBlocks'))
    throw new Error(`The WebGPU engine did not install in the page (exports: ${exported.join(', ') || 'none'}).`);
}

/** The simulation engine as the page sees it once installed: the WebGPU module and the model compiler. */
export interface SimulationGlobal {
  __enclaveSimulation: {
    engine: WebGpuEngine;
    compileModel: typeof import('../../../common/engine/compile-model').compileModel;
    RunCancelledError: typeof import('../../../renderer/engine/backend').RunCancelledError;
  };
  __enclaveSimulationDevice?: GPUDevice;
}

/**
 * The WebGPU engine with common/engine's model compiler, bundled for a page. zod runs jitless
 * (renderer/app/zod-config.ts) because the app's CSP forbids the eval it would otherwise probe
 * for; it is imported first so the setting is in place before any schema is built.
 */
export function bundleWebGpuSimulation(): Promise<string> {
  return bundleForPage(
    build,
    repoRoot,
    [
      "import '../../app/zod-config';",
      "import * as engine from '../../../tests/support/webgpu/index';",
      "import { compileModel } from '../../../common/engine/compile-model';",
      "import { RunCancelledError } from '../backend';",
      '(globalThis as unknown as { __enclaveSimulation: unknown }).__enclaveSimulation = { engine, compileModel, RunCancelledError };',
    ],
    'webgpu-simulation-e2e-entry.ts',
  );
}

/** Runs the simulation bundle inside `page` (see installWebGpuEngine for why this respects the CSP). */
export async function installWebGpuSimulation(page: Page, bundle: string): Promise<void> {
  await page.evaluate(bundle);
  const ready = await page.evaluate(
    () =>
      typeof (globalThis as unknown as SimulationGlobal).__enclaveSimulation?.engine.createWebGpuBackend === 'function',
  );
  if (!ready) throw new Error('The WebGPU simulation engine did not install in the page.');
}
