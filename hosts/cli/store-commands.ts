import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { toCefSyslogLine, toJsonLine } from '../../electron/services/audit/audit-export';
import { generateRecoverySecret } from '../../electron/services/vault/recovery-secret';
import { StoreError } from '../../electron/db/store-error';
import { StoreFile } from '../../electron/services/vault/store-file';
import { defaultDataDir } from '../app-paths';

interface Io {
  json: boolean;
  dataDir: string | undefined;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

const actor = () => `cli:${userInfo().username}`;
export const databasePath = (dataDir: string | undefined) => join(dataDir ?? defaultDataDir(), 'enclave.db');

/** The recovery secret, never from the command line (it would land in shell history and ps). */
function readSecret(options: { recoverySecretFile?: string }): string {
  if (options.recoverySecretFile) return readFileSync(options.recoverySecretFile, 'utf8').trim();
  if (process.env.ENCLAVE_RECOVERY_SECRET) return process.env.ENCLAVE_RECOVERY_SECRET;
  if (!process.stdin.isTTY) return readFileSync(0, 'utf8').trim();
  throw new StoreError(
    'WRONG_SECRET',
    'Give the recovery secret with --recovery-secret-file, ENCLAVE_RECOVERY_SECRET, or on standard input.',
  );
}

/** `enclave db …` and `enclave audit …`: admin operations on the encrypted store. */
export function addStoreCommands(program: Command, io: () => Io): void {
  const guarded =
    <A extends unknown[]>(action: (o: Io, ...args: A) => void) =>
    (...args: A) => {
      const o = io();
      try {
        action(o, ...args);
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        if (o.json) o.out(JSON.stringify({ ok: false, code: error.code, message: error.message }));
        o.err(`enclave: ${error.message}`);
        o.setExit(1);
      }
    };
  const secretOption = [
    '--recovery-secret-file <file>',
    'read the recovery secret from this file (else ENCLAVE_RECOVERY_SECRET, else standard input)',
  ] as const;
  /** Opens the store with the recovery secret, runs `use`, and always closes it (which zeroes the key). */
  const withStore = <T>(o: Io, recoverySecret: string, use: (store: StoreFile) => T): T => {
    const store = StoreFile.open(databasePath(o.dataDir), { recoverySecret });
    try {
      return use(store);
    } finally {
      store.close();
    }
  };

  const db = program
    .command('db')
    .description('the encrypted store: init, status, backup, restore, verify, rotate-key');

  db.command('init')
    .description('create the encrypted database and print its recovery secret, once')
    .action(
      guarded((o: Io) => {
        const path = databasePath(o.dataDir);
        const { store, recoverySecret } = StoreFile.create(path, { actor: actor() });
        store.close();
        if (o.json) o.out(JSON.stringify({ ok: true, path, recoverySecret }));
        else
          o.out(
            `Created ${path}\n\nRecovery secret (shown once; write it down and keep it with the site's safeguarded records):\n\n    ${recoverySecret}\n`,
          );
      }),
    );

  db.command('status')
    .description('show the database, its schema, key slots and row counts')
    .option(...secretOption)
    .action(
      guarded((o: Io, options: { recoverySecretFile?: string }) => {
        const status = withStore(o, readSecret(options), (store) => store.status());
        if (o.json) return o.out(JSON.stringify({ ok: true, ...status }));
        o.out(
          `${status.path}\n  ${status.bytes} bytes, schema ${status.schema}, ${status.cipher}, journal ${status.journalMode}`,
        );
        o.out(`  key slots: ${status.slots.map((s) => `${s.id} (${s.type})`).join(', ')}`);
        o.out(
          `  rows: ${Object.entries(status.rows)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}`,
        );
      }),
    );

  db.command('backup <destination>')
    .description('write an encrypted, verified backup (and its .keys file)')
    .option(...secretOption)
    .option('--own-secret', 'give the backup its own new recovery secret (printed once)')
    .action(
      guarded((o: Io, destination: string, options: { recoverySecretFile?: string; ownSecret?: boolean }) => {
        const ownSecret = options.ownSecret ? generateRecoverySecret() : undefined;
        const result = withStore(o, readSecret(options), (store) =>
          store.backup(resolve(destination), actor(), ownSecret ? { recoverySecret: ownSecret } : {}),
        );
        if (o.json) o.out(JSON.stringify({ ok: true, ...result, ...(ownSecret ? { recoverySecret: ownSecret } : {}) }));
        else
          o.out(
            `Backup written and verified: ${result.path} (${result.bytes} bytes)${ownSecret ? `\nIts recovery secret (shown once): ${ownSecret}` : ''}`,
          );
      }),
    );

  db.command('restore <backup>')
    .description("replace the database with a backup, after checking it (the backup's secret unlocks it)")
    .option(...secretOption)
    .action(
      guarded((o: Io, backup: string, options: { recoverySecretFile?: string }) => {
        const path = databasePath(o.dataDir);
        StoreFile.restore(resolve(backup), path, { recoverySecret: readSecret(options) });
        o.out(o.json ? JSON.stringify({ ok: true, path }) : `Restored ${backup} to ${path}`);
      }),
    );

  db.command('verify')
    .description('integrity_check, foreign keys and the audit chain; exit 1 on any problem')
    .option(...secretOption)
    .action(
      guarded((o: Io, options: { recoverySecretFile?: string }) => {
        const result = withStore(o, readSecret(options), (store) => store.verify());
        const ok = result.integrity === 'ok' && result.foreignKeyViolations === 0 && result.audit.ok;
        if (o.json) o.out(JSON.stringify({ ok, ...result }));
        else {
          o.out(`integrity: ${result.integrity}\nforeign keys: ${result.foreignKeyViolations} violations`);
          o.out(
            result.audit.ok
              ? `audit log: ${result.audit.entries} entries, chain intact`
              : `audit log: TAMPERED: ${result.audit.message}`,
          );
        }
        o.setExit(ok ? 0 : 1);
      }),
    );

  db.command('rotate-key')
    .description('re-encrypt the database under a new data key and rewrap every key slot')
    .option(...secretOption)
    .action(
      guarded((o: Io, options: { recoverySecretFile?: string }) => {
        const secret = readSecret(options);
        withStore(o, secret, (store) => store.rotateKey(secret, actor()));
        o.out(o.json ? JSON.stringify({ ok: true }) : 'The data key was rotated; every key slot was rewrapped.');
      }),
    );

  const audit = program.command('audit').description('the tamper-evident audit log: verify, export');
  audit
    .command('verify')
    .description('check the hash chain and authentication of every entry; exit 1 and name the first bad entry')
    .option(...secretOption)
    .action(
      guarded((o: Io, options: { recoverySecretFile?: string }) => {
        const result = withStore(o, readSecret(options), (store) => store.audit.verify());
        if (o.json) o.out(JSON.stringify(result));
        else o.out(result.ok ? `${result.entries} entries; chain intact.` : `TAMPERED: ${result.message}`);
        o.setExit(result.ok ? 0 : 1);
      }),
    );

  audit
    .command('export')
    .description('export the log as JSON lines or CEF in syslog lines, for a SIEM')
    .requiredOption('--format <format>', 'jsonl or cef')
    .option('--output <file>', 'write to a file instead of standard output')
    .option(...secretOption)
    .action(
      guarded((o: Io, options: { format: string; output?: string; recoverySecretFile?: string }) => {
        if (options.format !== 'jsonl' && options.format !== 'cef') {
          o.err(`enclave: --format must be jsonl or cef`);
          return o.setExit(2);
        }
        if (options.output && existsSync(options.output))
          throw new StoreError('ALREADY_EXISTS', `${options.output} already exists; refusing to overwrite it.`);
        const lines = withStore(o, readSecret(options), (store) =>
          [...store.audit.entries()].map((entry) =>
            options.format === 'jsonl' ? toJsonLine(entry) : toCefSyslogLine(entry),
          ),
        );
        if (options.output)
          writeFileSync(options.output, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600, flag: 'wx' });
        else for (const line of lines) o.out(line);
      }),
    );
}
