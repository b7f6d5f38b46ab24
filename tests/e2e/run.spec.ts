import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel } from '../../common/engine/compile-model';
import { summarizeSimulation, SENSITIVITY_ITERATIONS } from '../../common/engine/summary';
import { simulateCpu } from '../../common/engine/simulate-cpu';
import { launchRecordedBrowser, type RecordedBrowser } from './support/browser';
import { expectNothingLeftLoopback } from './support/netlog';
import { startHost, type SetUpHost } from '../support/host-process';
import { signInWithRecoverySecret } from './support/sign-in';

// The run screen in the app page served by the real browser host (UNCLASSIFIED system high),
// under its CSP and Trusted Types, on Chromium with WebGPU on SwiftShader: the CPU Web Worker
// pool, the engine choice, Cancel, model files and the marking gate, through the UI only.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let host: SetUpHost;
let page: Page;
const consoleProblems: string[] = [];
/** Every Web Worker the page started. */
const workerUrls: string[] = [];

const PROJECT_MODEL = JSON.parse(readFileSync(join('resources', 'models', 'project-cost-schedule.json'), 'utf8')) as {
  name: string;
  outputs: string[];
};

test.beforeAll(async () => {
  [recorded, host] = await Promise.all([launchRecordedBrowser(), startHost()]);
  page = await recorded.newPage();
  // CSP and Trusted Types violations (in the page and in its workers), failed loads and uncaught errors land here.
  const record = (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning')
      consoleProblems.push(`${message.type()}: ${message.text()}`);
  };
  page.on('console', record);
  page.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
  page.on('worker', (worker) => {
    workerUrls.push(worker.url());
    worker.on('console', record);
  });
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
});

async function setOptions(options: {
  iterations: string;
  seed?: string;
  engine: 'auto' | 'webgpu' | 'cpu';
  sampling?: 'mc' | 'lhs';
}) {
  await page.getByLabel('Iterations').fill(options.iterations);
  await page.getByLabel('Seed').fill(options.seed ?? '1');
  await page.getByLabel('Sampling').selectOption(options.sampling ?? 'mc');
  await page.getByLabel('Engine').selectOption(options.engine);
}

/** A model file as the file picker would hand it over. */
async function openModelFile(name: string, content: string) {
  await page
    .getByTestId('model-file')
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
}

const cellValue = async (output: string, stat: string) =>
  Number(await page.getByTestId(`output-${output}`).getByTestId(`stat-${stat}`).getAttribute('data-value'));

test('the run screen opens from the home screen and shows the chosen example model with its marking', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await signInWithRecoverySecret(page, host.recoverySecret);
  await page.getByRole('button', { name: 'Run a simulation' }).click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run' })).toBeDisabled(); // no model yet
  await page.getByLabel('Example model').selectOption({ label: PROJECT_MODEL.name });
  await expect(page.getByTestId('model-name')).toHaveText(PROJECT_MODEL.name);
  await expect(page.getByTestId('model-marking')).toHaveText('UNCLASSIFIED');
  await expect(page.getByTestId('marking-verdict')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('correlation-adjustments')).toHaveCount(0);
});

