import type { PivFixture } from './fixtures/piv';

// The helpers the e2e specs use (./host-process.ts, ./card-workstation.ts, ./opensc-workstation.ts)
// are type-checked twice: with the Node side (tsconfig.node.json) and, through the specs, with the
// e2e project's DOM lib, under which the services' WebCrypto types do not check. So the one module
// that reaches into the services (./workstation-store.ts) is loaded at run time through this file,
// and the Node side checks it against WorkstationStoreBuilders.

/** What ./workstation-store.ts exports as `workstationStoreBuilders`; see there. */
export interface WorkstationStoreBuilders {
  createSetUpStore(dataDir: string): { recoverySecret: string };
  createEnrolledStore(options: EnrolledStoreOptions): Promise<{ recoverySecret: string; serialNumber: string }>;
}

export interface EnrolledStoreOptions {
  dataDir: string;
  fixture: PivFixture;
  /** The PKCS#11 module the card is read through; its environment must already be set. */
  modulePath: string;
  role: 'admin' | 'analyst' | 'viewer';
  /** false: leave setup.completedAt unset. Default true. */
  setupComplete?: boolean;
  /** The card to enrol; default: the one card the module shows (waited for, up to 5 s). */
  serialNumber?: string;
}

const STORE_MODULE: string = './workstation-store';

export async function loadWorkstationStoreBuilders(): Promise<WorkstationStoreBuilders> {
  const loaded = (await import(STORE_MODULE)) as { workstationStoreBuilders: WorkstationStoreBuilders };
  return loaded.workstationStoreBuilders;
}
