import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readPemCertificates, releaseKeyCsr, signReleaseKit } from '../../electron/services/release';
import { RepositoryError } from '../../electron/services/updates/repository/errors';
import { writeFileAtomic } from '../../electron/services/updates/repository/files';
import { openTokenSigner } from '../../electron/services/updates/token-signer';
import { readCardPin } from './cli-sign-in';
import { officerAction, tokenKeyLocation, tokenOptions, type Io, type TokenArgs } from './token-commands';

async function tokenPin(pinFile: string | undefined): Promise<string> {
  const pin = await readCardPin(pinFile, 'Token PIN: ');
  if (!pin) throw new RepositoryError('usage', "Give the token's PIN with --pin-file, ENCLAVE_PIN, or at the prompt.");
  return pin;
}

/**
 * `enclave release …`: the release engineer's side of the signed offline kit (docs/release.md). The
 * release key lives on a PKCS#11 token and never leaves it; the PIN is read as at sign-in, never from
 * the command line. Exit 0 done, 1 refused (the reason is printed), 2 bad arguments.
 */
export function addReleaseCommands(program: Command, io: () => Io): Command {
  const release = program
    .command('release')
    .description('release engineers: the release key on a token, its certificate request, signing the kit');
  const run = officerAction(io);

  tokenOptions(release.command('key'), 'the release key')
    .description(
      'generate the P-384 release key on the token and write a certificate request (PKCS#10) for the release CA',
    )
    .requiredOption('--subject <dn>', 'the subject to request, e.g. "CN=Enclave release 2026, O=Example"')
    .requiredOption('--csr-out <file>', 'where to write the certificate request (PEM); refused if it exists')
    .action(
      run(async (o, args: TokenArgs & { subject: string; csrOut: string }) => {
        const where = tokenKeyLocation(args);
        if (existsSync(args.csrOut)) throw new RepositoryError('refused', `${args.csrOut} already exists.`);
        const signer = openTokenSigner(where, await tokenPin(args.pinFile), { generate: true });
        let csr: string;
        try {
          csr = releaseKeyCsr(signer, args.subject);
        } finally {
          signer.close();
        }
        writeFileAtomic(args.csrOut, csr);
        if (o.json) o.out(JSON.stringify({ ok: true, csr: args.csrOut, key: signer.key }));
        else {
          o.out(
            `Generated ECDSA P-384 key "${where.keyLabel}" on token "${where.tokenLabel}" (sensitive, not extractable).`,
          );
          o.out(`Wrote the certificate request ${args.csrOut}; the release CA issues the certificate (codeSigning).`);
        }
      }),
    );

  tokenOptions(release.command('sign'), 'the release key')
    .description('sign the kit: SHA256SUMS.cms, a detached CMS signature over SHA256SUMS by the release key')
    .requiredOption('--kit <dir>', 'the release kit folder holding SHA256SUMS')
    .requiredOption('--certificate <file>', "the release key's certificate (PEM), issued by the release CA")
    .option('--chain <file>', 'intermediate CA certificates (PEM) to carry in the signature')
    .action(
      run(async (o, args: TokenArgs & { kit: string; certificate: string; chain?: string }) => {
        const where = tokenKeyLocation(args);
        const certificates = readPemCertificates(args.certificate, 'The certificate file');
        if (certificates.length !== 1)
          throw new RepositoryError(
            'usage',
            `The certificate file ${args.certificate} must hold one certificate; put intermediates in --chain.`,
          );
        const chain = args.chain ? readPemCertificates(args.chain, 'The chain file') : [];
        const signer = openTokenSigner(where, await tokenPin(args.pinFile));
        let signed;
        try {
          signed = signReleaseKit(args.kit, signer, certificates[0]!, chain, new Date());
        } finally {
          signer.close();
        }
        if (o.json) o.out(JSON.stringify({ ok: true, ...signed }));
        else {
          o.out(`Signed SHA256SUMS (${signed.listedFiles} files listed) as ${signed.signer}.`);
          o.out(`Wrote ${signed.signature} (verified). Receiving sites run: sh verify-release.sh --ca release-ca.pem`);
        }
      }),
    );
  return release;
}
