import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { listChannels } from '../../common/ipc/contract';
import { fail } from '../../common/ipc/result';
import type { Dispatch } from '../worker/dispatch';
import { isTrustedSenderUrl } from './shell-policy';

function fromTrustedFrame(event: IpcMainInvokeEvent, trustedContentsIds: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  return (
    frame !== null && frame.parent === null && trustedContentsIds.has(event.sender.id) && isTrustedSenderUrl(frame.url)
  );
}

/** One ipcMain handler per contract channel; each checks the sending frame, then dispatches. */
export function registerIpc(dispatch: Dispatch, trustedContentsIds: ReadonlySet<number>): void {
  for (const channel of listChannels()) {
    ipcMain.handle(channel.name, async (event, payload: unknown) => {
      if (!fromTrustedFrame(event, trustedContentsIds))
        return fail('FORBIDDEN', 'This frame may not call Enclave services.');
      return dispatch(channel.name, payload);
    });
  }
}
