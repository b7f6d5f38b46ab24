import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DemoSwitchingServices } from '../../electron/main/demo-switch';
import { DEMO_FILE } from '../../electron/services/demo/demo-paths';
import { findSofthsmModule, SOFTHSM_MISSING } from '../../electron/services/demo/softhsm';
import { createDispatcher } from '../../electron/worker/dispatch';
import { ServiceHost } from '../../electron/worker/service-host';
import { repoRoot, workerBundle } from '../support/services';

// The demonstration workstation (docs/demo.md) through the real services: the switching services of
// the hosts, the real service worker, SoftHSM2 tokens read through PKCS#11 and the login's
// certificate validation. Nothing is mocked: the analyst signs in with the demo card and its PIN.

interface Running {
  dataDir: string;
  services: DemoSwitchingServices;
  call(channel: string, request?: object): ReturnType<ReturnType<typeof createDispatcher>>;
  close(): Promise<void>;
}

const previousConf = process.env.SOFTHSM2_CONF;
const dirs: string[] = [];
const running: Running[] = [];

async function start(dataDir: string, siteConfigPath = join(dataDir, 'site-config.json')): Promise<Running> {
  const logs: string[] = [];
  const services = new DemoSwitchingServices(
    (paths) => new ServiceHost({ workerPath: workerBundle, paths, log: (line) => logs.push(line) }),
    { dataDir, resourcesDir: join(repoRoot, 'resources'), siteConfigPath },
    (line) => logs.push(line),
  );
  await services.start();
  const dispatch = createDispatcher(services, (line) => logs.push(line));
  const r: Running = {
    dataDir,
    services,
    call: (channel, request = {}) => dispatch(`enclave:${channel}`, request),
    close: () => services.stop(),
  };
  running.push(r);
  // The notice, acknowledged as the renderer does.
  const info = value<{ consent: { id: string } }>(await r.call('system.info'));
  value(await r.call('system.acknowledgeConsent', { consentId: info.consent.id }));
  return r;
}

function value<T = unknown>(result: Awaited<ReturnType<Running['call']>>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-demo-test-'));
  dirs.push(dir);
  return dir;
};

interface Cards {
  dataDir: string;
  made: boolean;
  cards: { role: string; holder: string; label: string; pin: string }[];
}

afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
  else process.env.SOFTHSM2_CONF = previousConf;
});

/** The card the module shows with this label (the sign-in screen's picker shows the same list). */
async function serialOf(r: Running, label: string): Promise<string> {
  const status = value<{ card: { cards?: { label: string; serialNumber: string }[] } }>(
    await r.call('identity.status'),
  );
  const card = status.card.cards?.find((c) => c.label === label);
  if (!card) throw new Error(`no card labelled ${label}: ${JSON.stringify(status)}`);
  return card.serialNumber;
}

