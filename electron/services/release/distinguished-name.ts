import * as asn1js from 'asn1js';
import { RepositoryError } from '../updates/repository/errors';

/** The attribute names a release engineer's subject may use, with their OIDs. */
const ATTRIBUTES: Record<string, string> = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
};

const usage = (message: string) => new RepositoryError('usage', message);

/**
 * "CN=Enclave Release 2026, O=Example, C=GB" as a DER Name, each attribute its own RDN in the order
 * given. No escapes: a value holding a comma, plus, quote or backslash is refused rather than guessed at.
 */
export function distinguishedName(subject: string): asn1js.Sequence {
  if (subject.length === 0 || subject.length > 512) throw usage('--subject is 1 to 512 characters, e.g. "CN=…".');
  const names: string[] = [];
  const rdns = subject.split(',').map((part) => {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim();
    const oid = ATTRIBUTES[name];
    if (eq < 1 || !oid)
      throw usage(`--subject: "${part.trim()}" is not NAME=value with NAME one of ${Object.keys(ATTRIBUTES).join(', ')}.`);
    if (value.length === 0 || value.length > 64 || /[+"\\<>;=\p{Cc}]/u.test(value))
      throw usage(`--subject: the ${name} value is 1 to 64 characters without + " \\ < > ; = or control characters.`);
    names.push(name);
    if (name === 'C' && !/^[A-Z]{2}$/.test(value)) throw usage('--subject: C is a two-letter country code.');
    const text =
      name === 'C' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    return new asn1js.Set({
      value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), text] })],
    });
  });
  if (!names.includes('CN')) throw usage('--subject needs a CN, e.g. "CN=Enclave release 2026".');
  return new asn1js.Sequence({ value: rdns });
}
