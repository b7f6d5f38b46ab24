import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { serviceCall } from './support/rpc';

// Saved runs through the UI (renderer/features/run, docs/runs.md), with a SoftHSM2 card as the
// analyst: the project cost model is put in the library, run from the run screen as a library
// model, saved with its samples, reopened without running (its results shown in under 300 ms),
// and run again with the same version and seed: the statistics are identical, bit for bit.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
let modelId = 0;
const consoleProblems: string[] = [];

const projectCost = JSON.parse(
  readFileSync(new URL('../../resources/models/project-cost-schedule.json', import.meta.url), 'utf8'),
) as object;

const statisticsText = () => page.getByTestId('run-results').locator('table').first().innerText();

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst' });
  [recorded, host] = await Promise.all([launchRecordedBrowser(), startCardHost(workstation)]);
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

test('an analyst runs a model of the library from the run screen', async () => {
  test.setTimeout(120_000);
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  const pin = page.getByTestId('pin-input');
  await expect(pin).toBeEnabled();
  await pin.fill(workstation.card.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
  const created = await serviceCall<{ model: { id: number } }>(page, 'models.create', { model: projectCost });
  if (!created.ok) throw new Error(created.error.message);
  modelId = created.value.model.id;

  await page.getByRole('button', { name: 'Run a simulation' }).click();
  await page.getByTestId('library-select').selectOption(String(modelId));
  await expect(page.getByTestId('model-source')).toHaveText('Library, version 1');
  await expect(page.getByTestId('marking-verdict')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('samples-cap')).toContainText('keeps at most 1,000,000 iterations of each input');
  await page.getByTestId('option-iterations').fill('300,000');
  await page.getByTestId('option-seed').fill('20261202');
  await page.getByTestId('option-engine').selectOption('cpu');
  await expect(page.getByTestId('option-keep-samples')).toBeChecked();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-results')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('save-run-keeps')).toHaveText(
    'Saves the results and the first 300,000 iterations of every input and output.',
  );
});

test('the run is saved with its samples and listed, marked as its model version', async () => {
  test.setTimeout(120_000);
  await page.getByTestId('save-run-name').fill('Baseline');
  await page.getByTestId('save-run-comment').fill('for the board');
  await page.getByTestId('save-run-button').click();
  const row = page.getByTestId('saved-run-row').filter({ hasText: 'Baseline' });
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText('UNCLASSIFIED');
  await expect(row).toContainText('20261202');
  await expect(row).toContainText('300,000');
  await expect(page.getByTestId('saved-run-shown')).toContainText('Baseline');
  await page.screenshot({ path: 'test-results/screenshots/saved-runs-list.png', fullPage: true });
});

test('reopened, the saved run shows its results without running, in under 300 ms, then its samples', async () => {
  test.setTimeout(120_000);
  const before = await statisticsText();
  // Another result on screen first, so what shows next is the saved run's.
  await page.getByTestId('option-iterations').fill('20,000');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-iterations')).toHaveAttribute('data-value', '20000', { timeout: 60_000 });
  const row = page.getByTestId('saved-run-row').filter({ hasText: 'Baseline' });
  await row.getByTestId('saved-run-open').click();
  await expect(page.getByTestId('saved-run-shown')).toContainText(/results shown in \d+ ms/);
  await expect(page.getByTestId('run-status')).toHaveCount(0); // nothing ran
  await expect(page.getByTestId('run-iterations')).toHaveAttribute('data-value', '300000');
  expect(await statisticsText()).toBe(before);
  const shownIn = Number((await page.getByTestId('saved-run-shown').innerText()).match(/shown in (\d+) ms/)![1]);
  test.info().annotations.push({ type: 'reopen ms', description: String(shownIn) });
  expect(shownIn).toBeLessThan(300);
  await expect(page.getByTestId('saved-run-samples')).toHaveAttribute('data-iterations', '300000', {
    timeout: 60_000,
  });
  await page.screenshot({ path: 'test-results/screenshots/saved-run-reopened.png', fullPage: true });
});

test('run again with the saved version and seed: bit-identical statistics', async () => {
  test.setTimeout(180_000);
  await page.getByTestId('saved-run-row').filter({ hasText: 'Baseline' }).getByTestId('saved-run-rerun').click();
  await expect(page.getByTestId('rerun-comparison')).toHaveAttribute('data-identical', 'true', { timeout: 120_000 });
  await expect(page.getByTestId('rerun-comparison')).toContainText('identical, bit for bit');
  expect(consoleProblems).toEqual([]);
});

test('the service keeps the samples and marks the run as its version', async () => {
  const runs = await serviceCall<{ runs: { name: string; banner: string; samples: { bytes: number } | null }[] }>(
    page,
    'runs.list',
    { model: modelId },
  );
  if (!runs.ok) throw new Error(runs.error.message);
  const baseline = runs.value.runs.find((r) => r.name === 'Baseline')!;
  expect(baseline.banner).toBe('UNCLASSIFIED');
  expect(baseline.samples!.bytes).toBeGreaterThan(0);
  expect(baseline.samples!.bytes).toBeLessThan(300_000 * 7 * 8);
});
