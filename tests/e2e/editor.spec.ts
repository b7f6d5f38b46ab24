import { expect, test, type Page } from '@playwright/test';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { serviceCall } from './support/rpc';

// The model editor through the UI (issue 14, item 2): an analyst signed in with a SoftHSM2 PIV card
// on the real browser host builds a model from nothing, saves it to the library in the encrypted
// store, changes it and saves a new version, undoes and redoes, meets the unsaved-change guard and
// a refusal of the service, and opens a template. No mocks: every save goes through the service.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
const consoleProblems: string[] = [];
let modelId = 0;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'analyst' });
  recorded = await launchRecordedBrowser();
  host = await startCardHost(workstation, { systemHigh: 'SECRET//NOFORN' });
  page = await recorded.newPage();
  // Tall enough that each screenshot holds a whole section with the banners above and below.
  await page.setViewportSize({ width: 1280, height: 1500 });
  recordConsoleProblems(page, consoleProblems);
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  const pin = page.getByTestId('pin-input');
  await expect(pin).toBeEnabled();
  await pin.fill(workstation.card.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
});

const editor = () => page.getByTestId('editor-screen');
const status = () => page.getByTestId('editor-status');

interface OpenedModel {
  model: {
    inputs: { name: string; dist: Record<string, unknown>; marking?: string }[];
    correlations: { a: string; b: string; rank: number }[];
    formulas: { name: string; expr: string }[];
    outputs: string[];
    marking: string;
  };
  version: { version: number; comment: string };
  summary: { banner: string };
}

