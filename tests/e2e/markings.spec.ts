import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  BANNER_PALETTE,
  checkMarking,
  createPolicy,
  formatPortion,
  parseMarking,
  withinSystemHigh,
  type BannerLevel,
} from '../../common/markings';
import { launchRecordedBrowser, type RecordedBrowser } from './support/browser';
import { startHost, type SetUpHost } from '../support/host-process';
import { signInWithRecoverySecret } from './support/sign-in';
import { rgb } from '../support/colors';

// One browser and one TOP SECRET//SCI site for the file; a SECRET site is started where needed.
test.describe.configure({ mode: 'serial' });

const SYSTEM_HIGH = 'TOP SECRET//HCS-P/SI-G/TK//NOFORN';

let recorded: RecordedBrowser;
let host: SetUpHost;
let page: Page;
const consoleProblems: string[] = [];

/** Opens the app on a site, acknowledges the consent notice, signs in and waits for the picker. */
async function openPicker(site: SetUpHost): Promise<Page> {
  const opened = await recorded.newPage();
  opened.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  opened.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
  await opened.goto(site.appUrl);
  await opened.getByRole('button', { name: /consent/ }).click();
  await signInWithRecoverySecret(opened, site.recoverySecret);
  await expect(opened.getByTestId('marking-picker')).toBeVisible();
  return opened;
}

const panel = (target: Page) => target.getByRole('region', { name: 'Markings' });
const group = (target: Page, name: string) => panel(target).getByRole('group', { name, exact: true });
const classification = (target: Page, name: string) =>
  panel(target).getByRole('radiogroup', { name: 'Classification' }).getByRole('radio', { name, exact: true });
const control = (target: Page, name: string) =>
  group(target, 'Dissemination controls').getByRole('checkbox', { name, exact: true });
const sci = (target: Page, system: string) =>
  group(target, 'SCI control systems').getByRole('checkbox', { name: system, exact: true });
const country = (target: Page, list: string, code: string) =>
  group(target, `${list} countries`).getByRole('checkbox', { name: new RegExp(`^${code} `) });

/** Starts over from UNCLASSIFIED by typing it. */
async function reset(target: Page) {
  await panel(target).getByLabel('Type a marking').fill('UNCLASSIFIED');
  await expect(target.getByTestId('picker-banner')).toHaveText('UNCLASSIFIED');
}

/** The banner and portion the picker shows, the PortionMark, the banner color, and the service's verdict. */
async function expectMarking(target: Page, banner: string, portion: string, level: BannerLevel) {
  await expect(target.getByTestId('picker-banner')).toHaveText(banner);
  await expect(target.getByTestId('picker-portion')).toHaveText(portion);
  await expect(panel(target).getByTestId('portion-mark')).toHaveText(portion);
  await expect(target.getByTestId('picker-banner')).toHaveCSS(
    'background-color',
    rgb(BANNER_PALETTE[level].background),
  );
  await expect(target.getByTestId('picker-banner')).toHaveCSS('color', rgb(BANNER_PALETTE[level].foreground));
  const verdict = target.getByTestId('marking-verdict');
  await expect(verdict).toHaveAttribute('data-banner', banner);
  await expect(verdict).toHaveAttribute('data-status', 'ok');
  await expect(verdict).toHaveText('Accepted by the service');
}

async function expectDisabledBecause(locator: Locator, reason: RegExp) {
  await expect(locator).toBeDisabled();
  await expect(locator).toHaveAttribute('title', reason);
  await expect(locator).toHaveAccessibleDescription(reason);
}

test.beforeAll(async () => {
  recorded = await launchRecordedBrowser();
  host = await startHost({ siteName: 'Marking test site', systemHigh: SYSTEM_HIGH });
  page = await openPicker(host);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
});

test('the Markings panel starts at UNCLASSIFIED with the site system high, accepted by the service', async () => {
  await expect(panel(page).getByRole('heading', { name: 'Markings' })).toBeVisible();
  await expect(page.getByTestId('picker-system-high')).toHaveText(SYSTEM_HIGH);
  await expectMarking(page, 'UNCLASSIFIED', '(U)', 'UNCLASSIFIED');
  await expect(classification(page, 'UNCLASSIFIED')).toBeChecked();
});

