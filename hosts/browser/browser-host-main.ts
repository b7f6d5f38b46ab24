import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { defaultDataDir, rendererDir } from '../app-paths';
import { startHostSession } from './host-session';

// `node dist/node/browser-host.cjs [--port N] [--data-dir DIR]`: the browser host alone, for tests
// and for developers who open the printed one-time URL in their own Chromium (paste it into the
// address bar; never put it on a command line). Prints one JSON line, to its own stdout only.
async function main() {
  // Everything this process and its services write is the owner's alone (the worker thread cannot set it).
  process.umask(0o077);
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  if (!existsSync(rendererDir())) {
    process.stderr.write(`The renderer is not built (${rendererDir()} is missing): run npm run build.\n`);
    process.exit(2);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port must be 0..65535\n`);
    process.exit(2);
  }
  const session = await startHostSession({
    dataDir: values['data-dir'] ?? defaultDataDir(),
    ...(port === undefined ? {} : { port }),
  });
  process.stdout.write(`${JSON.stringify({ origin: session.host.origin, bootstrapUrl: session.host.bootstrapUrl })}\n`);
  const stop = () => void session.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`browser host failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
