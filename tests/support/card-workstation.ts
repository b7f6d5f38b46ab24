import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionPivFixture, type PivFixture, type PivUser, type PivVariant } from './fixtures/piv';
import { createEnrolledStore } from './e2e-store';

// Used by the e2e specs (through tests/e2e/support/card-workstation.ts). It lives here,
// type-checked with the Node side (tsconfig.node.json), because it reaches into the services, whose
// WebCrypto types do not check under the e2e project's DOM lib.

/**
 * A workstation set up for card login, for end-to-end tests: SoftHSM2 PIV tokens (tests/support/fixtures/piv),
 * a reader that holds one of them (its own SoftHSM token directory with a copy of that token only),
 * and a data directory with an encrypted store holding the test PKI's trust anchors and CRLs and
 * that card enrolled, with first-run setup recorded as finished, as an administrator would leave it
 * (docs/login.md). With `store: false` the data directory stays empty: a workstation before
 * first-run setup, with the card in the reader.
 */
export interface CardWorkstation {
  dataDir: string;
  fixture: PivFixture;
  /** The card in the reader. */
  card: PivUser;
  /** softhsm2.conf of the reader holding only that card. */
  readerConf: string;
  role: 'admin' | 'analyst' | 'viewer';
  /** The store's recovery secret (its scrypt is FAST_SCRYPT); null with `store: false`. */
  recoverySecret: string | null;
  /** Cards also in the reader but not enrolled (`alsoInReader`), in that order. */
  others: PivUser[];
  cleanup(): void;
}

export interface CardWorkstationOptions {
  variant?: 'valid-rsa' | 'valid-ecc';
  role?: 'admin' | 'analyst' | 'viewer';
  /** false: no store at all (before first-run setup). Default true. */
  store?: boolean;
  /** false: leave setup.completedAt unset, as if the app closed before setup's Finish. Default true. */
  setupComplete?: boolean;
  /** More cards in the same reader, not enrolled: the refusal variants (expired, revoked, …). */
  alsoInReader?: PivVariant[];
}

/** SoftHSM keeps each token in a folder named by UUID; the token's label is in its token.object. */
function tokenFolder(tokensDir: string, label: string): string {
  const found = readdirSync(tokensDir).filter((name) =>
    readFileSync(join(tokensDir, name, 'token.object')).includes(Buffer.from(label)),
  );
  if (found.length !== 1) throw new Error(`expected one SoftHSM token labelled ${label}, found ${found.length}`);
  return join(tokensDir, found[0]!);
}

export async function createCardWorkstation(options: CardWorkstationOptions = {}): Promise<CardWorkstation> {
  const variant = options.variant ?? 'valid-rsa';
  const role = options.role ?? 'analyst';
  const fixture = await provisionPivFixture();
  const card = fixture.users[variant];
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-card-'));
  try {
    // The reader: one token only, so the app sees one card, as with one CAC in one reader.
    const reader = join(fixture.dir, 'reader');
    mkdirSync(join(reader, 'tokens'), { recursive: true, mode: 0o700 });
    const others = (options.alsoInReader ?? []).map((v) => fixture.users[v]);
    for (const inserted of [card, ...others]) {
      const token = tokenFolder(join(fixture.dir, 'tokens'), inserted.tokenLabel);
      cpSync(token, join(reader, 'tokens', token.split('/').pop()!), { recursive: true });
    }
    const readerConf = join(reader, 'softhsm2.conf');
    writeFileSync(
      readerConf,
      `directories.tokendir = ${join(reader, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
      { mode: 0o600 },
    );

    const cleanup = () => {
      rmSync(dataDir, { recursive: true, force: true });
      fixture.cleanup();
    };
    if (options.store === false)
      return { dataDir, fixture, card, readerConf, role, recoverySecret: null, others, cleanup };

    // The store, its trust material (an admin import) and the card enrolled from a recovery-secret session.
    const { recoverySecret } = await createEnrolledStore({
      dataDir,
      fixture,
      modulePath: fixture.modulePath,
      role,
      ...(options.setupComplete === undefined ? {} : { setupComplete: options.setupComplete }),
      serialOf: () => card.serialNumber,
    });
    return { dataDir, fixture, card, readerConf, role, recoverySecret, others, cleanup };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    fixture.cleanup();
    throw error;
  }
}