test('SECRET with NOFORN builds SECRET//NOFORN and (S//NF) in SECRET red', async () => {
  await reset(page);
  await classification(page, 'SECRET').check();
  await control(page, 'NOFORN').check();
  await expectMarking(page, 'SECRET//NOFORN', '(S//NF)', 'SECRET');
});

test('TOP SECRET with SI, TK and RELIDO builds TOP SECRET//SI/TK//RELIDO in the TS//SCI color', async () => {
  await reset(page);
  await classification(page, 'TOP SECRET').check();
  await sci(page, 'SI').check();
  await sci(page, 'TK').check();
  await control(page, 'RELIDO').check();
  await expectMarking(page, 'TOP SECRET//SI/TK//RELIDO', '(TS//SI/TK//RELIDO)', 'TOP SECRET//SCI');
  // A compartment within the system high is taken as it is typed; one above it is refused with the reason.
  await panel(page).getByLabel('SI compartments').fill('G');
  await expectMarking(page, 'TOP SECRET//SI-G/TK//RELIDO', '(TS//SI-G/TK//RELIDO)', 'TOP SECRET//SCI');
  await panel(page).getByLabel('SI compartments').fill('G-X');
  await expect(page.getByTestId('sci-SI-compartments-problem')).toContainText("above this system's high");
  await expect(page.getByTestId('picker-banner')).toHaveText('TOP SECRET//SI-G/TK//RELIDO');
});

test('SECRET released to AUS and GBR builds SECRET//REL TO USA, AUS, GBR, found by code and by name', async () => {
  await reset(page);
  await classification(page, 'SECRET').check();
  const search = group(page, 'REL TO').getByRole('searchbox');
  await search.fill('aus');
  await country(page, 'REL TO', 'AUS').check();
  await search.fill('united kingdom');
  await expect(group(page, 'REL TO countries').getByRole('checkbox')).toHaveCount(1);
  await country(page, 'REL TO', 'GBR').check();
  await expectMarking(page, 'SECRET//REL TO USA, AUS, GBR', '(S//REL TO USA, AUS, GBR)', 'SECRET');
  await search.fill('');
});

test('CUI with SP-PRVCY and FEDCON builds CUI//SP-PRVCY//FEDCON in CUI purple', async () => {
  await reset(page);
  await classification(page, 'CUI').check();
  await group(page, 'CUI categories').getByRole('checkbox', { name: 'SP-PRVCY' }).check();
  await group(page, 'Limited dissemination controls').getByRole('checkbox', { name: 'FEDCON' }).check();
  await expectMarking(page, 'CUI//SP-PRVCY//FEDCON', '(CUI//SP-PRVCY//FEDCON)', 'CUI');
  // A category typed in must be a well-formed one.
  await panel(page).getByLabel('CUI category').fill('procure');
  await panel(page).getByRole('button', { name: 'Add category' }).click();
  await expectMarking(page, 'CUI//SP-PRVCY/PROCURE//FEDCON', '(CUI//SP-PRVCY/PROCURE//FEDCON)', 'CUI');
  // US-only controls are not offered on CUI.
  await expect(group(page, 'Limited dissemination controls').getByRole('checkbox', { name: 'ORCON' })).toHaveCount(0);
});

test('choosing NOFORN clears REL TO and disables REL TO, RELIDO and DISPLAY ONLY', async () => {
  await reset(page);
  await classification(page, 'SECRET').check();
  await country(page, 'REL TO', 'AUS').check();
  await country(page, 'DISPLAY ONLY', 'IRQ').check();
  await control(page, 'RELIDO').check();
  await expectMarking(
    page,
    'SECRET//REL TO USA, AUS/RELIDO/DISPLAY ONLY IRQ',
    '(S//REL TO USA, AUS/RELIDO/DISPLAY ONLY IRQ)',
    'SECRET',
  );
  await control(page, 'NOFORN').check();
  await expectMarking(page, 'SECRET//NOFORN', '(S//NF)', 'SECRET');
  await expect(country(page, 'REL TO', 'AUS')).not.toBeChecked();
  await expectDisabledBecause(country(page, 'REL TO', 'AUS'), /NOFORN and REL TO cannot both appear/);
  await expectDisabledBecause(country(page, 'DISPLAY ONLY', 'IRQ'), /NOFORN and DISPLAY ONLY cannot both appear/);
  await expectDisabledBecause(control(page, 'RELIDO'), /NOFORN and RELIDO cannot both appear/);
  await expect(page.getByTestId('picker-relto-blocked')).toHaveText(/NOFORN and REL TO cannot both appear/);
  // Taking NOFORN off offers REL TO again.
  await control(page, 'NOFORN').uncheck();
  await expect(country(page, 'REL TO', 'AUS')).toBeEnabled();
});