async function libraryModel(id: number): Promise<OpenedModel> {
  const result = await serviceCall<OpenedModel>(page, 'models.open', { id });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

test('a new input previews its distribution live, with parameter errors beside the field', async () => {
  await page.getByTestId('open-editor').click();
  await expect(editor()).toBeVisible();
  await expect(page.getByTestId('editor-source')).toHaveText('Editing a new blank model');
  await page.getByTestId('add-input').click();
  await page.getByTestId('input-name').fill('labour');
  // A new input is a Normal(0, 1): P95 1.6449.
  await expect(page.getByTestId('gallery-normal')).toBeChecked();
  await expect(page.getByTestId('preview-p95')).toHaveText('1.6449');
  await expect(page.getByTestId('preview-p5')).toHaveText('−1.6449');
  await expect(page.getByTestId('preview-sd')).toHaveText('1');
  // A negative sd: the schema's words beside the field, marked invalid, and no preview.
  await page.getByTestId('param-sd').fill('-5');
  await expect(page.getByTestId('param-sd')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('param-sd-problem')).toHaveText('must be greater than 0');
  await expect(page.getByTestId('preview-waiting')).toBeVisible();
  // Text that is not a number stays in the field with its reason.
  await page.getByTestId('param-mean').fill('12x');
  await expect(page.getByTestId('param-mean-problem')).toHaveText('"12x" is not a number');
  await page.getByTestId('param-mean').fill('1000');
  await page.getByTestId('param-sd').fill('100');
  await expect(page.getByTestId('param-sd')).not.toHaveAttribute('aria-invalid');
  await expect(page.getByTestId('preview-mean')).toHaveText('1000');
  await expect(page.getByTestId('preview-p95')).toHaveText('1164.5');
  await page.getByTestId('input-unit').fill('$k');
  // Truncation moves the statistics: Normal(1000, 100) on [1000, 2000] is a half-normal from 1000.
  await page.getByTestId('truncate-on').check();
  await page.getByTestId('truncate-low').fill('1000');
  await page.getByTestId('truncate-high').fill('2000');
  await expect(page.getByTestId('preview-mean')).toHaveText('1079.8');
  await page.getByTestId('truncate-on').uncheck();
  await expect(page.getByTestId('preview-mean')).toHaveText('1000');

  // The second input from the gallery: a PERT three-point estimate.
  await page.getByTestId('add-input').click();
  await page.getByTestId('input-name').fill('materials');
  await page.getByTestId('gallery-pert').check();
  await page.getByTestId('param-min').fill('200');
  await page.getByTestId('param-mode').fill('250');
  await page.getByTestId('param-max').fill('150');
  await expect(page.getByTestId('param-problem')).toHaveText('needs min ≤ mode ≤ max and min < max');
  await page.getByTestId('param-max').fill('400');
  await expect(page.getByTestId('param-problem')).toHaveCount(0);
  await expect(page.getByTestId('preview-mean')).toHaveText('266.67');
  await expect(page.getByTestId('preview-density').locator('path')).toHaveCount(2);
  await page.getByTestId('distribution-preview').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/editor-gallery.png', fullPage: true });
});

test('a correlation the engine cannot use is shown beside the nearest valid matrix, and accepting it makes it valid', async () => {
  const cell = page.getByTestId('corr-labour-materials');
  await cell.fill('1');
  // Setting (labour, materials) sets (materials, labour).
  await expect(page.getByTestId('corr-materials-labour')).toHaveValue('1');
  await expect(page.getByTestId('matrix-check')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('matrix-repaired')).toBeVisible();
  await page.getByTestId('matrix-check').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/editor-correlation-repair.png', fullPage: true });
  // Keep editing puts the focus back in the grid.
  await page.getByTestId('matrix-keep-editing').click();
  await expect(cell).toBeFocused();
  await page.getByTestId('matrix-accept').click();
  await expect(page.getByTestId('matrix-check')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('matrix-repaired')).toHaveCount(0);
  const accepted = Number(await cell.inputValue());
  expect(accepted).toBeLessThan(1);
  expect(accepted).toBeGreaterThan(0.95);
});

test('a formula shows a typo and a cycle where they are, completes names by keyboard, and is fixed', async () => {
  await page.getByTestId('add-formula').click();
  await page.getByTestId('formula-name-0').fill('total');
  const expr = page.getByTestId('formula-expr-0');
  await expr.fill('labour + materals * 1.1');
  const problems = page.getByTestId('formula-expr-0-problems');
  await expect(problems).toHaveText(
    '"materals" is not an input or a formula (at character 10) — did you mean materials?',
  );
  await expect(expr).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('formula-expr-0-highlight').locator('[data-kind="unknown"]')).toHaveText('materals');
  // A second formula that depends on itself: the cycle's path.
  await page.getByTestId('add-formula').click();
  await page.getByTestId('formula-name-1').fill('fee');
  await page.getByTestId('formula-expr-1').fill('fee + (1');
  await expect(page.getByTestId('formula-expr-1-problems')).toHaveText(
    'expected ")" but found the end of the expression (at character 9)',
  );
  await page.getByTestId('formula-expr-1').fill('fee * 0.1');
  await expect(page.getByTestId('formula-expr-1-problems')).toHaveText(
    'fee → fee: these formulas depend on each other in a cycle',
  );
  await page.getByTestId('editor-outputs').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/editor-formula-errors.png', fullPage: true });
  await page.getByRole('button', { name: 'Remove formula fee' }).click();

  // Completion: type "mat", the list offers materials first; Enter inserts it.
  await expr.fill('');
  await expr.pressSequentially('labour + mat');
  const list = page.getByTestId('formula-expr-0-completion');
  await expect(list).toBeVisible();
  await expect(list.getByRole('option').first()).toHaveText(/materials/);
  await expect(list.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(expr).toHaveValue('labour + materials');
  await expect(list).toBeHidden();
  // Functions complete with their parenthesis; Escape closes the list without inserting.
  await expr.pressSequentially(' * ma');
  await expect(list).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(editor()).toBeVisible();
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await expr.pressSequentially('1.1');
  await expect(expr).toHaveValue('labour + materials * 1.1');
  await expect(problems).toHaveCount(0);
  await expect(page.getByTestId('formula-expr-0-highlight').locator('[data-kind="input"]')).toHaveText([
    'labour',
    'materials',
  ]);
});

test('outputs are chosen from formulas and inputs; the model is saved to the library as version 1', async () => {
  await expect(page.getByTestId('editor-problems')).toContainText('outputs');
  await page.getByTestId('output-total').check();
  await page.getByTestId('model-name').fill('Build cost');
  await expect(page.getByTestId('editor-no-problems')).toBeVisible();
  await expect(status()).toHaveText('Unsaved changes');
  await page.getByTestId('editor-comment').fill('first estimate');
  await page.getByTestId('editor-save').click();
  await expect(status()).toHaveText('Saved to the library as version 1.');
  await expect(page.getByTestId('editor-source')).toContainText('Editing library model');
  modelId = Number(/library model (\d+)/.exec((await page.getByTestId('editor-source').textContent())!)![1]);
  const saved = await libraryModel(modelId);
  expect(saved.version).toMatchObject({ version: 1, comment: 'first estimate' });
  expect(saved.model.inputs.map((i) => i.name)).toEqual(['labour', 'materials']);
  expect(saved.model.inputs[0]).toMatchObject({ dist: { type: 'normal', mean: 1000, sd: 100 }, unit: '$k' });
  expect(saved.model.inputs[1]!.dist).toEqual({ type: 'pert', min: 200, mode: 250, max: 400 });
  expect(saved.model.correlations).toHaveLength(1);
  expect(saved.model.correlations[0]!.rank).toBeLessThan(1);
  expect(saved.model.formulas).toEqual([{ name: 'total', expr: 'labour + materials * 1.1' }]);
  expect(saved.model.outputs).toEqual(['total']);
});

test('a change is saved as a new version; undo and redo by keyboard and buttons step through the edits', async () => {
  await page.getByTestId('choose-input-labour').click();
  await page.getByTestId('param-sd').fill('120');
  await expect(status()).toHaveText('Unsaved changes');
  await page.getByTestId('editor-comment').fill('wider labour');
  await page.getByTestId('editor-save').click();
  await expect(status()).toHaveText('Saved as version 2.');
  expect((await libraryModel(modelId)).model.inputs[0]!.dist).toMatchObject({ sd: 120 });

  // Undo (Ctrl+Z) goes back past the save to sd 100: unsaved again.
  await page.getByTestId('param-mean').focus();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('param-sd')).toHaveValue('100');
  await expect(status()).toHaveText('Unsaved changes');
  await page.keyboard.press('Control+Shift+Z');
  await expect(page.getByTestId('param-sd')).toHaveValue('120');
  await expect(status()).toHaveText('No unsaved changes');
  await page.getByTestId('editor-undo').click();
  await expect(page.getByTestId('param-sd')).toHaveValue('100');
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('param-sd')).toHaveValue('120');
  await page.getByTestId('editor-undo').click();
  await page.getByTestId('editor-redo').click();
  await expect(page.getByTestId('param-sd')).toHaveValue('120');
  await expect(page.getByTestId('editor-redo')).toBeDisabled();
});

