import { existsSync } from 'node:fs';
import { CardError } from './errors';
import { Pkcs11Module } from './module';

export interface ModuleReport {
  path: string;
  ok: boolean;
  detail: string;
}

/**
 * Loads a PKCS#11 module through the wrapper, reads C_GetInfo and the slots (a module that loads
 * but cannot list slots will not log anyone in), then unloads it. Used by `enclave doctor`.
 */
export function checkPkcs11Module(path: string): ModuleReport {
  if (!existsSync(path)) return { path, ok: false, detail: 'file not found' };
  let module: Pkcs11Module | undefined;
  try {
    module = Pkcs11Module.load(path);
    const { manufacturer, description, cryptokiVersion } = module.info;
    const slots = module.slots();
    const tokens = slots.filter((slot) => slot.tokenPresent).length;
    return {
      path,
      ok: true,
      detail: `${manufacturer} ${description} (Cryptoki ${cryptokiVersion}); ${slots.length} slot(s), ${tokens} with a token`,
    };
  } catch (error) {
    const message = error instanceof CardError ? error.message : String((error as Error).message ?? error);
    return { path, ok: false, detail: `did not load: ${message}` };
  } finally {
    module?.close();
  }
}
