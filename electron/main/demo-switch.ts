import type { EnclaveEvent } from '../../common/ipc/events';
import { fail, type IpcResult } from '../../common/ipc/result';
import type { ServicePaths } from '../services/context';
import { openDemoWorkstation } from '../services/demo/demo-workstation';
import { ServiceError } from '../services/service-error';
import type { CallOptions, HostFile, ServiceHost } from '../worker/service-host';

type Listener = (event: EnclaveEvent) => void;

/**
 * The services of a host (Electron main, the browser host) that can become the demonstration
 * workstation (docs/demo.md). Every call goes to one ServiceHost; `setup.startDemo` is the one the
 * host finishes itself: the services check it first (consent, and the gate: no site configuration,
 * no store, SoftHSM2 present; refusals audited), then this process, which owns the environment
 * SoftHSM reads, makes the demo and starts the services again on the demo's data directory. The
 * notice the person acknowledged a moment ago carries over only if its text is the same.
 */
export class DemoSwitchingServices {
  #host: ServiceHost;
  #paths: ServicePaths;
  readonly #listeners = new Set<Listener>();
  #unsubscribe: (() => void) | null = null;
  #starting: Promise<IpcResult<unknown>> | null = null;

  constructor(
    private readonly make: (paths: ServicePaths) => ServiceHost,
    paths: ServicePaths,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.#paths = paths;
    this.#host = make(paths);
  }

  /** The data directory and site configuration the services use now. */
  get paths(): ServicePaths {
    return this.#paths;
  }

  start(): Promise<void> {
    return this.#host.start();
  }

  stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    return this.#host.stop();
  }

  registerFile(file: HostFile) {
    return this.#host.registerFile(file);
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#subscribe();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = null;
      }
    };
  }

  call(namespace: string, method: string, request: unknown, options: CallOptions = {}): Promise<IpcResult<unknown>> {
    if (namespace === 'setup' && method === 'startDemo') {
      this.#starting ??= this.#startDemo(request, options).finally(() => (this.#starting = null));
      return this.#starting;
    }
    return this.#host.call(namespace, method, request, options);
  }

  #subscribe() {
    this.#unsubscribe = this.#host.onEvent((event) => {
      for (const listener of this.#listeners) listener(event);
    });
  }

  async #startDemo(request: unknown, options: CallOptions): Promise<IpcResult<unknown>> {
    const cleared = await this.#host.call('setup', 'startDemo', request, options);
    if (!cleared.ok) return cleared;
    const before = await this.#host.call('system', 'info', {});
    const started = performance.now();
    let demo: Awaited<ReturnType<typeof openDemoWorkstation>>;
    try {
      demo = await openDemoWorkstation(this.#paths);
    } catch (error) {
      if (error instanceof ServiceError) return fail(error.code, error.message);
      this.log(`demonstration workstation: ${(error as Error).message}`);
      return fail('INTERNAL', `The demonstration workstation could not be made: ${(error as Error).message}`);
    }
    await this.#switchTo(demo.paths, before);
    this.log(
      `demonstration workstation ${demo.made ? 'made' : 'opened'} in ${Math.round(performance.now() - started)} ms: ${demo.paths.dataDir}`,
    );
    return {
      ok: true,
      value: {
        dataDir: demo.paths.dataDir,
        made: demo.made,
        cards: demo.cards.map(({ role, holder, label, pin }) => ({ role, holder, label, pin })),
      },
    };
  }

  /**
   * The services again, on other paths: a new worker and a new session (the renderer signs in again).
   * The consent carries over before the renderer hears of the change, so its first call is answered.
   */
  async #switchTo(paths: ServicePaths, before: IpcResult<unknown>) {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.#host.stop();
    this.#paths = paths;
    this.#host = this.make(paths);
    await this.#host.start();
    await this.#carryConsent(before);
    if (this.#listeners.size > 0) this.#subscribe();
    for (const listener of this.#listeners) listener({ name: 'identity.changed', payload: { unlocked: false } });
  }

  async #carryConsent(before: IpcResult<unknown>) {
    const after = await this.#host.call('system', 'info', {});
    if (!before.ok || !after.ok) return;
    const was = (before.value as { consent: { id: string; acknowledgedAt: string | null } }).consent;
    const now = (after.value as { consent: { id: string } }).consent;
    if (was.acknowledgedAt && was.id === now.id)
      await this.#host.call('system', 'acknowledgeConsent', { consentId: now.id });
  }
}