test('the service’s refusal shows in plain words: a model marked below its parts is not saved', async () => {
  await page.getByTestId('input-marking-change').click();
  await page.getByTestId('class-C').check();
  await page.getByTestId('input-marking-change').click();
  await expect(page.getByTestId('input-marking-text')).toHaveText(/^\(C(\/\/NF)?\)$/);
  await expect(page.getByTestId('banner-rollup')).toHaveText('CONFIDENTIAL//NOFORN');
  await expect(page.getByTestId('banner-below-parts')).toBeVisible();
  await page.getByTestId('editor-save').click();
  const problem = page.getByTestId('editor-save-problem');
  await expect(problem).toHaveAttribute('data-code', 'INVALID_ARGUMENT');
  await expect(problem).toContainText('Not saved: the library refused the model.');
  await expect(problem).toContainText('a banner may be raised, never lowered below its parts');
  expect((await libraryModel(modelId)).version.version).toBe(2);
  // Raised to the roll-up, it saves.
  await page.getByTestId('banner-raise-to-parts').click();
  await expect(page.getByTestId('model-marking')).toHaveText('CONFIDENTIAL//NOFORN');
  await page.getByTestId('editor-save').click();
  await expect(status()).toHaveText('Saved as version 3.');
  await expect(problem).toHaveCount(0);
  expect((await libraryModel(modelId)).summary.banner).toBe('CONFIDENTIAL//NOFORN');
});

