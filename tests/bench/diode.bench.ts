import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { udpcastArgs, udpcastInstalled, UDP_RECEIVER, UDP_SENDER } from '../support/udpcast';
import { fmt, runProcess, seconds, sendCli, sha512File, startCliReceiver, writeBenchFile } from './diode-run';

// Diode throughput at 0% loss on loopback: one 200 MB file, Enclave's sender to Enclave's receiver
// (both the built CLI, each its own process), and udpcast's udp-sender --async --fec to udp-receiver
// for the same file in the same run. Time runs from the sender's start to the verified file in
// place (quarantine for Enclave, the output file for udpcast). Each tool is tried at a ladder of
// rates and its best intact run is reported: a rate the receiver cannot keep up with loses data.
const SIZE = 200_000_000;
const dir = mkdtempSync(join(tmpdir(), 'enclave-bench-diode-'));
const file = join(dir, 'bundle-bench.tar');
const port = 31000 + Math.floor(Math.random() * 1000) * 2;

try {
  writeBenchFile(file, SIZE, 2026);
  const expected = await sha512File(file);
  console.log(
    `load average at start: ${loadavg()
      .map((n) => fmt(n, 2))
      .join(' ')} (${SIZE / 1e6} MB file)`,
  );

  async function enclave(packetSize: number, rate: string) {
    const quarantine = join(dir, `q-${packetSize}-${rate}`);
    const receiver = startCliReceiver(quarantine, port, ['--timeout', '5']);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const start = process.hrtime.bigint();
    const sent = await sendCli(file, port, [
      '--packet-size',
      String(packetSize),
      '--rate',
      rate,
      '--redundancy',
      '20%',
    ]);
    const event = await receiver.next();
    const elapsed = seconds(start);
    await receiver.stop();
    const intact = sent.code === 0 && event.event === 'received' && (await sha512File(event.path)) === expected;
    rmSync(quarantine, { recursive: true, force: true });
    return { intact, mbps: SIZE / 1e6 / elapsed, why: intact ? '' : `${sent.output.trim()} ${JSON.stringify(event)}` };
  }

  async function udpcast(rate: string) {
    const out = join(dir, `udpcast-${rate}.tar`);
    const args = udpcastArgs(file, out, port + 2, rate, '8x8/128');
    const receiving = runProcess(UDP_RECEIVER, args.receiver);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const start = process.hrtime.bigint();
    const sender = await runProcess(UDP_SENDER, args.sender);
    const receiver = await receiving;
    const elapsed = seconds(start);
    const intact = sender.code === 0 && receiver.code === 0 && (await sha512File(out).catch(() => '')) === expected;
    rmSync(out, { force: true });
    return { intact, mbps: SIZE / 1e6 / elapsed, why: intact ? '' : receiver.output.split('\n').slice(-3).join(' ') };
  }

  const best = async (
    label: string,
    rates: string[],
    run: (rate: string) => Promise<{ intact: boolean; mbps: number; why: string }>,
  ) => {
    let top = 0;
    for (const rate of rates) {
      const r = await run(rate);
      console.log(
        `  ${label} at ${rate}bit/s: ${r.intact ? `${fmt(r.mbps)} MB/s, intact` : `incomplete or altered: ${r.why.slice(0, 300)}`}`,
      );
      if (r.intact) top = Math.max(top, r.mbps);
    }
    return top;
  };

  const jumbo = await best('Enclave, 65000-byte datagrams', ['1600M', '800M', '400M', '200M'], (rate) =>
    enclave(65000, rate),
  );
  const ethernet = await best('Enclave, 1472-byte datagrams', ['400M', '200M', '100M'], (rate) => enclave(1472, rate));
  const peer = udpcastInstalled
    ? await best('udpcast, 1456-byte blocks, FEC 8x8/128', ['800m', '400m', '200m', '100m'], (rate) => udpcast(rate))
    : 0;
  console.log(
    `diode throughput at 0% loss (200 MB, loopback): Enclave ${fmt(jumbo)} MB/s with 65000-byte datagrams (target 50), ${fmt(ethernet)} MB/s with 1472-byte; ` +
      (peer
        ? `udpcast ${fmt(peer)} MB/s; ratio ${fmt(jumbo / peer, 2)} (jumbo) and ${fmt(ethernet / peer, 2)} (1472)`
        : udpcastInstalled
          ? 'udpcast delivered no intact file at these rates'
          : 'udpcast not installed: no peer figure'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
