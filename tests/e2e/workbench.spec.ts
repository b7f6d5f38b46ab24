import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { serviceCall } from './support/rpc';
import { signInWithRecoverySecret } from './support/sign-in';

// The workbench end to end (issue 14, "Done means"), as an analyst with a SoftHSM2 PIV card on the
// real browser host: a template opened in the editor and kept in the library, changed and kept again,
// the two versions compared in the library, the model run from the library with its samples kept,
// two runs saved, one reopened without running, the other added to compare, scenarios run with the
// same seed, every analysis read on the run screen, the samples exported as a CSV whose first line
// is the marking — and the next person to unlock the workstation finds none of it on screen.
// Screenshots of each analysis on the real run screen go to test-results/screenshots/workbench-*.png.
test.describe.configure({ mode: 'serial' });

const SHOTS = 'test-results/screenshots';
const MODEL = 'Project cost and schedule risk';

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
const consoleProblems: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst', alsoInReader: ['valid-ecc'] });
  recorded = await launchRecordedBrowser();
  host = await startCardHost(workstation, { systemHigh: 'SECRET//NOFORN' });
  page = await recorded.newPage();
  await page.setViewportSize({ width: 1280, height: 1400 });
  recordConsoleProblems(page, consoleProblems);
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await page.getByTestId('card-select').selectOption(workstation.card.serialNumber);
  const pin = page.getByTestId('pin-input');
  await expect(pin).toBeEnabled();
  await pin.fill(workstation.card.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
});

let modelId = 0;

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

/** Goes to a screen by its address, as Back, Forward and a bookmark do. */
async function go(route: '' | 'library' | 'run' | 'editor') {
  await page.evaluate((hash) => (window.location.hash = hash), route ? `#/${route}` : '#/');
}

const tab = (name: string) => page.getByRole('tab', { name, exact: true });
const section = (name: string) => page.getByTestId(`analysis-${name}`);

/** Opens an analysis tab and waits until the worker has answered. */
async function openAnalysis(label: string, name: string) {
  await tab(label).click();
  await expect(section(name)).toBeVisible();
  await expect(section(name).getByTestId('analysis-computing')).toHaveCount(0, { timeout: 60_000 });
}

async function runWith(seed: string) {
  await page.getByTestId('option-iterations').fill('200,000');
  await page.getByTestId('option-seed').fill(seed);
  await page.getByTestId('option-engine').selectOption('cpu');
  await expect(page.getByTestId('option-keep-samples')).toBeChecked();
  await page.evaluate(() => document.querySelector('[data-testid="run-results"]')?.setAttribute('data-stale', 'true'));
  await page.getByTestId('run-button').click();
  await expect(page.locator('[data-testid="run-results"]:not([data-stale])')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('run-iterations')).toHaveAttribute('data-value', '200000');
}

async function saveRun(name: string) {
  await page.getByTestId('save-run-name').fill(name);
  await page.getByTestId('save-run-button').click();
  await expect(page.getByTestId('saved-run-row').filter({ hasText: name })).toBeVisible({ timeout: 60_000 });
}

test('a template opened in the editor is kept in the library, changed, and kept as version 2', async () => {
  await page.getByTestId('open-editor').click();
  await page.getByTestId('editor-open-choice').selectOption('project-cost-schedule');
  await page.getByTestId('editor-open').click();
  await expect(page.getByTestId('editor-source')).toHaveText(`Editing the template “${MODEL}”`);
  await page.getByTestId('editor-comment').fill('from the template');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-source')).toContainText('Editing library model');
  await page.getByTestId('choose-input-structure').click();
  await page.getByTestId('param-max').fill('3500');
  await expect(page.getByTestId('editor-status')).toHaveText('Unsaved changes');
  await page.getByTestId('editor-comment').fill('steel price risk');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-status')).toHaveText('Saved as version 2.');
});