test('choosing HCS turns NOFORN on and locks it until HCS is removed', async () => {
  await reset(page);
  await classification(page, 'TOP SECRET').check();
  await country(page, 'REL TO', 'GBR').check();
  await expect(page.getByTestId('picker-banner')).toHaveText('TOP SECRET//REL TO USA, GBR');
  await sci(page, 'HCS').check();
  await expectMarking(page, 'TOP SECRET//HCS//NOFORN', '(TS//HCS//NF)', 'TOP SECRET//SCI');
  await expect(control(page, 'NOFORN')).toBeChecked();
  await expectDisabledBecause(control(page, 'NOFORN'), /HCS requires NOFORN/);
  await sci(page, 'HCS').uncheck();
  await expect(control(page, 'NOFORN')).toBeEnabled();
  await expect(control(page, 'NOFORN')).toBeChecked();
});

test('FOUO is offered on UNCLASSIFIED but not on classified markings', async () => {
  await reset(page);
  await control(page, 'FOUO').check();
  await expectMarking(page, 'UNCLASSIFIED//FOUO', '(U//FOUO)', 'UNCLASSIFIED');
  await classification(page, 'CONFIDENTIAL').check();
  await expectMarking(page, 'CONFIDENTIAL', '(C)', 'CONFIDENTIAL');
  await expectDisabledBecause(control(page, 'FOUO'), /FOUO is not valid on classified portions/);
  // And SCI is not offered on unclassified ones.
  await classification(page, 'UNCLASSIFIED').check();
  await expectDisabledBecause(sci(page, 'SI'), /SCI requires a classified marking/);
});

