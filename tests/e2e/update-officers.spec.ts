import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PivUser } from '../support/fixtures/piv';
import { createCardWorkstation, startCardHost, type CardHost, type CardWorkstation } from '../support/card-workstation';
import { softhsmModulePath, writeSofthsmConfig, writeTokens } from '../support/fixtures/piv/softhsm';
import { insertCardOnlyToken, type InsertedCard } from '../support/card-only-token';
import { kitTar, sampleKit } from '../support/release-kit';
import { launchRecordedBrowser, recordConsoleProblems, type RecordedBrowser } from './support/browser';
import { expectNothingLeftLoopbackAndAttach } from './support/netlog';

// The issue's whole path: two update officers, each with a P-384 key on a token of their own, build
// and sign (one after the other, through the built CLI) a bundle carrying one target of each kind;
// an administrator signed in with a card trusts their root, reviews and applies the bundle on the
// Updates page; the site name changes on screen at once, and the CRL takes effect at the next card
// login: an analyst's enrolled card is refused as revoked, and the card the user list provisioned
// signs in. The fixture has two token cards that validate (valid-rsa: the administrator, valid-ecc:
// enrolled as an analyst here); the third, provisioned by the bundle, is its card-only holder
// written as a token into the same reader.
test.describe.configure({ mode: 'serial' });

let recorded: RecordedBrowser;
let workstation: CardWorkstation;
let host: CardHost;
let page: Page;
const consoleProblems: string[] = [];
// Made in beforeAll: Playwright also loads this file in its runner process, which runs no hooks.
let work = '';
const at = (...path: string[]) => join(work, ...path);
const installRoot = () => at('install');
const repo = () => at('R');
const bundleFile = () => at('media', 'enclave-update.tar');
const rootFile = () => at('media', 'metadata', '1.root.json');
const SHOTS = 'test-results/screenshots';
const cli = resolve('dist', 'node', 'cli.cjs'); // Playwright runs from the repo root
const NEW_SITE = 'Forward Site Bravo';
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const modulePath = softhsmModulePath();
const officers = {
  a: { token: 'officer-a', pin: '315926', soPin: '53589793', keyid: '' },
  b: { token: 'officer-b', pin: '271828', soPin: '18284590', keyid: '' },
};
let officerConf = '';
let revokedCard: PivUser;
let provisionedCard: InsertedCard;

const TEMPLATE_NAME = 'models/bridge-cost.json';
const template = JSON.stringify({
  format: 'enclave-model/1',
  name: 'Bridge cost (template)',
  marking: 'UNCLASSIFIED',
  inputs: [
    { name: 'labour', dist: { type: 'normal', mean: 100, sd: 10 }, marking: 'UNCLASSIFIED' },
    { name: 'materials', dist: { type: 'uniform', min: 50, max: 90 }, marking: 'UNCLASSIFIED' },
  ],
  formulas: [{ name: 'total', expr: 'labour + materials' }],
  outputs: ['total'],
});

/** The built CLI as an officer runs it: the PIN only through ENCLAVE_PIN, never an argument. */
function enclave(args: string[], pin?: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SOFTHSM2_CONF: officerConf,
    ENCLAVE_DATA_DIR: join(work, 'no-data-dir'),
  };
  delete env.ENCLAVE_PIN;
  if (pin !== undefined) env.ENCLAVE_PIN = pin;
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env,
    input: '',
    timeout: 60_000,
  });
  const out = { code: result.status, stdout: result.stdout, stderr: result.stderr };
  if (out.code !== 0) throw new Error(`enclave ${args.slice(0, 2).join(' ')} failed (${out.code}): ${out.stderr}`);
  return out;
}

const tokenArgs = (o: (typeof officers)['a']) => [
  '--module',
  modulePath,
  '--token-label',
  o.token,
  '--key-label',
  'tuf-role-key',
];