test('the library shows both versions and what changed between them', async () => {
  await go('library');
  const row = page.getByTestId('model-row').filter({ has: page.getByText(MODEL, { exact: true }) });
  await expect(row.getByTestId('model-versions')).toHaveText('2');
  await row.getByTestId('model-show-versions').click();
  const panel = page.getByTestId('versions-panel');
  await expect(panel.getByTestId('version-comment')).toHaveText(['steel price risk', 'from the template']);
  await panel.getByTestId('diff-show').click();
  const change = page.locator('[data-testid="diff-change"][data-path="inputs.structure.dist.max"]');
  await expect(change.getByRole('cell')).toHaveText(['Changed', 'inputs.structure.dist.max', '3300', '3500']);
  await page.screenshot({ path: `${SHOTS}/workbench-versions.png`, fullPage: true });
  modelId = Number(await row.getAttribute('data-model-id'));
  await row.getByTestId('model-run').click();
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('model-source')).toHaveText('Library, version 2');
});

test('two runs with their samples are saved; one reopens without running, the other is added to compare', async () => {
  test.setTimeout(240_000);
  await expect(page.getByTestId('marking-verdict')).toHaveAttribute('data-status', 'ok');
  await runWith('5');
  await saveRun('Baseline');
  await runWith('6');
  await saveRun('Seed six');
  const baseline = page.getByTestId('saved-run-row').filter({ hasText: 'Baseline' });
  await baseline.getByTestId('saved-run-open').click();
  await expect(page.getByTestId('saved-run-shown')).toContainText('Baseline');
  await expect(page.getByTestId('run-iterations')).toHaveAttribute('data-value', '200000');
  // The analyses appear once the saved run's samples have arrived from the store.
  await expect(page.getByTestId('analyses-panel')).toBeVisible({ timeout: 60_000 });
  const other = page.getByTestId('compare-runs').getByRole('checkbox');
  await expect(other).toHaveCount(1);
  // Checked once its statistics and samples have come from the store.
  await other.click();
  await expect(other).toBeChecked({ timeout: 60_000 });
  await openAnalysis('Comparison', 'comparison');
  const table = section('comparison').locator('table').first();
  await expect(table).toContainText('Baseline');
  await expect(table).toContainText('Seed six');
  await page.screenshot({ path: `${SHOTS}/workbench-comparison.png`, fullPage: true });
});

test('scenarios run with the run’s seed, side by side', async () => {
  test.setTimeout(240_000);
  await tab('Scenarios').click();
  await section('scenarios').getByLabel('Parameter').selectOption({ label: 'structure · max (3,500)' });
  await section('scenarios').getByRole('button', { name: 'Add parameter column' }).click();
  const editor = page.getByTestId('scenario-editor');
  await editor.getByLabel('Scenario 2: structure max').fill('4500');
  await editor.getByLabel('Name of scenario 2').fill('Steel overrun');
  await section('scenarios')
    .getByRole('button', { name: /^Run \d+ scenarios$/ })
    .click();
  await expect(page.getByTestId('scenario-results')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('scenario-results')).toContainText('Steel overrun');
  await expect(page.getByTestId('scenario-status')).toHaveText(/with seed 5\.$/);
  await page.screenshot({ path: `${SHOTS}/workbench-scenarios.png`, fullPage: true });
});

