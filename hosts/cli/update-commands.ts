import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { addTarget } from '../../electron/services/updates/repository/add-target';
import { buildBundle } from '../../electron/services/updates/repository/build-bundle';
import { RepositoryError } from '../../electron/services/updates/repository/errors';
import { writeFileAtomic } from '../../electron/services/updates/repository/files';
import { initRepository } from '../../electron/services/updates/repository/init-repository';
import { renewRoles } from '../../electron/services/updates/repository/renew';
import { repositoryStatus, signRepository } from '../../electron/services/updates/repository/sign-repository';
import { openTokenSigner } from '../../electron/services/updates/token-signer';
import { computeKeyId } from '../../electron/services/updates/tuf/keys';
import { readCardPin } from './cli-sign-in';
import { officerAction, tokenKeyLocation, tokenOptions, type Io, type TokenArgs } from './token-commands';
import { initOptions, type InitRepoArgs } from './update-arguments';
import { signedText, statusText } from './update-output';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `enclave update …`: the update officers' side of TUF (docs/updates.md). Role keys live on PKCS#11
 * tokens and never leave them; the PIN is read as at sign-in, never from the command line. No data
 * directory and no sign-in: the repository directory and the tokens are all these commands use.
 * Exit 0 done, 1 refused (the reason is printed), 2 bad arguments.
 */