test('200,000 iterations on the CPU workers give the statistics simulateCpu and summarizeSimulation give in Node', async () => {
  await setOptions({ iterations: '200,000', seed: '20261122', engine: 'cpu' });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-results')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('run-engine')).toHaveAttribute('data-engine', 'cpu');
  // The workers draw their uniforms with the WebAssembly Philox: the CSP allows WebAssembly, and nothing else that evaluates code.
  await expect(page.getByTestId('run-engine')).toContainText(/CPU workers \(\d+, Philox in WebAssembly\)/);
  await expect(page.getByTestId('run-reason')).toHaveText(
    /CPU workers \(\d+(, Philox in WebAssembly)?\), as chosen in the options/,
  );
  await expect(page.getByTestId('run-iterations')).toHaveAttribute('data-value', '200000');
  expect(Number(await page.getByTestId('run-rate').getAttribute('data-value'))).toBeGreaterThan(0);
  // The work ran in module workers built from the app's own origin: the pool's and the statistics worker.
  const workers = Number(/CPU workers \((\d+)/.exec((await page.getByTestId('run-engine').textContent()) ?? '')?.[1]);
  expect(workerUrls.length).toBeGreaterThanOrEqual(Math.min(workers, 2) + 1);
  for (const url of workerUrls)
    expect(url.startsWith(`${host.origin}/assets/worker-`) && url.endsWith('.js'), url).toBe(true);
  await test.info().attach('cpu-run', {
    contentType: 'text/plain',
    body: `${await page.getByTestId('run-engine').textContent()}: ${await page.getByTestId('run-rate').textContent()}, ${await page.getByTestId('run-seconds').textContent()}\n`,
  });

  const compiled = compileModel(PROJECT_MODEL);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  const values = simulateCpu(compiled.compiled, {
    iterations: 200_000,
    seed: 20261122,
    keepInputs: SENSITIVITY_ITERATIONS,
  });
  const expected = summarizeSimulation({ outputs: values.outputs, inputs: values.inputs! });
  const close = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.max(Math.abs(want), 1e-300);
  for (const output of PROJECT_MODEL.outputs) {
    const want = expected.outputs[output]!;
    const mismatches: string[] = [];
    const check = (stat: string, got: number, wantValue: number) => {
      if (!close(got, wantValue)) mismatches.push(`${output}.${stat}: app ${got}, node ${wantValue}`);
    };
    check('mean', await cellValue(output, 'mean'), want.mean);
    check('sd', await cellValue(output, 'sd'), want.sd);
    check('skewness', await cellValue(output, 'skewness'), want.skewness);
    check('kurtosis', await cellValue(output, 'kurtosis'), want.kurtosis);
    check('ci95-low', await cellValue(output, 'ci95-low'), want.ci95[0]);
    check('ci95-high', await cellValue(output, 'ci95-high'), want.ci95[1]);
    // Exact order statistics of the same iterations. Not bit-equal: Chromium's V8 and Node's differ
    // by an ulp in some Math functions (a Weibull quantile's pow), far inside 1e-9.
    check('min', await cellValue(output, 'min'), want.min);
    check('max', await cellValue(output, 'max'), want.max);
    for (const [p, value] of Object.entries(want.percentiles)) check(p, await cellValue(output, p), value);
    expect(mismatches).toEqual([]);

    // Both charts drew on a canvas, and the sensitivity has a row per input with the same rank correlations.
    const section = page.getByTestId(`output-${output}`);
    await expect(section.getByTestId(`histogram-${output}`).locator('canvas')).toHaveCount(1);
    await expect(section.getByTestId(`cdf-${output}`).locator('canvas')).toHaveCount(1);
    for (const row of expected.sensitivity[output]!.inputs) {
      const cells = section.getByTestId(`sensitivity-row-${output}-${row.input}`).locator('td');
      expect(
        close(Number(await cells.nth(0).getAttribute('data-value')), row.rankCorrelation),
        `${output} ~ ${row.input}`,
      ).toBe(true);
      expect(
        close(Number(await cells.nth(2).getAttribute('data-value')), row.contributionToVariance),
        `${output} ~ ${row.input} share`,
      ).toBe(true);
    }
  }
});

test('a screenshot of the results is kept as a test artifact', async () => {
  const testInfo = test.info();
  const path = testInfo.outputPath('enclave-run.png');
  // The banners stay on screen and the body scrolls, so a tall window shows the whole screen.
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: 3200 });
  await page.screenshot({ path });
  await page.setViewportSize(viewport);
  await testInfo.attach('enclave-run', { path, contentType: 'image/png' });
});

test('auto calibrates both backends on the model and says which it chose and why', async () => {
  await setOptions({ iterations: '200,000', seed: '7', engine: 'auto' });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-results')).toBeVisible({ timeout: 90_000 });
  const reason = page.getByTestId('run-reason');
  await expect(reason).toContainText(/CPU workers \(\d+, Philox in WebAssembly\): [\d.]+[kMG]? it\/s/);
  await expect(reason).toContainText('WebGPU on google / swiftshader');
  await expect(reason).toContainText(/— chose (CPU|WebGPU)$/);
  const chose = /chose WebGPU$/.test((await reason.textContent()) ?? '') ? 'webgpu' : 'cpu';
  await expect(page.getByTestId('run-engine')).toHaveAttribute('data-engine', chose);
  await test.info().attach('auto-reason', { contentType: 'text/plain', body: `${await reason.textContent()}\n` });
});