for (const [label, name] of [
  ['Tornado', 'tornado'],
  ['Spider', 'spider'],
  ['Tail drivers', 'tail'],
  ['Scatter', 'scatter'],
  ['Convergence', 'convergence'],
] as const)
  test(`${label}: computed from the saved run’s samples, its numbers in a table, its marking above it`, async () => {
    await openAnalysis(label, name);
    await expect(page.getByTestId(`marking-${name}`)).toHaveText('UNCLASSIFIED');
    await expect(section(name).locator('table td[data-value]').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/workbench-${name}.png`, fullPage: true });
  });

test('the samples export as a CSV whose first line is the marking, and the export is on the record', async () => {
  await openAnalysis('Export samples', 'export');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section('export').getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const lines = readFileSync((await download.path())!, 'utf8').split('\r\n');
  expect(lines[0]).toBe('UNCLASSIFIED');
  expect(lines[1]).toMatch(/^iteration,sitework \(input\),/);
  expect(lines).toHaveLength(2 + 200_000 + 1);
  await expect(page.getByTestId('export-status')).toContainText('200,000 rows');
  await page.screenshot({ path: `${SHOTS}/workbench-export.png`, fullPage: true });
});

test('the next person to unlock finds none of the analyst’s work on screen; the record has it all', async () => {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await signInWithRecoverySecret(page, workstation.recoverySecret!);
  await expect(page.getByTestId('session-role')).toHaveText('admin');
  await expect(page.getByTestId('app-home')).toBeVisible();
  await go('run');
  await expect(page.getByTestId('run-screen')).toBeVisible();
  await expect(page.getByTestId('run-results')).toHaveCount(0);
  await expect(page.getByTestId('run-analyses')).toHaveCount(0);
  await expect(page.getByTestId('saved-run-row')).toHaveCount(0);
  await go('editor');
  await expect(page.getByTestId('editor-source')).toHaveText('Editing a new blank model');
  type Entry = { event: string; object: string; detail: string };
  const audit = await serviceCall<{ entries: Entry[] }>(page, 'audit.list', { limit: 200 });
  if (!audit.ok) throw new Error(audit.error.message);
  const events = audit.value.entries.map((e) => e.event);
  for (const event of ['model.create', 'model.save', 'run.start', 'run.save', 'run.export'])
    expect(events, event).toContain(event);
  const exported = audit.value.entries.find((e) => e.event === 'run.export')!;
  expect(JSON.parse(exported.detail)).toMatchObject({ by: workstation.card.commonName, marking: 'UNCLASSIFIED' });
});

test('a viewer it is shared with reads its saved runs in the library, and cannot run them', async () => {
  // The administrator enrols the second card in the reader as a viewer; the analyst had shared the model with viewers.
  const viewerCard = workstation.others[0]!;
  const enrolled = await serviceCall(page, 'identity.enroll', {
    serialNumber: viewerCard.serialNumber,
    role: 'viewer',
  });
  expect(enrolled.ok).toBe(true);
  await page.getByTestId('lock-button').click();
  await page.getByTestId('card-select').selectOption(workstation.card.serialNumber);
  await page.getByTestId('pin-input').fill(workstation.card.pin);
  await page.getByTestId('pin-input').press('Enter');
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
  const shared = await serviceCall(page, 'models.share', {
    id: modelId,
    grants: [{ grantee: { role: 'viewer' }, access: 'read' }],
  });
  expect(shared.ok).toBe(true);
  await page.getByTestId('lock-button').click();
  await page.getByTestId('card-select').selectOption(viewerCard.serialNumber);
  await page.getByTestId('pin-input').fill(viewerCard.pin);
  await page.getByTestId('pin-input').press('Enter');
  await expect(page.getByTestId('session-role')).toHaveText('viewer');
  await go('library');
  const row = page.getByTestId('model-row').filter({ has: page.getByText(MODEL, { exact: true }) });
  await expect(row.getByTestId('model-run')).toHaveCount(0);
  await row.getByTestId('model-show-runs').click();
  const runs = page.getByTestId('runs-panel');
  await expect(runs.getByTestId('runs-row')).toHaveCount(2);
  await runs.getByTestId('runs-row').filter({ hasText: 'Baseline' }).getByTestId('runs-open').click();
  const mean = runs.getByTestId('runs-output-total_cost').getByTestId('stat-mean');
  await expect(mean).toHaveAttribute('data-value', /^\d/);
  await page.screenshot({ path: `${SHOTS}/workbench-viewer-runs.png`, fullPage: true });
  // Nothing runs for a viewer: no run screen, and the service refuses a run.
  await go('run');
  await expect(page.getByTestId('run-screen')).toHaveCount(0);
  const refused = await serviceCall(page, 'runs.authorize', {
    model: MODEL,
    marking: 'UNCLASSIFIED',
    iterations: 1,
    seed: 1,
    sampling: 'mc',
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test('nothing went wrong on the page', () => {
  expect(consoleProblems).toEqual([]);
});
