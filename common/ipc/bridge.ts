import {
  contract,
  channelName,
  type Contract,
  type RequestOf,
  type ResponseOf,
  type Namespace,
  type MethodOf,
} from './contract';
import { parseEvent, type EnclaveEvent } from './events';
import {
  ChosenFileSchema,
  SavedFileSchema,
  type ChosenFile,
  type FileChoice,
  type SaveFile,
  type SavedFile,
} from './files';
import type { IpcResult } from './result';
import type { ReportPrintRequest } from '../report/report-document';

/**
 * Carries the bridge: supplied by the preload (ipcRenderer) or the browser host's page (fetch).
 * Calls go by channel name; everything else is fixed: cancel a call, hear events, choose files.
 */
export interface Transport {
  call(channel: string, request: unknown, callId?: string): Promise<unknown>;
  cancel(callId: string): void;
  /** Raw events as they arrived; the bridge checks each against its schema. Returns the unsubscribe. */
  subscribe(listener: (event: unknown) => void): () => void;
  /** Electron: the main process's file dialog. Absent in the browser host, whose page uploads instead. */
  chooseFiles?(choice: FileChoice): Promise<unknown>;
  /** Electron: the main process's save dialog writes the file. Absent in the browser host, whose page downloads it. */
  saveFile?(file: SaveFile): Promise<unknown>;
  /** Electron: the main process prints a report in a hidden window. Absent in the browser host, whose page asks POST /print. */
  printReport?(request: ReportPrintRequest): Promise<unknown>;
}

/** How a caller names a call, so it can cancel it and follow its progress events. */
export interface CallOptions {
  callId?: string;
}

type MethodFn<N extends Namespace, M extends MethodOf<N>> =
  // Channels whose request has no required field can be called with no argument.
  Record<never, never> extends RequestOf<N, M>
    ? (request?: RequestOf<N, M>, options?: CallOptions) => Promise<IpcResult<ResponseOf<N, M>>>
    : (request: RequestOf<N, M>, options?: CallOptions) => Promise<IpcResult<ResponseOf<N, M>>>;

export type ChannelFunctions = { readonly [N in Namespace]: { readonly [M in MethodOf<N>]: MethodFn<N, M> } };

/** What the bridge offers besides one function per channel; none of it can name a channel. */
export interface BridgeExtras {
  readonly cancel: (callId: string) => void;
  readonly events: { readonly subscribe: (listener: (event: EnclaveEvent) => void) => () => void };
  readonly files: {
    /** Present under Electron only: the main process shows the dialog and hands back handles. */
    readonly choose?: (choice: FileChoice) => Promise<IpcResult<ChosenFile[]>>;
    /** Present under Electron only: the main process asks where, and writes the file. */
    readonly save?: (file: SaveFile) => Promise<IpcResult<SavedFile>>;
    /** Present under Electron only: the main process prints a report (PDF) or one of its figures (PNG). */
    readonly print?: (request: ReportPrintRequest) => Promise<IpcResult<Uint8Array>>;
  };
}

export type EnclaveBridge = ChannelFunctions & BridgeExtras;

/** Electron channels of the bridge's fixed parts (the preload and the main process use them). */
export const CANCEL_CHANNEL = 'enclave:bridge.cancel';
export const CHOOSE_FILES_CHANNEL = 'enclave:bridge.chooseFiles';
export const SAVE_FILE_CHANNEL = 'enclave:bridge.saveFile';
export const PRINT_REPORT_CHANNEL = 'enclave:bridge.printReport';

/** The most bytes a printed report may come back with (a 50-page PDF is a few MB). */
export const MAX_PRINTED_BYTES = 256 * 1024 ** 2;

/** Keys of the bridge that are not contract namespaces; the contract may not use them. */
export const BRIDGE_EXTRAS = ['cancel', 'events', 'files'] as const;

/** A transport's answer to a file choice, checked: a list of handles, or an error envelope. */
function checkedChoice(answer: unknown): IpcResult<ChosenFile[]> {
  const result = answer as IpcResult<unknown>;
  if (!result || typeof result !== 'object' || !('ok' in result))
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'The file dialog sent an unreadable answer.' } };
  if (!result.ok) return result;
  const files = ChosenFileSchema.array().max(64).safeParse(result.value);
  return files.success
    ? { ok: true, value: files.data }
    : { ok: false, error: { code: 'UNAVAILABLE', message: 'The file dialog sent an unreadable answer.' } };
}

/** A transport's answer to a save, checked. */
function checkedSave(answer: unknown): IpcResult<SavedFile> {
  const result = answer as IpcResult<unknown>;
  if (!result || typeof result !== 'object' || !('ok' in result))
    return { ok: false, error: { code: 'UNAVAILABLE', message: 'The save dialog sent an unreadable answer.' } };
  if (!result.ok) return result;
  const saved = SavedFileSchema.safeParse(result.value);
  return saved.success
    ? { ok: true, value: saved.data }
    : { ok: false, error: { code: 'UNAVAILABLE', message: 'The save dialog sent an unreadable answer.' } };
}

/** A transport's answer to a print, checked: the printed bytes, or an error envelope. */
export function checkedPrint(answer: unknown): IpcResult<Uint8Array> {
  const result = answer as IpcResult<unknown>;
  const unreadable = {
    ok: false,
    error: { code: 'UNAVAILABLE', message: 'The printer sent an unreadable answer.' },
  } as const;
  if (!result || typeof result !== 'object' || !('ok' in result)) return unreadable;
  if (!result.ok) return result;
  const bytes = result.value;
  return bytes instanceof Uint8Array && bytes.byteLength > 0 && bytes.byteLength <= MAX_PRINTED_BYTES
    ? { ok: true, value: bytes }
    : unreadable;
}

/**
 * Builds the bridge object: one named function per contract channel, plus cancel, events and
 * files, and nothing else, so the renderer can never name an arbitrary channel. The transport
 * stays captured in the closure.
 */
export function makeBridge(transport: Transport): EnclaveBridge {
  const bridge: Record<string, unknown> = {};
  for (const namespace of Object.keys(contract) as Namespace[]) {
    const methods: Record<string, (request?: unknown, options?: CallOptions) => Promise<unknown>> = {};
    for (const method of Object.keys(contract[namespace])) {
      const name = channelName(namespace, method);
      methods[method] = (request?: unknown, options?: CallOptions) =>
        transport.call(name, request ?? {}, options?.callId);
    }
    bridge[namespace] = Object.freeze(methods);
  }
  bridge.cancel = (callId: string) => transport.cancel(callId);
  bridge.events = Object.freeze({
    subscribe: (listener: (event: EnclaveEvent) => void) =>
      transport.subscribe((raw) => {
        const event = parseEvent(raw);
        if (event) listener(event);
      }),
  });
  const choose = transport.chooseFiles?.bind(transport);
  const save = transport.saveFile?.bind(transport);
  const print = transport.printReport?.bind(transport);
  bridge.files = Object.freeze({
    ...(choose ? { choose: async (choice: FileChoice) => checkedChoice(await choose(choice)) } : {}),
    ...(save ? { save: async (file: SaveFile) => checkedSave(await save(file)) } : {}),
    ...(print ? { print: async (request: ReportPrintRequest) => checkedPrint(await print(request)) } : {}),
  });
  return Object.freeze(bridge) as unknown as EnclaveBridge;
}

export type { Contract };
