import { expect, test, type Page } from '@playwright/test';
import { launchRecordedBrowser, type RecordedBrowser } from './support/browser';
import { openTwoPickers } from './support/marking-pickers';

// Two MarkingPickers on one page (./support/marking-pickers-page.tsx), each controlled by its own
// value: what is chosen or typed in one leaves the other as it was. The real component, bundled
// with the app's stylesheet; no service (the pickers check against the site policy themselves).
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let page: Page;
const consoleProblems: string[] = [];

const input = (name: 'Cost' | 'Schedule') => page.getByRole('region', { name });
const classification = (name: 'Cost' | 'Schedule', value: string) =>
  input(name).getByRole('radiogroup', { name: 'Classification' }).getByRole('radio', { name: value, exact: true });
const control = (name: 'Cost' | 'Schedule', flag: string) =>
  input(name)
    .getByRole('group', { name: 'Dissemination controls', exact: true })
    .getByRole('checkbox', { name: flag, exact: true });

async function expectMarking(name: 'Cost' | 'Schedule', banner: string, portion: string) {
  await expect(input(name).getByTestId('picker-banner')).toHaveText(banner);
  await expect(input(name).getByTestId('picker-portion')).toHaveText(portion);
  await expect(input(name).getByTestId('portion-mark')).toHaveText(portion);
}

test.beforeAll(async () => {
  recorded = await launchRecordedBrowser();
  page = await recorded.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
  await openTwoPickers(page);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
});

test('two pickers on one page both start at UNCLASSIFIED, each with its own controls', async () => {
  await expect(page.getByTestId('marking-picker')).toHaveCount(2);
  await expect(page.getByRole('group', { name: 'Marking of Cost' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Marking of Schedule' })).toBeVisible();
  await expectMarking('Cost', 'UNCLASSIFIED', '(U)');
  await expectMarking('Schedule', 'UNCLASSIFIED', '(U)');
  // No service behind these pickers: no verdict is shown rather than one that never comes.
  await expect(page.getByTestId('marking-verdict')).toHaveCount(0);
});

test('menus in one picker leave the other alone, radio buttons included', async () => {
  await classification('Cost', 'SECRET').check();
  await control('Cost', 'NOFORN').check();
  await expectMarking('Cost', 'SECRET//NOFORN', '(S//NF)');
  await expectMarking('Schedule', 'UNCLASSIFIED', '(U)');
  await expect(classification('Schedule', 'UNCLASSIFIED')).toBeChecked();
  await expect(control('Schedule', 'NOFORN')).not.toBeChecked();

  // Each picker's classification radios are their own group: choosing in one unchecks nothing in the other.
  await classification('Schedule', 'CONFIDENTIAL').check();
  await expectMarking('Schedule', 'CONFIDENTIAL', '(C)');
  await expect(classification('Cost', 'SECRET')).toBeChecked();
  await expectMarking('Cost', 'SECRET//NOFORN', '(S//NF)');
});

test('typing in one picker loads that picker only, and its errors stay with it', async () => {
  await input('Schedule').getByLabel('Type a marking').fill('TS//SI-G//REL TO USA, GBR');
  await expectMarking('Schedule', 'TOP SECRET//SI-G//REL TO USA, GBR', '(TS//SI-G//REL TO USA, GBR)');
  await expect(input('Schedule').getByLabel('SI compartments')).toHaveValue('G');
  await expectMarking('Cost', 'SECRET//NOFORN', '(S//NF)');
  await expect(input('Cost').getByLabel('Type a marking')).toHaveValue('SECRET//NOFORN');
  await expect(input('Cost').getByLabel('SI compartments')).toHaveValue('');

  await input('Cost').getByLabel('Type a marking').fill('SECRET//REL TO GBR, USA');
  await expect(input('Cost').getByTestId('marking-errors')).toHaveText('"GBR" at 15: REL TO needs USA first');
  await expect(input('Schedule').getByTestId('marking-errors')).toHaveCount(0);
  await expectMarking('Cost', 'SECRET//NOFORN', '(S//NF)');
  // A menu choice replaces the typed text with the banner line it built.
  await control('Cost', 'NOFORN').uncheck();
  await expectMarking('Cost', 'SECRET', '(S)');
  await expect(input('Cost').getByLabel('Type a marking')).toHaveValue('SECRET');
  await expect(input('Cost').getByTestId('marking-errors')).toHaveCount(0);
  await expectMarking('Schedule', 'TOP SECRET//SI-G//REL TO USA, GBR', '(TS//SI-G//REL TO USA, GBR)');
});

test('a screenshot of the two pickers is kept as a test artifact, and the page logged no problem', async () => {
  const testInfo = test.info();
  const path = testInfo.outputPath('two-marking-pickers.png');
  await page.setViewportSize({ width: 1280, height: 2600 });
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach('two-marking-pickers', { path, contentType: 'image/png' });
  expect(consoleProblems).toEqual([]);
});
