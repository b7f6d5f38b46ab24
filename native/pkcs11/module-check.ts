import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireNative = createRequire(import.meta.url);

export interface ModuleReport {
  path: string;
  ok: boolean;
  detail: string;
}

/** Loads a PKCS#11 module through pkcs11js, initializes it and reads C_GetInfo, then unloads it. */
export function checkPkcs11Module(path: string): ModuleReport {
  if (!existsSync(path)) return { path, ok: false, detail: 'file not found' };
  let pkcs11: import('pkcs11js').PKCS11 | undefined;
  let initialized = false;
  try {
    const { PKCS11 } = requireNative('pkcs11js') as typeof import('pkcs11js');
    pkcs11 = new PKCS11();
    pkcs11.load(path);
    pkcs11.C_Initialize();
    initialized = true;
    const info = pkcs11.C_GetInfo();
    const version = `${info.cryptokiVersion.major}.${info.cryptokiVersion.minor}`;
    return { path, ok: true, detail: `${info.manufacturerID.trim()} ${info.libraryDescription.trim()} (Cryptoki ${version})` };
  } catch (error) {
    return { path, ok: false, detail: `did not load: ${(error as Error).message}` };
  } finally {
    if (pkcs11) {
      if (initialized) pkcs11.C_Finalize();
      pkcs11.close();
    }
  }
}