/** Each officer's token in a SoftHSM2 of its own (not the card workstation's), and a P-384 key on it. */
async function officerKeys() {
  const previous = process.env.SOFTHSM2_CONF;
  officerConf = writeSofthsmConfig(join(work, 'officer-softhsm'));
  process.env.SOFTHSM2_CONF = officerConf;
  try {
    await writeTokens(
      modulePath,
      Object.values(officers).map((o) => ({ label: o.token, pin: o.pin, soPin: o.soPin, objects: [] })),
    );
  } finally {
    if (previous === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previous;
  }
  for (const [name, o] of Object.entries(officers)) {
    const generated = enclave(
      ['update', 'key', ...tokenArgs(o), '--generate', '--out', join(work, `${name}.json`)],
      o.pin,
    );
    o.keyid = /^keyid ([0-9a-f]{64})$/m.exec(generated.stdout)![1]!;
  }
}

/** The payloads: one target of each kind, from the card workstation's PKI and site. */
function writePayloads() {
  const payloads = join(work, 'payloads');
  mkdirSync(payloads);
  writeFileSync(join(payloads, 'anchor.der'), workstation.fixture.untrustedRootCa);
  // The site config replaces the override whole: the one the host runs under, with a new name.
  const site = JSON.parse(readFileSync(join(workstation.dataDir, 'site-config.json'), 'utf8'));
  writeFileSync(join(payloads, 'site.json'), JSON.stringify({ ...site, siteName: NEW_SITE }));
  const b64 = (der: Buffer | null) => der!.toString('base64');
  writeFileSync(
    join(payloads, 'users.json'),
    JSON.stringify({
      format: 'enclave-users/1',
      users: [
        {
          status: 'active',
          displayName: 'Provisioned analyst',
          role: 'analyst',
          authenticationCertificate: b64(provisionedCard.certificates.authentication),
          keyManagementCertificate: b64(provisionedCard.certificates.keyManagement),
        },
      ],
    }),
  );
  writeFileSync(join(payloads, 'template.json'), template);
  writeFileSync(join(payloads, 'release.tar'), kitTar(sampleKit('0.2.0')));
  return payloads;
}

async function buildBundle() {
  await officerKeys();
  const a = join(work, 'a.json');
  const b = join(work, 'b.json');
  enclave([
    'update',
    'init-repo',
    repo(),
    '--root-key',
    a,
    b,
    '--root-threshold',
    '2',
    '--targets-key',
    a,
    '--snapshot-key',
    b,
    '--timestamp-key',
    a,
    '--role-key',
    `trust=${a}`,
    '--role-key',
    `trust=${b}`,
    '--role-threshold',
    'trust=2',
    '--role-key',
    `releases=${a}`,
    '--role-key',
    `site=${b}`,
    '--role-key',
    `users=${b}`,
    '--role-key',
    `models=${a}`,
  ]);
  const serial = new X509Certificate(revokedCard.certificates.authentication).serialNumber;
  const now = Date.now();
  const crl = await workstation.fixture.issueIntermediateCrl({
    revokedSerials: [Buffer.from(serial, 'hex')],
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + 30 * 86_400_000),
    number: 9000,
  });
  const payloads = writePayloads();
  writeFileSync(join(payloads, 'id-ca-1.crl'), crl);
  const targets: [role: string, name: string, file: string, type: string, version?: string][] = [
    ['trust', 'trust/untrusted-root.der', 'anchor.der', 'trust-anchor'],
    ['trust', 'trust/id-ca-1.crl', 'id-ca-1.crl', 'crl', '9000'],
    ['site', 'site/site-config.json', 'site.json', 'site-config', '2'],
    ['users', 'users/analysts.json', 'users.json', 'users', '1'],
    ['models', TEMPLATE_NAME, 'template.json', 'model-template', '1'],
    ['releases', 'app/enclave-0.2.0.tar', 'release.tar', 'app-release', '0.2.0'],
  ];
  for (const [role, name, file, type, version] of targets)
    enclave([
      'update',
      'add-target',
      repo(),
      '--role',
      role,
      '--name',
      name,
      '--file',
      join(payloads, file),
      '--type',
      type,
      ...(version ? ['--version', version] : []),
    ]);
  // Officer A signs, then hands the directory to officer B, who signs from a PIN file.
  const byA = enclave(['update', 'sign', repo(), ...tokenArgs(officers.a)], officers.a.pin);
  expect(byA.stdout).toMatch(/Still short of their threshold: root \(1 of 2 signatures\)/);
  const pinFile = join(work, 'b.pin');
  writeFileSync(pinFile, `${officers.b.pin}\n`, { mode: 0o600 });
  const byB = enclave(['update', 'sign', repo(), ...tokenArgs(officers.b), '--pin-file', pinFile]);
  expect(byB.stdout).toMatch(/ready for build-bundle/);
  const built = enclave(['update', 'build-bundle', repo(), '--out', at('media')]);
  expect(built.stdout).toMatch(/Verified with the Enclave TUF client from the first root/);
  expect(existsSync(bundleFile())).toBe(true);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  work = mkdtempSync(join(tmpdir(), 'enclave-e2e-officers-'));
  mkdirSync(installRoot());
  workstation = await createCardWorkstation({ variant: 'valid-rsa', role: 'admin', alsoInReader: ['valid-ecc'] });
  revokedCard = workstation.others[0]!;
  provisionedCard = await insertCardOnlyToken(workstation, workstation.fixture.cards.unenrolled);
  const previousInstallRoot = process.env.ENCLAVE_INSTALL_ROOT;
  process.env.ENCLAVE_INSTALL_ROOT = installRoot();
  try {
    [recorded, host] = await Promise.all([launchRecordedBrowser(), startCardHost(workstation)]);
  } finally {
    if (previousInstallRoot === undefined) delete process.env.ENCLAVE_INSTALL_ROOT;
    else process.env.ENCLAVE_INSTALL_ROOT = previousInstallRoot;
  }
  await buildBundle();
  page = await recorded.newPage();
  recordConsoleProblems(page, consoleProblems);
});

