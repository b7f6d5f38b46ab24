import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LossyRelay, seededRandom } from '../support/lossy-relay';
import { fmt, seconds, sendCli, sha512File, startCliReceiver, writeBenchFile } from './diode-run';

// The diode soak: 100 bundles of 1-50 MB through the seeded lossy relay at 5% and at 10% loss, with
// the redundancy docs/diode.md recommends (25% and 40%), counting files that arrived whole, arrived
// altered (must be 0) and were reported lost. Long (several minutes): it runs only with
// ENCLAVE_DIODE_SOAK=1, e.g. `ENCLAVE_DIODE_SOAK=1 npm run bench -- diode-soak`.
const BUNDLES = Number(process.env.ENCLAVE_DIODE_SOAK_COUNT ?? 100);
const RATE = process.env.ENCLAVE_DIODE_SOAK_RATE ?? '200M';
const SEED = 2026;

function kernelUdpDrops(): number {
  // /proc/net/snmp "Udp:" RcvbufErrors: datagrams the kernel dropped for a full socket buffer (any socket).
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Udp:'));
  const names = lines[0]!.split(/\s+/);
  return Number(lines[1]!.split(/\s+/)[names.indexOf('RcvbufErrors')]);
}

if (!process.env.ENCLAVE_DIODE_SOAK) {
  console.log(
    'diode soak skipped: set ENCLAVE_DIODE_SOAK=1 (100 bundles of 1-50 MB at 5% and 10% loss, several minutes)',
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-bench-diode-soak-'));
  try {
    for (const { loss, redundancy } of [
      { loss: 0.05, redundancy: '25%' },
      { loss: 0.1, redundancy: '40%' },
    ]) {
      const port = 32000 + Math.floor(Math.random() * 1000) * 2;
      const quarantine = join(dir, `q-${loss}`);
      const receiver = startCliReceiver(quarantine, port, ['--timeout', '10']);
      const link = { seed: SEED + loss * 100, drop: loss, corrupt: 0.002, reorder: 0.01, duplicate: 0.005 };
      const relay = new LossyRelay({ targetPort: port, ...link });
      const relayPort = await relay.start();
      await new Promise((resolve) => setTimeout(resolve, 800));
      const sizes = seededRandom(SEED);
      const counts = { whole: 0, altered: 0, lost: 0, bytes: 0 };
      const drops = kernelUdpDrops();
      const start = process.hrtime.bigint();
      for (let n = 0; n < BUNDLES; n++) {
        const size = Math.floor(1e6 + sizes() * 49e6);
        const file = join(dir, `bundle-${n}.tar`);
        writeBenchFile(file, size, SEED + n);
        const expected = await sha512File(file);
        const sent = await sendCli(file, relayPort, ['--rate', RATE, '--redundancy', redundancy]);
        if (sent.code !== 0) throw new Error(`send failed: ${sent.output}`);
        const event = await receiver.next();
        if (event.event === 'lost') {
          counts.lost++;
          console.log(`  lost bundle-${n}.tar (${size} bytes): ${event.reason}; ${event.groupsMissing} groups missing`);
        } else if ((await sha512File(event.path)) === expected) counts.whole++;
        else counts.altered++;
        counts.bytes += size;
        if (event.event === 'received') rmSync(event.path, { force: true });
        rmSync(file, { force: true });
      }
      const elapsed = seconds(start);
      await relay.stop();
      await receiver.stop();
      const r = relay.stats;
      console.log(
        `diode soak at ${loss * 100}% loss, ${redundancy} redundancy, ${RATE}bit/s: ${BUNDLES} bundles (${fmt(counts.bytes / 1e9, 2)} GB) → ` +
          `${counts.whole} arrived whole, ${counts.altered} altered, ${counts.lost} lost; relay dropped ${r.dropped} of ${r.received}, ` +
          `corrupted ${r.corrupted}, reordered ${r.reordered}, duplicated ${r.duplicated}; kernel buffer drops ${kernelUdpDrops() - drops}; ` +
          `${fmt(elapsed, 0)} s (load average ${loadavg()
            .map((x) => fmt(x, 1))
            .join(' ')})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