describe('the demonstration workstation', () => {
  it('is made from a fresh data directory: demo cards sign in through PKCS#11, the analyst finds the example models', async () => {
    const dataDir = freshDir();
    const r = await start(dataDir);
    expect(value(await r.call('setup.demoStatus'))).toEqual({ available: true, reason: null });

    const started = performance.now();
    const demo = value<Cards>(await r.call('setup.startDemo'));
    const elapsed = performance.now() - started;
    expect(demo.made).toBe(true);
    expect(demo.dataDir).toBe(join(dataDir, 'demo'));
    expect(demo.cards.map((c) => [c.role, c.label])).toEqual([
      ['admin', 'Demo administrator'],
      ['analyst', 'Demo analyst'],
    ]);
    for (const card of demo.cards) expect(card.pin).toMatch(/^[0-9]{8}$/);
    expect(demo.cards[0]!.pin).not.toBe(demo.cards[1]!.pin);
    expect(elapsed).toBeLessThan(30_000);

    // The services now run the demo: its flag, its site, and the notice acknowledged a moment ago.
    const info = value<{ demo: boolean; site: { name: string }; consent: { acknowledgedAt: string | null } }>(
      await r.call('system.info'),
    );
    expect(info).toMatchObject({ demo: true, site: { name: 'Enclave Demonstration' } });
    expect(info.consent.acknowledgedAt).not.toBeNull();
    expect(value(await r.call('setup.demoCards'))).toEqual({ cards: demo.cards });

    // The real data directory is untouched: no store, no site configuration; the demo's files are the owner's alone.
    expect(existsSync(join(dataDir, 'enclave.db'))).toBe(false);
    expect(existsSync(join(dataDir, 'site-config.json'))).toBe(false);
    expect(statSync(demo.dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(demo.dataDir, DEMO_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(demo.dataDir, 'site-config.json'), 'utf8')).toContain('libsofthsm2.so');

    // A wrong PIN is refused by the token, as a card would refuse it.
    const analyst = demo.cards.find((c) => c.role === 'analyst')!;
    const analystSerial = await serialOf(r, 'Demo analyst');
    const wrongPin = analyst.pin === '12345678' ? '87654321' : '12345678';
    const wrong = value<{ outcome: string }>(
      await r.call('identity.login', { pin: wrongPin, serialNumber: analystSerial }),
    );
    expect(wrong.outcome).not.toBe('unlocked');

    const login = value<{ outcome: string; user?: { role: string; displayName: string } }>(
      await r.call('identity.login', { pin: analyst.pin, serialNumber: analystSerial }),
    );
    expect(login).toMatchObject({ user: { role: 'analyst', displayName: 'DEMO.ANALYST.A.1000000002' } });
    const models = value<{ models: { id: number; name: string }[] }>(await r.call('models.list', {}));
    expect(models.models.map((m) => m.name).sort()).toEqual(
      ['Project cost and schedule risk', 'Revenue forecast with confidence bands', 'Service availability'].sort(),
    );
    // And a saved run of one of them, which opens with its statistics.
    const runs = (
      await Promise.all(
        models.models.map(
          async (m) =>
            value<{ runs: { id: number; name: string; iterations: number }[] }>(
              await r.call('runs.list', { model: m.id }),
            ).runs,
        ),
      )
    ).flat();
    expect(runs.map((run) => [run.name, run.iterations])).toEqual([['Demonstration baseline', 100_000]]);
    const opened = value<{ results: { outputs: Record<string, { count: number }> } }>(
      await r.call('runs.open', { id: runs[0]!.id }),
    );
    for (const stats of Object.values(opened.results.outputs)) expect(stats.count).toBeGreaterThan(0);
    value(await r.call('identity.lock'));

    const admin = demo.cards.find((c) => c.role === 'admin')!;
    const adminLogin = value<{ user?: { role: string } }>(
      await r.call('identity.login', { pin: admin.pin, serialNumber: await serialOf(r, 'Demo administrator') }),
    );
    expect(adminLogin).toMatchObject({ user: { role: 'admin' } });

    // On the demo, the demo is not offered again.
    expect(value(await r.call('setup.demoStatus'))).toMatchObject({ available: false });
  });

  it('opens the same demo again on the next start, with the same PINs and a fresh CRL', async () => {
    const dataDir = freshDir();
    const first = value<Cards>(await (await start(dataDir)).call('setup.startDemo'));
    for (const r of running.splice(0)) await r.close();

    const r = await start(dataDir);
    const again = value<Cards>(await r.call('setup.startDemo'));
    expect(again.made).toBe(false);
    expect(again.cards).toEqual(first.cards);
    const analyst = again.cards.find((c) => c.role === 'analyst')!;
    const login = value<{ user?: { role: string } }>(
      await r.call('identity.login', { pin: analyst.pin, serialNumber: await serialOf(r, 'Demo analyst') }),
    );
    expect(login).toMatchObject({ user: { role: 'analyst' } });
  });

  it('is never offered where a site configuration is installed, and makes nothing when asked', async () => {
    const dataDir = freshDir();
    writeFileSync(join(dataDir, 'site-config.json'), JSON.stringify({ siteName: 'Field Site 7' }));
    const r = await start(dataDir);
    const status = value<{ available: boolean; reason: string }>(await r.call('setup.demoStatus'));
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/site configuration is installed/);
    const refused = await r.call('setup.startDemo');
    expect(refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
    expect(value<{ demo: boolean }>(await r.call('system.info')).demo).toBe(false);
  });

  it('is never offered where the site configuration is installed elsewhere (ENCLAVE_SITE_CONFIG)', async () => {
    const dataDir = freshDir();
    const elsewhere = join(freshDir(), 'site.json');
    writeFileSync(elsewhere, JSON.stringify({ siteName: 'Field Site 7' }));
    const r = await start(dataDir, elsewhere);
    expect(await r.call('setup.startDemo')).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/site configuration is installed/) },
    });
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
  });

  it('is never offered on a workstation that is set up (a store exists)', async () => {
    const dataDir = freshDir();
    const r = await start(dataDir);
    const begun = value<{ recoverySecret: string }>(
      await r.call('setup.begin', { siteName: 'Field Site 7', systemHigh: 'SECRET' }),
    );
    value(await r.call('setup.confirm', { recoverySecret: begun.recoverySecret }));
    // setup wrote the site configuration too; remove it to prove the store alone is enough.
    rmSync(join(dataDir, 'site-config.json'));
    expect(await r.call('setup.startDemo')).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: expect.stringMatching(/already set up/) },
    });
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
  });

  it('says what to install when SoftHSM2 is missing, and makes nothing', async () => {
    expect(SOFTHSM_MISSING).toMatch(/apt-get install softhsm2/);
    expect(findSofthsmModule(['/nonexistent/libsofthsm2.so'], {})).toBeNull();
    const dataDir = freshDir();
    // The services' worker takes its environment from this process when it starts.
    process.env.SOFTHSM2_MODULE = '/nonexistent/libsofthsm2.so';
    let r: Running;
    try {
      r = await start(dataDir);
    } finally {
      delete process.env.SOFTHSM2_MODULE;
    }
    expect(value(await r.call('setup.demoStatus'))).toEqual({ available: false, reason: SOFTHSM_MISSING });
    expect(await r.call('setup.startDemo')).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION', message: SOFTHSM_MISSING },
    });
    expect(existsSync(join(dataDir, 'demo'))).toBe(false);
  });
});
