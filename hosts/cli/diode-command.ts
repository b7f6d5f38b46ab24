import type { Command } from 'commander';
import {
  DiodeReceiver,
  DiodeUsageError,
  parseBytes,
  parseInteger,
  parseRate,
  parseRedundancy,
  sendFile,
  type SendOptions,
} from '../../electron/services/diode';
import { terminalSafe, terminalSafeOutput } from './terminal-safe';

interface Io {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

interface SendArgs {
  to?: string;
  redundancy?: string;
  rate?: string;
  repeat?: string;
  packetSize?: string;
  dataBlocks?: string;
  interleave?: string;
}

interface ReceiveArgs {
  port?: string;
  bind?: string;
  quarantine?: string;
  timeout?: string;
  maxBytes?: string;
  once?: boolean;
}

function destination(text: string | undefined): { host: string; port: number } {
  if (!text) throw new DiodeUsageError('--to HOST:PORT is required');
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!match) throw new DiodeUsageError(`--to "${text}" is not HOST:PORT`);
  return { host: match[1]!, port: parseInteger(match[2]!, 'port', 1, 65535) };
}

function sendOptions(args: SendArgs): SendOptions {
  return {
    ...destination(args.to),
    ...(args.redundancy !== undefined && { redundancy: parseRedundancy(args.redundancy) }),
    ...(args.rate !== undefined && { rate: parseRate(args.rate) }),
    ...(args.repeat !== undefined && { repeat: parseInteger(args.repeat, 'repeat', 1, 100) }),
    ...(args.packetSize !== undefined && { packetSize: parseInteger(args.packetSize, 'packet size', 512, 65000) }),
    ...(args.dataBlocks !== undefined && { dataBlocks: parseInteger(args.dataBlocks, 'data blocks', 1, 255) }),
    ...(args.interleave !== undefined && { interleave: parseInteger(args.interleave, 'interleave', 1, 64) }),
  };
}

/**
 * `enclave diode send` and `enclave diode receive`: the one-way UDP transport of bundles
 * (electron/services/diode, docs/diode.md). No store, no data directory, no sign-in: the bundle's
 * own signature is what the import checks. Exit 0 done, 1 the transfer failed or was lost, 2 bad arguments.
 */
export function addDiodeCommands(program: Command, io: () => Io): void {
  const diode = program.command('diode').description('send or receive a bundle file over a one-way UDP data diode');

  diode
    .command('send <bundle>')
    .description('send a file one way over UDP with forward error correction; nothing is read back')
    .option('--to <host:port>', 'where the diode receiver listens')
    .option('--redundancy <percent>', 'repair blocks per data block, e.g. 25% (default 20%)')
    .option('--rate <bits/s>', 'send rate on the wire, e.g. 400M (default 400M)')
    .option('--repeat <n>', 'send the whole file n times (default 1)')
    .option('--packet-size <bytes>', 'UDP payload bytes per datagram, 512 to 65000 (default 1472)')
    .option(
      '--data-blocks <k>',
      'data blocks per Reed-Solomon group, 1 to 255 (default 128, fewer for large datagrams)',
    )
    .option('--interleave <n>', 'groups sent interleaved against bursts of loss, 1 to 64 (default 32)')
    .action(async (bundle: string, args: SendArgs) => {
      const o = terminalSafeOutput(io());
      let options: SendOptions;
      try {
        options = sendOptions(args);
      } catch (error) {
        if (!(error instanceof DiodeUsageError)) throw error;
        o.err(`enclave: ${terminalSafe(error.message)}`);
        return o.setExit(2);
      }
      try {
        const result = await sendFile(bundle, options);
        if (o.json) o.out(JSON.stringify(result));
        else
          o.out(
            `sent ${result.name} (${result.size} bytes, session ${result.sessionId}): ${result.datagrams} datagrams, ` +
              `${result.groups} groups of ${result.dataBlocks}+${result.repairBlocks}, ${result.passes} pass(es), ` +
              `${(result.size / result.seconds / 1e6).toFixed(1)} MB/s`,
          );
        o.setExit(0);
      } catch (error) {
        o.err(`enclave: ${terminalSafe((error as Error).message)}`);
        o.setExit(error instanceof DiodeUsageError || (error as NodeJS.ErrnoException).code === 'ENOENT' ? 2 : 1);
      }
    });

  diode
    .command('receive')
    .description('receive files from a diode sender into a quarantine directory; never sends anything')
    .option('--port <port>', 'UDP port to listen on')
    .option('--bind <address>', 'address to listen on (default 0.0.0.0)')
    .option('--quarantine <dir>', 'where complete, verified files are placed (in-progress files in DIR/.incoming)')
    .option('--timeout <seconds>', 'report a transfer lost after this long without a datagram (default 30)')
    .option('--max-bytes <size>', 'refuse files larger than this, e.g. 4G (default 8G)')
    .option('--once', 'exit after one transfer: 0 when the file was received, 1 when it was lost')
    .action(async (args: ReceiveArgs) => {
      const o = terminalSafeOutput(io());
      let receiver: DiodeReceiver;
      try {
        if (!args.port) throw new DiodeUsageError('--port is required');
        if (!args.quarantine) throw new DiodeUsageError('--quarantine DIR is required');
        receiver = new DiodeReceiver({
          port: parseInteger(args.port, 'port', 0, 65535),
          quarantineDir: args.quarantine,
          ...(args.bind !== undefined && { host: args.bind }),
          ...(args.timeout !== undefined && { timeoutSeconds: parseInteger(args.timeout, 'timeout', 1, 86400) }),
          ...(args.maxBytes !== undefined && { maxBytes: parseBytes(args.maxBytes, 'max bytes') }),
        });
      } catch (error) {
        if (!(error instanceof DiodeUsageError)) throw error;
        o.err(`enclave: ${terminalSafe(error.message)}`);
        return o.setExit(2);
      }
      let exit = 0;
      await new Promise<void>((resolve) => {
        const finish = (code: number) => {
          exit = code;
          process.off('SIGINT', interrupted);
          process.off('SIGTERM', interrupted);
          void receiver.stop().then(resolve);
        };
        const interrupted = () => finish(exit);
        process.on('SIGINT', interrupted);
        process.on('SIGTERM', interrupted);
        receiver.on('received', (file) => {
          o.out(
            o.json
              ? JSON.stringify({ event: 'received', ...file })
              : `received ${file.name} -> ${file.path} (${file.size} bytes, SHA-512 verified)`,
          );
          if (args.once) finish(0);
        });
        receiver.on('lost', (lost) => {
          o.err(
            `enclave: lost ${lost.name} (session ${lost.sessionId}): ${lost.reason}; ${lost.groupsMissing} of ${lost.groups} groups, ` +
              `${lost.blocksMissing} data blocks, ${lost.bytesMissing} bytes missing`,
          );
          if (o.json) o.out(JSON.stringify({ event: 'lost', ...lost }));
          if (args.once) finish(1);
        });
        receiver.on('refused', ({ sessionId, reason }) => o.err(`enclave: refused session ${sessionId}: ${reason}`));
        receiver.on('error', (error) => o.err(`enclave: ${error.message}`));
        receiver.start().then(
          ({ port }) => {
            if (!o.json) o.err(`listening on UDP port ${port}, quarantine ${args.quarantine}`);
          },
          (error: Error) => {
            o.err(`enclave: cannot listen: ${error.message}`);
            finish(1);
          },
        );
      });
      o.setExit(exit);
    });
}