test.afterAll(async () => {
  await recorded?.browser.close().catch(() => undefined);
  await host?.stop();
  workstation?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function signIn(card: { serialNumber: string; pin: string }) {
  await expect(page.getByTestId('card-select')).toBeVisible();
  await page.getByTestId('card-select').selectOption(card.serialNumber);
  const field = page.getByTestId('pin-input');
  await expect(field).toBeEnabled();
  await field.fill(card.pin);
  await page.getByTestId('sign-in').click(); // "Sign in", or "Unlock" on the lock screen
}

async function lock() {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
}

async function expectRefused(reason: string, headline: string) {
  const refusal = page.getByTestId('login-refusal');
  await expect(refusal).toHaveAttribute('data-reason', reason);
  await expect(refusal).toContainText(headline);
  await expect(page.getByTestId('app-home')).toHaveCount(0);
  expect(await refusal.textContent()).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
}

test('before any update: an analyst’s card is enrolled and signs in; the card the user list will bring is not enrolled', async () => {
  await page.goto(host.appUrl);
  await page.getByRole('button', { name: 'I have read and consent to these terms' }).click();
  await signIn(workstation.card);
  await expect(page.getByTestId('session-role')).toHaveText('admin');
  await expect(page.getByTestId('site-name')).toHaveText('Card Login Test Site');
  // The analyst whose card the officers' CRL will revoke, enrolled as an administrator does.
  await page.getByTestId('home-open-admin').click();
  await page.getByTestId('enroll-card-select').selectOption(revokedCard.serialNumber);
  await page.getByTestId('enroll-role').selectOption('analyst');
  await page.getByTestId('enroll-card').click();
  await expect(page.getByTestId('user-row').filter({ hasText: revokedCard.commonName })).toBeVisible();
  await page.getByTestId('admin-home').click();
  await lock();
  await signIn(revokedCard);
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
  await lock();
  await signIn(provisionedCard);
  await expectRefused('NOT_ENROLLED', 'This card is not enrolled on this workstation.');
  await signIn(workstation.card);
  await expect(page.getByTestId('session-role')).toHaveText('admin');
});

test('the administrator trusts the officers’ root: its fingerprint is the SHA-256 of root.json', async () => {
  await page.getByTestId('home-open-updates').click();
  await expect(page.getByTestId('update-root-none')).toBeVisible();
  const root = join(work, 'root.json');
  writeFileSync(root, readFileSync(rootFile()));
  await page.getByTestId('update-root-choose-file').setInputFiles(root);
  await expect(page.getByTestId('update-root-fingerprint')).toHaveText(sha256(readFileSync(rootFile())));
  await expect(page.getByTestId('update-root-role').filter({ hasText: 'root' }).first()).toContainText('2 of 2');
});

test('the review lists six targets with their kinds, and both officers’ keys where the threshold is 2', async () => {
  await page.getByTestId('update-inspect-file').setInputFiles(bundleFile());
  const review = page.getByTestId('update-review');
  await expect(review).toBeVisible();
  await expect(page.getByTestId('update-inspect-problem')).toHaveCount(0);
  const kinds = {
    'trust/untrusted-root.der': 'trust anchor',
    'trust/id-ca-1.crl': 'CRL',
    'site/site-config.json': 'site configuration',
    'users/analysts.json': 'user list',
    [TEMPLATE_NAME]: 'model template',
    'app/enclave-0.2.0.tar': 'app release',
  };
  await expect(review.getByTestId('update-target')).toHaveCount(6);
  for (const [name, kind] of Object.entries(kinds))
    await expect(
      review.getByTestId('update-target').filter({ hasText: name }).getByTestId('update-target-kind'),
    ).toHaveText(kind);
  for (const role of ['root', 'trust']) {
    const row = review.locator(`[data-role="${role}"]`);
    await expect(row.getByTestId('update-role-signed')).toHaveText('2 of threshold 2');
    for (const o of Object.values(officers)) await expect(row.locator(`[data-keyid="${o.keyid}"]`)).toHaveCount(1);
  }
  await expect(
    review
      .getByTestId('update-target')
      .filter({ hasText: 'app/enclave-0.2.0.tar' })
      .getByTestId('update-target-result'),
  ).toHaveText('would be staged');
  // The CRL revokes an analyst's card only: no lock-out warning holds Apply back.
  await expect(page.getByTestId('update-lockout')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/update-officers-review.png`, fullPage: true });
});

test('applied: every target is applied, the site name changes on screen without a reload, the history shows it', async () => {
  await page.getByTestId('update-apply').click();
  await page.getByRole('button', { name: 'Yes, apply' }).click();
  const applied = page.getByTestId('update-applied');
  await expect(applied).toContainText('Applied as update #1.');
  await expect(applied.getByTestId('update-target')).toHaveCount(6);
  const result = (name: string) =>
    applied.getByTestId('update-target').filter({ hasText: name }).getByTestId('update-target-result');
  await expect(result('app/enclave-0.2.0.tar')).toHaveText('staged');
  for (const name of [
    'trust/untrusted-root.der',
    'trust/id-ca-1.crl',
    'site/site-config.json',
    'users/analysts.json',
    TEMPLATE_NAME,
  ])
    await expect(result(name)).toHaveText('applied');
  await expect(applied.getByTestId('update-target').filter({ hasText: 'site/site-config.json' })).toContainText(
    `site "Card Login Test Site" → "${NEW_SITE}"`,
  );
  await expect(page).toHaveTitle(`${NEW_SITE} — Enclave`);
  const entry = page.getByTestId('update-history-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toHaveAttribute('data-state', 'applied');
  await expect(entry.getByTestId('update-history-target')).toHaveCount(6);
  await expect(entry.getByTestId('update-history-target').filter({ hasText: 'trust/id-ca-1.crl' })).toContainText(
    'applied',
  );
  await page.screenshot({ path: `${SHOTS}/update-officers-applied.png`, fullPage: true });
  await page.getByTestId('home-button').click();
  await expect(page.getByTestId('site-name')).toHaveText(NEW_SITE);
  // The app release is staged and switched to in the install root.
  expect(resolve(installRoot(), readlinkSync(join(installRoot(), 'current')))).toBe(
    join(installRoot(), 'versions', '0.2.0'),
  );
  expect(readFileSync(join(installRoot(), 'current', 'VERSION'), 'utf8')).toBe('0.2.0\n');
});

test('at the next card login the enrolled analyst’s card, revoked by the CRL, is refused as revoked', async () => {
  await lock();
  await signIn(revokedCard);
  await expectRefused('REVOKED', 'This card has been revoked.');
});

test('the card the user list provisioned signs in as an analyst, with no enrolment by hand; the template is in the library', async () => {
  await signIn(provisionedCard);
  await expect(page.getByTestId('app-home')).toBeVisible();
  await expect(page.getByTestId('session-role')).toHaveText('analyst');
  await page.getByTestId('home-open-library').click();
  await expect(page.getByTestId('library-screen')).toBeVisible();
  await expect(page.getByTestId('model-name').filter({ hasText: 'Bridge cost (template)' })).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/update-officers-analyst-library.png`, fullPage: true });
});

test('the CRL revoked that one card: the administrator’s card still signs in', async () => {
  await lock();
  await signIn(workstation.card);
  await expect(page.getByTestId('session-role')).toHaveText('admin');
});

test('no console errors, and no request left 127.0.0.1', async () => {
  expect(consoleProblems).toEqual([]);
  await expectNothingLeftLoopbackAndAttach(recorded, 10);
});
