import type { Command } from 'commander';
import { checkPivRules } from '../../electron/services/identity/piv-rules';
import { validateCertificatePath } from '../../electron/services/pki';
import { buildRequest, type PkiValidateOptions } from './pki-arguments';
import { PkiUsageError } from './pki-files';
import { formatJson, formatText, outcomeOf, usageOutcome } from './pki-output';
import { terminalSafe, terminalSafeOutput } from './terminal-safe';

interface Io {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `enclave pki validate`: the RFC 5280 path validator card login uses (electron/services/pki), run
 * on files an admin names, offline and without a store or data directory (docs/cli.md). Exit 0 when
 * the path is valid, 1 when it is not, 2 on a bad argument or file.
 */
export function addPkiCommands(program: Command, io: () => Io): void {
  const pki = program.command('pki').description('check certificates offline with the RFC 5280 path validator');

  pki
    .command('validate')
    .description(
      'validate a certificate path (RFC 5280) from DER or PEM files; exit 0 valid, 1 invalid, 2 bad arguments',
    )
    .option('--cert <file>', 'the certificate to validate (the target)')
    .option('--intermediate <file>', 'certificates that may complete the path (repeatable; untrusted)', collect)
    .option('--anchor <file>', 'a trust anchor (repeatable; at least one)', collect)
    .option('--crl <file>', 'a CRL, complete or delta (repeatable)', collect)
    .option('--at <time>', 'validate at this ISO 8601 time, e.g. 2011-06-01 or 2011-06-01T12:00:00Z (default: now)')
    .option('--initial-policy <oid>', 'the user-initial-policy-set (repeatable; default anyPolicy)', collect)
    .option('--explicit-policy', 'initial-explicit-policy: the path must be valid for a policy')
    .option('--inhibit-policy-mapping', 'initial-policy-mapping-inhibit')
    .option('--inhibit-any-policy', 'initial-any-policy-inhibit')
    .option('--revocation <mode>', 'require (default): a certificate without a usable CRL is refused; warn; off')
    .option('--piv', 'also apply the card-login PIV rules (identifier, key usage, EKU, accepted policies)')
    .option(
      '--piv-policy <oid>',
      'with --piv: an accepted PIV Authentication policy (repeatable; default the site default list)',
      collect,
    )
    .action(async (options: PkiValidateOptions) => {
      const o = terminalSafeOutput(io());
      let request;
      try {
        request = buildRequest(options);
      } catch (error) {
        if (!(error instanceof PkiUsageError)) throw error;
        // --json keeps its one object, in the same shape; the exit code says it was the arguments.
        if (o.json) o.out(formatJson(usageOutcome(error.message)));
        o.err(`enclave: ${terminalSafe(error.message)}`);
        return o.setExit(2);
      }
      const result = await validateCertificatePath(request.input);
      const piv =
        result.ok && request.pivPolicies ? checkPivRules(request.input.target, result, request.pivPolicies) : null;
      const outcome = outcomeOf(result, piv);
      o.out(o.json ? formatJson(outcome) : formatText(outcome));
      o.setExit(outcome.valid ? 0 : 1);
    });
}
