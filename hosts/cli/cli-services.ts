import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { channelName, type MethodOf, type Namespace, type RequestOf, type ResponseOf } from '../../common/ipc/contract';
import type { IpcError } from '../../common/ipc/result';
import { createDispatcher } from '../../electron/worker/dispatch';
import { ServiceHost } from '../../electron/worker/service-host';
import { nodeBundle, servicePaths } from '../app-paths';

/** A refusal from the services (wrong secret, no permission, a store that does not verify): exit 1, in its words. */
export class CliRefusal extends Error {
  override name = 'CliRefusal';
  constructor(readonly error: IpcError) {
    super(error.message);
  }
}

export interface CliServices {
  /** One contract call, validated both ways as every host's are; throws CliRefusal on a refusal. */
  call<N extends Namespace, M extends MethodOf<N>>(
    namespace: N,
    method: M,
    request: RequestOf<N, M>,
  ): Promise<ResponseOf<N, M>>;
  /** Hands a file the user named on the command line to the services, as a dialog or an upload does. */
  handFile(path: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The CLI's way into the store: the same service worker, router, access checks and audit as the
 * app's (docs/cli.md, "Sign-in"). `notice` receives the notice-and-consent banner, which the CLI
 * shows and acknowledges before any consent-gated call, as the app's first screen does.
 */
export async function openServices(
  dataDir: string,
  notice: (title: string, text: string) => void,
): Promise<CliServices> {
  const log = (line: string) => {
    if (process.env.ENCLAVE_DEBUG) process.stderr.write(`[services] ${line}\n`);
  };
  const host = new ServiceHost({ workerPath: nodeBundle('service-worker.cjs'), paths: servicePaths(dataDir), log });
  await host.start();
  const dispatch = createDispatcher(host, log);
  const call = async <N extends Namespace, M extends MethodOf<N>>(
    namespace: N,
    method: M,
    request: RequestOf<N, M>,
  ) => {
    const result = await dispatch(channelName(namespace, method), request);
    if (!result.ok) throw new CliRefusal(result.error);
    return result.value as ResponseOf<N, M>;
  };
  try {
    const info = await call('system', 'info', {});
    notice(info.consent.title, info.consent.text);
    await call('system', 'acknowledgeConsent', { consentId: info.consent.id });
  } catch (error) {
    await host.stop();
    throw error;
  }
  return {
    call,
    async handFile(path) {
      const full = resolve(path);
      let size: number;
      try {
        size = statSync(full).size;
      } catch {
        throw new CliRefusal({ code: 'INVALID_ARGUMENT', message: `There is no file at ${full}.` });
      }
      return (await host.registerFile({ path: full, name: basename(full), size, temporary: false })).handle;
    },
    async close() {
      await call('identity', 'lock', {}).catch(() => undefined);
      await host.stop();
    },
  };
}
