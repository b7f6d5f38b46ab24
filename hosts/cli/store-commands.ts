import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AUDIT_EXPORT_PAGE } from '../../common/ipc/contract';
import { defaultDataDir } from '../app-paths';
import { CliRefusal, type CliServices } from './cli-services';
import { storeActions, type StoreIo } from './store-session';
import { addSignInOptions, readRecoverySecret, signIn, type SignInOptions } from './cli-sign-in';

type Io = StoreIo;

/**
 * `enclave db …` and `enclave audit …`: the administrator's operations on the encrypted store,
 * made through the services like every other caller's (docs/cli.md): signed in with the recovery
 * secret or a card, refused without the store.manage or audit.read permission, and audited.
 */
export function addStoreCommands(program: Command, io: () => Io): void {
  const { withServices, signedIn: signedInWithPin } = storeActions(io);
  const signedIn = <A extends unknown[]>(use: (o: Io, services: CliServices, ...args: A) => Promise<void>) =>
    signedInWithPin((o: Io, services: CliServices, _pin: string | null, ...args: A) => use(o, services, ...args));

  const db = program
    .command('db')
    .description('the encrypted store: init, status, backup, restore, verify, rotate-key');

  db.command('init')
    .description("create the encrypted store (first-run setup's first step) and print its recovery secret, once")
    .option('--site-name <name>', "the site's name (default: the site configuration's)")
    .option('--system-high <marking>', "the site's system high (default: the site configuration's)")
    .action(
      withServices(async (o, services, options: { siteName?: string; systemHigh?: string }) => {
        const { site } = await services.call('system', 'info', {});
        const begun = await services.call('setup', 'begin', {
          siteName: options.siteName ?? site.name,
          systemHigh: options.systemHigh ?? site.systemHigh,
        });
        await services.call('setup', 'confirm', { recoverySecret: begun.recoverySecret });
        const path = resolve(o.dataDir ?? defaultDataDir(), 'enclave.db');
        if (o.json)
          o.out(JSON.stringify({ ok: true, path, systemHigh: begun.systemHigh, recoverySecret: begun.recoverySecret }));
        else
          o.out(
            `Created ${path} (system high ${begun.systemHigh})\n\nRecovery secret (shown once; write it down and keep it with the site's safeguarded records):\n\n    ${begun.recoverySecret}\n`,
          );
      }),
    );

  addSignInOptions(db.command('status').description('show the database, its schema, key slots and row counts')).action(
    signedIn(async (o, services) => {
      const status = await services.call('vault', 'status', {});
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

  addSignInOptions(
    db
      .command('backup <destination>')
      .description('write an encrypted, verified backup (and its .keys file)')
      .option('--own-secret', 'give the backup its own new recovery secret (printed once)'),
  ).action(
    signedIn(async (o, services, destination: string, options: { ownSecret?: boolean }) => {
      const result = await services.call('vault', 'backup', {
        destination: resolve(destination),
        ownSecret: Boolean(options.ownSecret),
      });
      if (o.json) return o.out(JSON.stringify({ ok: true, ...result }));
      o.out(
        `Backup written and verified: ${result.path} (${result.bytes} bytes)${result.recoverySecret ? `\nIts recovery secret (shown once): ${result.recoverySecret}` : ''}`,
      );
    }),
  );

  addSignInOptions(
    db
      .command('restore <backup>')
      .description(
        "replace the store with a backup after checking it (its .keys file beside it; the backup's own secret unlocks it)",
      )
      .option(
        '--backup-secret-file <file>',
        "the backup's recovery secret, when it has its own (else the sign-in secret)",
      ),
  ).action(
    withServices(async (o, services, backup: string, options: SignInOptions & { backupSecretFile?: string }) => {
      const backupSecret = await readRecoverySecret({
        recoverySecretFile: options.backupSecretFile ?? options.recoverySecretFile,
      });
      const handle = await services.handFile(backup);
      const { setUp } = await services.call('identity', 'status', {});
      // A workstation with no store yet restores as its first run; otherwise an administrator replaces the store.
      const result = setUp
        ? (await signIn(services, options),
          await services.call('vault', 'restore', { backup: handle, recoverySecret: backupSecret }))
        : await services.call('setup', 'restore', { backup: handle, recoverySecret: backupSecret });
      o.out(o.json ? JSON.stringify({ ok: true, path: result.path }) : `Restored ${backup} to ${result.path}`);
    }),
  );

  addSignInOptions(
    db.command('verify').description('integrity_check, foreign keys and the audit chain; exit 1 on any problem'),
  ).action(
    signedIn(async (o, services) => {
      const result = await services.call('vault', 'verify', {});
      if (o.json) o.out(JSON.stringify(result));
      else {
        o.out(`integrity: ${result.integrity}\nforeign keys: ${result.foreignKeyViolations} violations`);
        o.out(result.audit.ok ? `audit log: ${result.audit.message}` : `audit log: TAMPERED: ${result.audit.message}`);
      }
      o.setExit(result.ok ? 0 : 1);
    }),
  );

  addSignInOptions(
    db.command('rotate-key').description('re-encrypt the database under a new data key and rewrap every key slot'),
  ).action(
    signedIn(async (o, services, options: SignInOptions) => {
      const recoverySecret = await readRecoverySecret(options);
      await services.call('vault', 'rotateKey', { recoverySecret });
      o.out(o.json ? JSON.stringify({ ok: true }) : 'The data key was rotated; every key slot was rewrapped.');
    }),
  );

  const audit = program.command('audit').description('the tamper-evident audit log: verify, export');
  addSignInOptions(
    audit
      .command('verify')
      .description('check the hash chain and authentication of every entry; exit 1 and name the first bad entry'),
  ).action(
    signedIn(async (o, services) => {
      const result = await services.call('audit', 'verify', {});
      if (o.json) o.out(JSON.stringify(result));
      else o.out(result.ok ? `${result.entries} entries; chain intact.` : `TAMPERED: ${result.message}`);
      o.setExit(result.ok ? 0 : 1);
    }),
  );

  addSignInOptions(
    audit
      .command('export')
      .description('export the log as JSON lines or CEF in syslog lines, for a SIEM')
      .requiredOption('--format <format>', 'jsonl or cef')
      .option('--output <file>', 'write to a new file (mode 0600) instead of standard output'),
  ).action(
    signedIn(async (o, services, options: { format: string; output?: string }) => {
      const format = options.format;
      if (format !== 'jsonl' && format !== 'cef')
        throw new CliRefusal({ code: 'INVALID_ARGUMENT', message: '--format must be jsonl or cef' });
      if (options.output && existsSync(options.output))
        throw new CliRefusal({
          code: 'FAILED_PRECONDITION',
          message: `${options.output} already exists; refusing to overwrite it.`,
        });
      // Written beside the destination and renamed when complete: a failed export leaves no half file.
      const partial = options.output ? `${options.output}.partial` : null;
      const fd = partial ? openSync(partial, 'wx', 0o600) : null;
      try {
        let after: { seq: number; hash: string } | undefined;
        for (;;) {
          const page = await services.call('audit', 'export', {
            format,
            limit: AUDIT_EXPORT_PAGE,
            ...(after ? { after } : {}),
          });
          if (fd === null) for (const line of page.lines) o.out(line);
          else if (page.lines.length) writeSync(fd, `${page.lines.join('\n')}\n`);
          if (page.done || !page.last) break;
          after = page.last;
        }
      } catch (error) {
        if (fd !== null) {
          closeSync(fd);
          rmSync(partial as string, { force: true });
        }
        throw error;
      }
      if (fd !== null) {
        closeSync(fd);
        renameSync(partial as string, options.output as string);
      }
    }),
  );
}