test('typing SECRET//REL TO GBR, USA shows the error inline, naming GBR and position 15', async () => {
  await reset(page);
  const input = panel(page).getByLabel('Type a marking');
  await input.fill('SECRET//REL TO GBR, USA');
  const errors = page.getByTestId('marking-errors').getByRole('listitem');
  await expect(errors).toHaveCount(1);
  await expect(errors.first()).toHaveText('"GBR" at 15: REL TO needs USA first');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  // The menus keep the last valid marking, and nothing looks like a stack trace.
  await expect(page.getByTestId('picker-banner')).toHaveText('UNCLASSIFIED');
  await expect(panel(page)).not.toContainText(/\bat \w+ \(|\.js:\d+|Error:/);
  // Each issue gets its own line.
  await input.fill('SECRET//REL TO USA, GBX, ZZZ');
  await expect(errors).toHaveText([
    '"GBX" at 20: GBX is not an ISO 3166 trigraph or a tetragraph known to this site',
    '"ZZZ" at 25: ZZZ is not an ISO 3166 trigraph or a tetragraph known to this site',
  ]);
});

test('typing a valid marking loads it into the menus, and one above the system high is refused', async () => {
  await reset(page);
  const input = panel(page).getByLabel('Type a marking');
  await input.fill('');
  await input.pressSequentially('TS//SI-G//REL TO USA, FVEY');
  await expect(page.getByTestId('marking-errors')).toHaveCount(0);
  await expectMarking(page, 'TOP SECRET//SI-G//REL TO USA, FVEY', '(TS//SI-G//REL TO USA, FVEY)', 'TOP SECRET//SCI');
  await expect(classification(page, 'TOP SECRET')).toBeChecked();
  await expect(sci(page, 'SI')).toBeChecked();
  await expect(panel(page).getByLabel('SI compartments')).toHaveValue('G');
  await expect(country(page, 'REL TO', 'FVEY')).toBeChecked();
  await expect(control(page, 'NOFORN')).not.toBeChecked();

  await input.fill('(S//NF)');
  await expectMarking(page, 'SECRET//NOFORN', '(S//NF)', 'SECRET');
  await expect(control(page, 'NOFORN')).toBeChecked();

  await input.fill('TOP SECRET//SI-ECI ABC//NOFORN');
  await expect(page.getByTestId('marking-errors')).toContainText(
    `TOP SECRET//SI-ECI ABC//NOFORN is above this system's high (${SYSTEM_HIGH})`,
  );
  await expect(page.getByTestId('picker-banner')).toHaveText('SECRET//NOFORN');
});

test('on a SECRET//NOFORN site, TOP SECRET, SCI and SAP are disabled with the reason', async () => {
  const site = await startHost({ siteName: 'Marking test site (SECRET)', systemHigh: 'SECRET//NOFORN' });
  const low = await openPicker(site);
  try {
    await expect(low.getByTestId('picker-system-high')).toHaveText('SECRET//NOFORN');
    await expectDisabledBecause(classification(low, 'TOP SECRET'), /above this system's high \(SECRET\/\/NOFORN\)/);
    await expect(classification(low, 'SECRET')).toBeEnabled();
    await classification(low, 'SECRET').check();
    await expectDisabledBecause(sci(low, 'SI'), /above this system's high/);
    await expectDisabledBecause(low.getByRole('radio', { name: 'RD', exact: true }), /above this system's high/);
    await low.getByLabel('SAP program identifier').fill('ALPHA');
    await expectDisabledBecause(low.getByRole('button', { name: 'Add program' }), /above this system's high/);
    await expectMarking(low, 'SECRET', '(S)', 'SECRET');
    await low.getByLabel('Type a marking').fill('TOP SECRET');
    await expect(low.getByTestId('marking-errors')).toHaveText(
      "TOP SECRET is above this system's high (SECRET//NOFORN)",
    );
  } finally {
    await low.context().close();
    await site.stop();
  }
});

test('a screenshot of the Markings panel is kept as a test artifact', async () => {
  await page.getByLabel('Type a marking').fill('TOP SECRET//SI-G/TK//FGI DEU//REL TO USA, AUS, GBR/RELIDO');
  await expect(page.getByTestId('marking-verdict')).toHaveAttribute('data-status', 'ok');
  const testInfo = test.info();
  const path = testInfo.outputPath('markings-picker.png');
  // Tall enough to show the whole panel (the app scrolls inside its banners, not the page).
  await page.setViewportSize({ width: 1280, height: 1900 });
  try {
    await page.screenshot({ path });
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await testInfo.attach('markings-picker', { path, contentType: 'image/png' });
});

/** A small linear congruential generator, so a failing run can be replayed from its seed. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Control {
  index: number;
  group: string;
  name: string;
  kind: 'checkbox' | 'radio' | 'text';
  enabled: boolean;
  checked: boolean;
}

// Typed now and then between menu actions: valid markings load, invalid ones (REL TO without USA
// first, a SAP above the system high, FOUO on CONFIDENTIAL) must leave the menus alone.
const TYPED = [
  'SECRET//NOFORN',
  'TS//HCS-P/SI-G//NOFORN',
  'CUI//SP-CTI//REL TO USA, FVEY',
  'SECRET//REL TO GBR, USA',
  'TOP SECRET//SAR-BP',
  'C//FOUO',
  '(U//FOUO)',
  'CONFIDENTIAL//FGI DEU//REL TO USA, NATO',
  'SECRET//ORCON/IMCON/DISPLAY ONLY AFG',
];
const COMPARTMENTS = ['G', 'P', 'G ABC', 'X', '', 'G-P', 'Q-', 'g'];
const MENU_ACTIONS = 150;

test('The MarkingPicker cannot produce an invalid marking', async () => {
  test.setTimeout(120_000);
  const seed = 20_250_611;
  const random = lcg(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const policy = createPolicy();
  const systemHigh = parseMarking(SYSTEM_HIGH, policy);
  if (!systemHigh.ok) throw new Error('system high does not parse');
  await reset(page);

  const inputs = page.getByTestId('marking-picker').locator('.picker__grid input');
  const history: string[] = [];
  const snapshot = async () => {
    const raw = await page.evaluate(() => ({
      banner: document.querySelector('[data-testid="picker-banner"]')?.textContent ?? '',
      portion: document.querySelector('[data-testid="picker-portion"]')?.textContent ?? '',
      controls: [
        ...document.querySelectorAll<HTMLInputElement>('[data-testid="marking-picker"] .picker__grid input'),
      ].map((input) =>
        [
          input.closest('fieldset')?.dataset.testid ?? '',
          input.dataset.testid ?? input.value,
          input.type,
          input.disabled ? 0 : 1,
          input.checked ? 1 : 0,
        ].join('|'),
      ),
    }));
    const controls = raw.controls.map((line, index): Control => {
      const [group = '', name = '', type = '', enabled, checked] = line.split('|');
      return {
        index,
        group,
        name,
        kind: type === 'checkbox' || type === 'radio' ? type : 'text',
        enabled: enabled === '1',
        checked: checked === '1',
      };
    });
    return { banner: raw.banner, portion: raw.portion, controls };
  };
  let menuActions = 0;
  let actions = 0;
  let shown = await snapshot();
  while (menuActions < MENU_ACTIONS) {
    const { controls, banner: before } = shown;
    const usable = controls.filter((c) => c.enabled && c.kind !== 'text' && !(c.kind === 'radio' && c.checked));
    const fields = controls.filter((c) => c.kind === 'text' && c.enabled && c.group === 'picker-sci');
    const roll = random();
    let description: string;
    let unchanged = false;
    if (roll < 0.04) {
      const text = pick(TYPED);
      await page.getByTestId('marking-input').fill(text);
      description = `type ${text}`;
    } else if (roll < 0.08) {
      // A disabled control does nothing even when clicked at.
      const disabled = controls.filter((c) => !c.enabled && c.kind !== 'text');
      if (disabled.length === 0) continue;
      const target = pick(disabled);
      await inputs.nth(target.index).click({ force: true });
      description = `click disabled ${target.name} in ${target.group}`;
      unchanged = true;
    } else if (roll < 0.13) {
      if (fields.length === 0) continue;
      const field = pick(fields);
      const text = pick(COMPARTMENTS);
      await inputs.nth(field.index).fill(text);
      description = `${field.name} ${JSON.stringify(text)}`;
    } else {
      // A menu (classification, SCI, AEA, FGI, dissemination, REL TO, DISPLAY ONLY, FGI sources, CUI), then an entry in it.
      const menu = pick([...new Set(usable.map((c) => c.group))]);
      const inGroup = usable.filter((c) => c.group === menu);
      const checked = inGroup.filter((c) => c.checked);
      const target = checked.length > 0 && random() < 0.4 ? pick(checked) : pick(inGroup);
      await inputs.nth(target.index).click();
      description = `${target.checked ? 'uncheck' : 'check'} ${target.name} in ${target.group}`;
      menuActions++;
    }
    actions++;

    shown = await snapshot();
    history.push(`${description} → ${shown.banner}`);
    const context = `seed ${seed}, step ${actions}:\n${history.slice(-5).join('\n')}`;
    const parsed = parseMarking(shown.banner, policy);
    expect(parsed.ok ? [] : parsed.issues, context).toEqual([]);
    if (!parsed.ok) continue;
    expect(checkMarking(parsed.marking, new Map(), policy), context).toEqual([]);
    expect(withinSystemHigh(systemHigh.marking, parsed.marking, policy), context).toBe(true);
    expect(shown.portion, context).toBe(formatPortion(parsed.marking));
    if (unchanged) expect(shown.banner, context).toBe(before);
    if (actions % 5 === 0) {
      const verdict = page.getByTestId('marking-verdict');
      await expect(verdict).toHaveAttribute('data-banner', shown.banner);
      await expect(verdict, context).not.toHaveAttribute('data-status', 'pending');
      await expect(verdict, context).toHaveAttribute('data-status', 'ok');
      await expect(verdict, context).toHaveText('Accepted by the service');
    }
  }
  const reached = new Set(history.map((line) => line.split(' → ')[1]));
  // The walk got around: many distinct markings, not a handful.
  expect(reached.size).toBeGreaterThan(30);
  test.info().annotations.push({ type: 'markings reached', description: String(reached.size) });
  await test.info().attach('random-walk', { contentType: 'text/plain', body: history.join('\n') });
  expect(consoleProblems).toEqual([]);
});
