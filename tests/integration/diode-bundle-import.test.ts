import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveBundle } from '../../electron/services/bundles/bundle-import';
import { packBundle } from '../../electron/services/bundles/pack';
import { INCOMING } from '../../electron/services/diode';
import {
  createBundleLab,
  labInfo,
  modelRecord,
  runRecord,
  signerOf,
  writeLabBag,
  type BundleLab,
} from '../support/bundle-lab';
import { sendWithCli, startReceiver } from '../support/diode-transfer';
import { provisionPivFixture, type PivFixture } from '../support/fixtures/piv';
import { LossyRelay } from '../support/lossy-relay';
import { udpcastInstalled, udpcastTransfer } from '../support/udpcast';

// A real signed bundle across the one-way link and into the import (docs/diode.md, docs/bundle-format.md):
// through Enclave's own diode with a lossy relay, and through udpcast's udp-sender/udp-receiver.

let fixture: PivFixture;
let lab: BundleLab;
let work: string;
let bundle: string;

beforeAll(async () => {
  fixture = await provisionPivFixture();
  lab = await createBundleLab(fixture);
  work = mkdtempSync(join(tmpdir(), 'enclave-diode-bundle-'));
  const bag = join(work, 'bag');
  writeLabBag(
    bag,
    labInfo({ recordCount: 2 }),
    [modelRecord(1, 1, '(U)'), runRecord(9, { id: 1, version: 1 }, '(U)')],
    signerOf(fixture, 'valid-ecc'),
  );
  mkdirSync(join(work, 'outbox'));
  bundle = (await packBundle(bag, join(work, 'outbox', 'enclave-fs7-to-fs9-000001.tar'))).path;
}, 120_000);

afterAll(() => {
  lab?.cleanup();
  fixture?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const imported = (path: string, dataDir: string) =>
  receiveBundle({ ws: lab.ws, site: lab.site, sources: [path], dataDir, now: new Date() });

describe('a bundle over the one-way link, then imported', () => {
  it('through enclave diode send/receive with 5% loss, reordering and corruption: arrives whole and verifies', async () => {
    const landing = join(work, 'diode-quarantine');
    const { receiver, port, next } = await startReceiver({ quarantineDir: landing, timeoutSeconds: 5 });
    const relay = new LossyRelay({
      targetPort: port,
      seed: 17,
      drop: 0.05,
      reorder: 0.02,
      corrupt: 0.01,
      duplicate: 0.01,
    });
    try {
      const relayPort = await relay.start();
      const sent = await sendWithCli(bundle, relayPort, ['--redundancy', '25%']);
      expect(sent.code, sent.stderr).toBe(0);
      const outcome = await next();
      expect(outcome.kind).toBe('received');
      if (outcome.kind !== 'received') return;
      expect(relay.stats.backward).toBe(0);
      const { bundle: verified } = await imported(outcome.file.path, join(work, 'data-1'));
      expect(verified.records.map((r) => r.key)).toEqual(['model:1@1', 'run:9']);
      expect(readdirSync(landing).filter((n) => n !== INCOMING && !n.endsWith('.jsonl'))).toEqual([
        'enclave-fs7-to-fs9-000001.tar',
      ]);
    } finally {
      await relay.stop();
      await receiver.stop();
    }
  });

  it.skipIf(!udpcastInstalled)('through udp-sender --async --fec and udp-receiver: imported by Enclave', async () => {
    const received = join(work, 'udpcast', 'bundle.tar');
    mkdirSync(join(work, 'udpcast'));
    const { sender, receiver } = await udpcastTransfer(bundle, received, 30000 + 2 * Math.floor(Math.random() * 5000));
    expect(sender.code, sender.output).toBe(0);
    expect(receiver.code, receiver.output).toBe(0);
    const lab2 = await createBundleLab(fixture);
    try {
      const { bundle: verified } = await receiveBundle({
        ws: lab2.ws,
        site: lab2.site,
        sources: [received],
        dataDir: join(work, 'data-2'),
        now: new Date(),
      });
      expect(verified.info.sequence).toBe(1);
      expect(verified.signer.name).toBe('ROE.JANE.A.2345678901');
    } finally {
      lab2.cleanup();
    }
  });
});