test('WebGPU, when chosen, runs the model and its statistics agree with the CPU to f32 precision', async () => {
  await setOptions({ iterations: '200,000', seed: '20261122', engine: 'webgpu' });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('run-engine')).toHaveAttribute('data-engine', 'webgpu');
  await expect(page.getByTestId('run-reason')).toHaveText('WebGPU on google / swiftshader, as chosen in the options');
  const compiled = compileModel(PROJECT_MODEL);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  const values = simulateCpu(compiled.compiled, { iterations: 200_000, seed: 20261122 });
  const expected = summarizeSimulation({ outputs: values.outputs, inputs: {} });
  for (const output of PROJECT_MODEL.outputs) {
    const want = expected.outputs[output]!;
    const scale = Math.max(Math.abs(want.mean), want.sd);
    // The GPU computes in f32: the same iterations, each within a few f32 ulps.
    expect(Math.abs((await cellValue(output, 'mean')) - want.mean) / scale, `${output} mean`).toBeLessThan(1e-4);
    for (const [p, value] of Object.entries(want.percentiles))
      expect(Math.abs((await cellValue(output, p)) - value) / scale, `${output} ${p}`).toBeLessThan(1e-4);
  }
});

test('Cancel stops a long run, the screen says it was cancelled, and the next run works', async () => {
  await setOptions({ iterations: '30,000,000', engine: 'cpu' });
  await page.getByRole('button', { name: 'Run' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-phase', 'running');
  await expect
    .poll(async () => Number((await page.getByTestId('run-progress').getAttribute('value')) ?? 0), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await expect(page.getByTestId('run-progress-text')).toContainText('of 30,000,000 iterations');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(status).toHaveAttribute('data-phase', 'cancelled');
  await expect(status).toContainText('The run was cancelled');
  await expect(page.getByTestId('run-results')).toHaveCount(0);

  // The pool starts fresh workers after a cancel.
  await setOptions({ iterations: '20000', engine: 'cpu' });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-results')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('run-iterations')).toHaveAttribute('data-value', '20000');
});

test('a run too big for the page is refused with the figures before the workers take the memory', async () => {
  // 100 outputs × 100,000,000 iterations: 80 GB of values, whatever the number of workers.
  const wide = {
    format: 'enclave-model/1',
    name: 'Wide model',
    marking: 'UNCLASSIFIED',
    inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
    formulas: Array.from({ length: 100 }, (_, i) => ({ name: `o${i}`, expr: `x + ${i}` })),
    outputs: Array.from({ length: 100 }, (_, i) => `o${i}`),
  };
  await openModelFile('wide.json', JSON.stringify(wide));
  await expect(page.getByRole('button', { name: 'Run' })).toBeEnabled();
  await setOptions({ iterations: '100,000,000', engine: 'cpu' });
  await page.getByRole('button', { name: 'Run' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-phase', 'failed');
  await expect(status).toContainText(
    /This run needs about 8\d\.\d GB of memory; the limit is \d+\.\d GB: lower the iterations or the number of outputs\./,
  );
  await expect(page.getByTestId('run-results')).toHaveCount(0);
  await setOptions({ iterations: '20000', engine: 'cpu' });
});

test('an invalid model file shows every error compileModel finds, and no stack trace', async () => {
  const broken = {
    format: 'enclave-model/1',
    name: 'Broken',
    marking: 'UNCLASSIFIED',
    inputs: [
      { name: 'cost', dist: { type: 'normal', mean: 10, sd: -1 } },
      { name: 'delay', dist: { type: 'triangular', min: 5, mode: 1, max: 3 } },
    ],
    outputs: ['cost'],
  };
  const expected = compileModel(broken);
  expect(expected.ok).toBe(false);
  const errors = expected.ok ? [] : expected.errors;
  expect(errors.length).toBeGreaterThanOrEqual(2);
  await openModelFile('broken-model.json', JSON.stringify(broken));
  const shown = page.getByTestId('model-errors');
  await expect(shown).toContainText('broken-model.json');
  await expect(shown.locator('li')).toHaveText(errors);
  await expect(page.getByTestId('model-name')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run' })).toBeDisabled();

  // A model whose formulas do not compile: the expression errors, each naming its formula.
  const badFormula = {
    ...broken,
    inputs: [{ name: 'cost', dist: { type: 'normal', mean: 10, sd: 1 } }],
    formulas: [
      { name: 'total', expr: 'cost * (1 +' },
      { name: 'other', expr: 'missing + 1' },
    ],
    outputs: ['total', 'nothing'],
  };
  const formulaErrors = compileModel(badFormula);
  await openModelFile('bad-formulas.json', JSON.stringify(badFormula));
  await expect(shown.locator('li')).toHaveText(formulaErrors.ok ? [] : formulaErrors.errors);

  await openModelFile('not-json.json', '{ "format": "enclave-model/1", ');
  await expect(shown).toContainText('The file is not JSON');
  await expect(page.locator('body')).not.toContainText(/\bat \w+ \(|\.js:\d+|\.ts:\d+/);
});

test("a model marked above the system high is refused with the service's message and cannot run", async () => {
  const secret = { ...PROJECT_MODEL, name: 'Secret cost model', marking: 'SECRET//NOFORN' };
  await openModelFile('secret-model.json', JSON.stringify(secret));
  await expect(page.getByTestId('model-name')).toHaveText('Secret cost model');
  const verdict = page.getByTestId('marking-verdict');
  await expect(verdict).toHaveAttribute('data-status', 'refused');
  await expect(verdict).toContainText("SECRET//NOFORN is above this system's high-water mark (UNCLASSIFIED)");
  await expect(page.getByRole('button', { name: 'Run' })).toBeDisabled();
});

test('requested correlations that are not a valid matrix are shown with what is used instead', async () => {
  const model = {
    format: 'enclave-model/1',
    name: 'Inconsistent correlations',
    marking: 'UNCLASSIFIED',
    inputs: ['a', 'b', 'c'].map((name) => ({ name, dist: { type: 'normal', mean: 0, sd: 1 } })),
    correlations: [
      { a: 'a', b: 'b', rank: 0.9 },
      { a: 'b', b: 'c', rank: 0.9 },
      { a: 'a', b: 'c', rank: -0.9 },
    ],
    formulas: [{ name: 'total', expr: 'a + b + c' }],
    outputs: ['total'],
  };
  const compiled = compileModel(model);
  if (!compiled.ok) throw new Error(compiled.errors.join('; '));
  expect(compiled.compiled.correlationAdjustments.length).toBeGreaterThan(0);
  await openModelFile('inconsistent.json', JSON.stringify(model));
  const notice = page.getByTestId('correlation-adjustments');
  await expect(notice).toContainText('nearest valid matrix');
  await expect(notice.locator('li')).toHaveCount(compiled.compiled.correlationAdjustments.length);
  await expect(notice).toContainText('a ~ c: requested -0.9, used');
});

test('Trusted Types let the engine policy make its one worker URL and nothing else', async () => {
  expect(consoleProblems).toEqual([]); // the runs above made no CSP or Trusted Types complaint
  const outcome = await page.evaluate(() => {
    const attempt = (work: () => unknown) => {
      try {
        work();
        return 'allowed';
      } catch (error) {
        return (error as Error).name;
      }
    };
    const tt = (globalThis as unknown as { trustedTypes: { createPolicy(name: string, rules: object): unknown } })
      .trustedTypes;
    return {
      plainWorkerUrl: attempt(() => new Worker('/assets/anything.js', { type: 'module' })),
      otherPolicy: attempt(() => tt.createPolicy('someone-else', { createScriptURL: (s: string) => s })),
      secondEnginePolicy: attempt(() =>
        tt.createPolicy('enclave-engine-worker', { createScriptURL: (s: string) => s }),
      ),
    };
  });
  expect(outcome).toEqual({ plainWorkerUrl: 'TypeError', otherPolicy: 'TypeError', secondEnginePolicy: 'TypeError' });
  // The browser reports each refusal on the console; they are the only messages there.
  const refusals = consoleProblems.splice(0);
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals.filter((line) => !/Trusted ?Type|trusted-types|TrustedScriptURL/i.test(line))).toEqual([]);
});

test('the run screen ran without a console error and nothing left 127.0.0.1', async () => {
  expect(consoleProblems).toEqual([]);
  await expectNothingLeftLoopback(recorded);
});
