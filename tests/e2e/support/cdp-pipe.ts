import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/**
 * The browser's DevTools protocol over --remote-debugging-pipe (fds 3 and 4 of a Chromium the test
 * spawned): the test's own view of the browser's targets, open to nobody else.
 */
export function cdpPipe(browser: ChildProcess) {
  const toBrowser = browser.stdio[3] as Writable;
  const fromBrowser = browser.stdio[4] as Readable;
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  let buffered = '';
  let nextId = 0;
  fromBrowser.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end)) as { id?: number; result?: unknown };
      buffered = buffered.slice(end + 1);
      if (message.id !== undefined) waiting.get(message.id)?.(message);
    }
  });
  function send<T>(method: string, params: object = {}): Promise<T> {
    const id = ++nextId;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, (message) =>
        message.error ? reject(new Error(message.error.message)) : resolve(message.result as T),
      );
      toBrowser.write(`${JSON.stringify({ id, method, params })}\0`);
    });
  }
  return {
    send,
    async targets(): Promise<TargetInfo[]> {
      return (await send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos;
    },
  };
}
