import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptReceivedFile, INCOMING } from '../../electron/services/diode';
import { writeSeededFile } from '../support/diode-transfer';
import { udpcastInstalled, udpcastTransfer } from '../support/udpcast';

/**
 * Interoperability with udpcast: a bundle sent by `udp-sender --async --fec` on loopback, received by
 * `udp-receiver`, then taken into quarantine by acceptReceivedFile (the same atomic placement the
 * diode receiver uses).
 */
if (!udpcastInstalled)
  console.warn('diode-udpcast: udp-sender/udp-receiver are not installed (Debian package udpcast); skipped');

const work = mkdtempSync(join(tmpdir(), 'enclave-diode-udpcast-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const portbase = 20000 + 2 * Math.floor(Math.random() * 5000);

describe.skipIf(!udpcastInstalled)('udpcast interoperability', () => {
  it('udp-sender --async --fec to udp-receiver on loopback, then accepted into quarantine byte-identical', async () => {
    const source = writeSeededFile(mkdtempSync(join(work, 'src-')), 'bundle-udpcast.tar', 3_000_000, 42);
    const original = readFileSync(source);
    const sha512 = createHash('sha512').update(original).digest('hex');
    const landing = mkdtempSync(join(work, 'landing-'));
    const received = join(landing, 'bundle-udpcast.tar');
    const { sender, receiver } = await udpcastTransfer(source, received, portbase);
    expect(sender.code, sender.output).toBe(0);
    expect(receiver.code, receiver.output).toBe(0);
    expect(readFileSync(received).equals(original)).toBe(true);

    const quarantine = join(work, 'quarantine');
    const placed = await acceptReceivedFile(received, quarantine, sha512);
    expect(placed).toEqual({ path: join(quarantine, 'bundle-udpcast.tar'), sha512 });
    expect(readFileSync(placed.path).equals(original)).toBe(true);
    expect(existsSync(received)).toBe(false);
    expect(readdirSync(join(quarantine, INCOMING))).toEqual([]);
  });
});

describe('acceptReceivedFile', () => {
  it('refuses a file whose SHA-512 differs and leaves it where it was, with nothing in quarantine', async () => {
    const dir = mkdtempSync(join(work, 'refuse-'));
    const file = writeSeededFile(dir, 'altered.tar', 10_000, 5);
    const quarantine = join(dir, 'q');
    await expect(acceptReceivedFile(file, quarantine, 'ab'.repeat(64))).rejects.toThrow(
      /does not match the expected SHA-512/,
    );
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(quarantine)).toEqual([INCOMING]);
    expect(readdirSync(join(quarantine, INCOMING))).toEqual([]);
    await expect(acceptReceivedFile(file, quarantine, 'not-hex')).rejects.toThrow(/128 hexadecimal/);
    await expect(acceptReceivedFile(join(dir, '..evil'), quarantine)).rejects.toThrow(/cannot accept/);
  });

  it('never overwrites: a second file of the same name gets a new one', async () => {
    const quarantine = join(work, 'twice');
    const first = await acceptReceivedFile(
      writeSeededFile(mkdtempSync(join(work, 'a-')), 'same.tar', 5000, 1),
      quarantine,
    );
    const second = await acceptReceivedFile(
      writeSeededFile(mkdtempSync(join(work, 'b-')), 'same.tar', 6000, 2),
      quarantine,
    );
    expect(first.path).toBe(join(quarantine, 'same.tar'));
    expect(second.path).toBe(join(quarantine, 'same-2.tar'));
    expect(readFileSync(first.path).length).toBe(5000);
  });
});