export function addUpdateCommands(program: Command, io: () => Io): Command {
  const update = program
    .command('update')
    .description('update officers: role keys on tokens, the signed update repository, the media');
  const run = officerAction(io);

  tokenOptions(update.command('key'), 'the role key')
    .description("print a role key's TUF public key and keyid (with --generate, make the P-384 key on the token first)")
    .option('--generate', 'generate the key on the token (sensitive, not extractable); refused if the label is taken')
    .option('--out <file>', 'also write the public key JSON to this file (for init-repo)')
    .action(
      run(async (o, args: TokenArgs & { generate?: boolean; out?: string }) => {
        const where = tokenKeyLocation(args);
        if (args.out && existsSync(args.out)) throw new RepositoryError('refused', `${args.out} already exists.`);
        const signer = openTokenSigner(where, await readCardPin(args.pinFile, 'Token PIN: '), {
          generate: args.generate === true,
        });
        signer.close();
        const keyid = computeKeyId(signer.key);
        const keyJson = JSON.stringify(signer.key, null, 2);
        if (args.out) writeFileAtomic(args.out, `${keyJson}\n`);
        if (o.json) o.out(JSON.stringify({ ok: true, keyid, key: signer.key, generated: args.generate === true }));
        else {
          if (args.generate) o.out(`Generated ECDSA P-384 key "${where.keyLabel}" on token "${where.tokenLabel}".`);
          o.out(`keyid ${keyid}`);
          o.out(keyJson);
          if (args.out) o.out(`Wrote ${args.out}.`);
        }
      }),
    );

  update
    .command('init-repo <dir>')
    .description('create an update repository: every role at version 1, staged unsigned')
    .option('--root-key <files...>', 'public key files of the root role')
    .option('--root-threshold <n>', 'signatures root needs (default 1)')
    .option('--targets-key <files...>', 'public key files of the targets role')
    .option('--targets-threshold <n>', 'signatures targets needs (default 1)')
    .option('--snapshot-key <files...>', 'public key files of the snapshot role')
    .option('--snapshot-threshold <n>', 'signatures snapshot needs (default 1)')
    .option('--timestamp-key <files...>', 'public key files of the timestamp role')
    .option('--timestamp-threshold <n>', 'signatures timestamp needs (default 1)')
    .option(
      '--role-key <role=file>',
      'a key of a delegated role (releases, trust, site, users, models); repeat',
      collect,
    )
    .option('--role-threshold <role=n>', 'signatures a delegated role needs (default 1); repeat', collect)
    .option('--expires <days>', 'days until root expires (default 365d)')
    .option('--role-expires <role=days>', 'expiry period of targets, delegated, snapshot or timestamp; repeat', collect)
    .action(
      run(async (o, dir: string, args: InitRepoArgs) => {
        const repo = initRepository(dir, initOptions(args, new Date()));
        const status = repositoryStatus(dir, new Date());
        if (o.json) o.out(JSON.stringify({ ok: true, dir, roles: status }));
        else {
          o.out(`Created the update repository ${dir} (consistent snapshots; every role staged, unsigned).`);
          for (const line of statusText(status)) o.out(line);
          o.out(`Root expires ${repo.root.signed.expires}. Next: enclave update sign ${dir} by each officer.`);
        }
      }),
    );

  update
    .command('add-target <dir>')
    .description('add a file to a delegated role, restaging that role, snapshot and timestamp unsigned')
    .requiredOption('--role <role>', 'releases, trust, site, users or models')
    .requiredOption('--name <path>', 'the target path, e.g. app/enclave-0.2.0.tar or trust/site-ca.crl')
    .requiredOption('--file <file>', 'the file to add')
    .requiredOption('--type <type>', 'app-release, trust-anchor, crl, site-config, users or model-template')
    .option('--version <version>', 'the payload version recorded with it')
    .action(
      run(
        async (o, dir: string, args: { role: string; name: string; file: string; type: string; version?: string }) => {
          const added = await addTarget(dir, { ...args, now: new Date() });
          if (o.json) o.out(JSON.stringify({ ok: true, ...added }));
          else {
            o.out(`Added ${added.name} (${added.length} bytes, sha256 ${added.sha256}) to ${added.role}.`);
            o.out(
              `Staged unsigned: ${added.role} v${added.roleVersion}, snapshot v${added.snapshotVersion}, timestamp v${added.timestampVersion}.`,
            );
          }
        },
      ),
    );

  update
    .command('renew <dir>')
    .description('restage snapshot and timestamp (and any --role) with new versions and fresh expiry, unsigned')
    .option(
      '--role <role>',
      'also renew this role (root, targets, releases, trust, site, users, models); repeat',
      collect,
    )
    .action(
      run(async (o, dir: string, args: { role?: string[] }) => {
        const renewed = await renewRoles(dir, args.role ?? [], new Date());
        if (o.json) o.out(JSON.stringify({ ok: true, renewed }));
        else for (const r of renewed) o.out(`Staged unsigned: ${r.role} v${r.version}, expires ${r.expires}.`);
      }),
    );

  tokenOptions(update.command('sign <dir>'), 'the role key')
    .description("add this token key's signature to every staged role that lists it")
    .action(
      run(async (o, dir: string, args: TokenArgs) => {
        const where = tokenKeyLocation(args);
        const pin = await readCardPin(args.pinFile, 'Token PIN: ');
        const signer = openTokenSigner(where, pin);
        let signed;
        try {
          signed = await signRepository(dir, signer);
        } finally {
          signer.close();
        }
        const status = repositoryStatus(dir, new Date());
        if (o.json) o.out(JSON.stringify({ ok: true, keyid: computeKeyId(signer.key), signed, roles: status }));
        else for (const line of signedText(signed, status)) o.out(line);
      }),
    );

  update
    .command('status <dir>')
    .description("each role's version, expiry and signatures of its threshold")
    .action(
      run(async (o, dir: string) => {
        const status = repositoryStatus(dir, new Date());
        if (o.json) o.out(JSON.stringify({ ok: true, roles: status }));
        else for (const line of statusText(status)) o.out(line);
      }),
    );

  update
    .command('build-bundle <dir>')
    .description('write the signed repository to media, verified by the TUF client before it is put in place')
    .requiredOption('--out <media-dir>', 'the directory to create (metadata/, targets/ and enclave-update.tar)')
    .option('--force', 'replace the directory if it exists')
    .action(
      run(async (o, dir: string, args: { out: string; force?: boolean }) => {
        const built = await buildBundle(dir, args.out, { force: args.force === true, now: new Date() });
        if (o.json) o.out(JSON.stringify({ ok: true, ...built }));
        else {
          o.out(
            `Wrote ${built.mediaDir}: ${built.metadataFiles.length} metadata files, ${built.targets.length} targets.`,
          );
          for (const name of built.metadataFiles) o.out(`  metadata/${name}`);
          for (const target of built.targets) o.out(`  ${target}`);
          o.out('Verified with the Enclave TUF client from the first root: every target downloads and checks.');
          o.out(`Administrators apply ${built.tar} (Updates page, or enclave update apply).`);
        }
      }),
    );
  return update;
}