test('leaving the editor with unsaved changes asks first; Escape keeps editing, Discard leaves', async () => {
  await page.getByTestId('model-name').fill('Build cost (draft)');
  await page.getByRole('button', { name: 'Home' }).click();
  const dialog = page.getByTestId('discard-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('discard-keep')).toBeFocused();
  // Tab stays within the question's two answers.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('discard-confirm')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('discard-keep')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(editor()).toBeVisible();
  await expect(page.getByTestId('model-name')).toHaveValue('Build cost (draft)');
  // Back asks too, and puts the editor's address back while it asks.
  await page.goBack();
  await expect(dialog).toBeVisible();
  await expect(page).toHaveURL(/#\/editor$/);
  await page.getByTestId('discard-keep').click();
  await expect(editor()).toBeVisible();
  await page.getByRole('button', { name: 'Home' }).click();
  await page.getByTestId('discard-confirm').click();
  await expect(page.getByTestId('app-home')).toBeVisible();
  // Back in the editor: the model as last saved, nothing unsaved.
  await page.getByTestId('open-editor').click();
  await expect(page.getByTestId('model-name')).toHaveValue('Build cost');
  await expect(status()).toHaveText('No unsaved changes');
});

test('a template opens from the editor; opening another model over unsaved changes asks first', async () => {
  await page.getByTestId('editor-open-choice').selectOption('project-cost-schedule');
  await page.getByTestId('editor-open').click();
  await expect(page.getByTestId('editor-source')).toHaveText('Editing the template “Project cost and schedule risk”');
  await expect(page.getByTestId('input-list')).toContainText('sitework');
  await expect(page.getByTestId('editor-no-problems')).toBeVisible();
  await expect(page.getByTestId('editor-save')).toHaveText('Save to the library');
  await page.getByTestId('model-name').fill('My project cost');
  await page.getByTestId('editor-open-choice').selectOption('blank');
  await page.getByTestId('editor-open').click();
  await expect(page.getByTestId('discard-dialog')).toContainText('open a new blank model');
  await page.getByTestId('discard-confirm').click();
  await expect(page.getByTestId('editor-source')).toHaveText('Editing a new blank model');
  await expect(page.getByTestId('input-list')).toHaveCount(0);
  expect(consoleProblems).toEqual([]);
});

test('closing the page with unsaved changes asks the browser’s own question', async () => {
  await page.getByTestId('add-input').click();
  await expect(status()).toHaveText('Unsaved changes');
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.accept();
});

test('a viewer is not offered the editor, its address shows home, and the service refuses a viewer’s save', async () => {
  test.setTimeout(120_000);
  const viewerStation = await createCardWorkstation({ variant: 'valid-rsa', role: 'viewer' });
  const viewerHost = await startCardHost(viewerStation);
  const viewerPage = await recorded.newPage();
  try {
    await viewerPage.goto(viewerHost.appUrl);
    await viewerPage.getByRole('button', { name: 'I have read and consent to these terms' }).click();
    await expect(viewerPage.getByTestId('pin-input')).toBeEnabled();
    await viewerPage.getByTestId('pin-input').fill(viewerStation.card.pin);
    await viewerPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(viewerPage.getByTestId('session-role')).toHaveText('viewer');
    await expect(viewerPage.getByTestId('open-editor')).toHaveCount(0);
    await viewerPage.evaluate(() => {
      window.location.hash = '#/editor';
    });
    await expect(viewerPage.getByTestId('app-home')).toBeVisible();
    await expect(viewerPage.getByTestId('editor-screen')).toHaveCount(0);
    // The UI only hides: the service itself refuses the viewer's model.
    const refused = await serviceCall(viewerPage, 'models.create', {
      model: {
        format: 'enclave-model/1',
        name: 'Not mine to make',
        marking: 'UNCLASSIFIED',
        inputs: [{ name: 'x', dist: { type: 'normal', mean: 0, sd: 1 } }],
        outputs: ['x'],
      },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  } finally {
    await viewerPage.close();
    await viewerHost.stop();
    viewerStation.cleanup();
  }
});
