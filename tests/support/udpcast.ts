import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's udpcast, the tool open-source diodes (OSDD, DYODE) use; `.ci/run` installs it. */
export const UDP_SENDER = '/usr/bin/udp-sender';
export const UDP_RECEIVER = '/usr/bin/udp-receiver';
export const udpcastInstalled = existsSync(UDP_SENDER) && existsSync(UDP_RECEIVER);

/**
 * The command lines docs/diode.md gives for a one-way link, on loopback: unicast to 127.0.0.1 for
 * both the rendezvous and the data (no multicast route needed on lo), async (no return channel),
 * FEC on, rate capped. `portbase` must be even; udpcast uses it and portbase + 1.
 */
export function udpcastArgs(file: string, out: string, portbase: number, bitrate = '100m', fec = '8x8/128') {
  const common = ['--interface', 'lo', '--portbase', String(portbase), '--mcast-rdv-address', '127.0.0.1', '--nokbd'];
  return {
    receiver: ['--file', out, ...common, '--start-timeout', '20', '--receive-timeout', '5'],
    sender: [
      '--file',
      file,
      ...common,
      '--mcast-data-address',
      '127.0.0.1',
      '--async',
      '--fec',
      fec,
      '--max-bitrate',
      bitrate,
      '--autostart',
      '3',
      '--rexmit-hello-interval',
      '100',
    ],
  };
}

export function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Sends `file` with udp-sender and receives it into `out` with udp-receiver; resolves with both results. */
export async function udpcastTransfer(file: string, out: string, portbase: number, bitrate?: string) {
  const args = udpcastArgs(file, out, portbase, bitrate);
  const receiving = run(UDP_RECEIVER, args.receiver);
  // The receiver needs a moment to bind; the sender repeats its hello meanwhile (--rexmit-hello-interval).
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sender = await run(UDP_SENDER, args.sender);
  const receiver = await receiving;
  return { sender, receiver };
}
