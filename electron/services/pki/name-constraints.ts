import type * as pkijs from 'pkijs';
import { nameWithinSubtree } from './distinguished-name';
import { describeName, generalName, MalformedNameError, subjectNames, type GeneralNameValue } from './general-names';
import { OID } from './oids';
import { extension } from './x509';

/**
 * RFC 5280 name constraints (4.2.1.10; 6.1.3 (b)-(c), 6.1.4 (g)) for directoryName, rfc822Name,
 * dNSName, URI and iPAddress. Permitted subtrees are intersected: each CA certificate's permitted
 * subtrees of one form are kept as one set, and a name must fall in some subtree of every set.
 * Excluded subtrees are unioned. A constraint on a form not processed here (otherName, x400Address,
 * ediPartyName, registeredID) refuses any name of that form: fail closed.
 */
export interface NameConstraintViolation {
  /** As people read it: "rfc822Name alice@example.com", "directoryName CN=…, O=…". */
  name: string;
  reason: 'not-permitted' | 'excluded';
}

/** More names or subtrees than this in one certificate are refused rather than compared pairwise. */
export const MAX_NAMES = 1024;

type Key = string; // the form, or "other:<tag>"

const keyOf = (name: GeneralNameValue): Key => (name.form === 'other' ? `other:${name.tag}` : name.form);

const lower = (s: string) => s.toLowerCase();

/** dNSName: the constraint plus zero or more labels on the left ("example.com" ⊇ "a.example.com"). */
function dnsWithin(name: string, constraint: string): boolean {
  const n = lower(name).replace(/\.$/, '');
  const c = lower(constraint).replace(/\.$/, '');
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

/** A host against an rfc822Name or URI host constraint: ".example.com" is any host inside it; otherwise that host. */
function hostWithin(host: string, constraint: string): boolean {
  const h = lower(host);
  const c = lower(constraint);
  return c.startsWith('.') ? h.endsWith(c) : h === c;
}

function mailboxWithin(mailbox: string, constraint: string): boolean {
  const at = mailbox.lastIndexOf('@');
  if (at < 0) return false;
  if (constraint.includes('@')) {
    const cAt = constraint.lastIndexOf('@');
    // The local part is case-sensitive, the host is not.
    return (
      mailbox.slice(0, at) === constraint.slice(0, cAt) &&
      lower(mailbox.slice(at + 1)) === lower(constraint.slice(cAt + 1))
    );
  }
  return hostWithin(mailbox.slice(at + 1), constraint);
}

/** The host of a URI with an authority ("scheme://[user@]host[:port]/…"), or null (a URN has none). */
function uriHost(uri: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  return match?.[1] ? match[1] : null;
}

function ipWithin(address: Uint8Array, constraint: Uint8Array): boolean {
  if (constraint.length !== address.length * 2) return false; // v4 never matches a v6 constraint, or the reverse
  for (let i = 0; i < address.length; i++) {
    const mask = constraint[address.length + i]!;
    if ((address[i]! & mask) !== (constraint[i]! & mask)) return false;
  }
  return true;
}

/** Whether `name` is within the subtree `base` (both of the same form). */
function within(name: GeneralNameValue, base: GeneralNameValue): boolean {
  if (name.form === 'directoryName' && base.form === 'directoryName') return nameWithinSubtree(name.name, base.name);
  if (name.form === 'iPAddress' && base.form === 'iPAddress') return ipWithin(name.bytes, base.bytes);
  if (name.form === 'other' || base.form === 'other') return false;
  if (name.form !== base.form || !('text' in name) || !('text' in base)) return false;
  switch (name.form) {
    case 'dNSName':
      return dnsWithin(name.text, base.text);
    case 'rfc822Name':
      return mailboxWithin(name.text, base.text);
    case 'uniformResourceIdentifier': {
      const host = uriHost(name.text);
      return host !== null && hostWithin(host, base.text);
    }
  }
  return false;
}

export class NameConstraints {
  /** Per form: one set of subtrees per CA certificate that permitted that form. */
  readonly #permitted = new Map<Key, GeneralNameValue[][]>();
  readonly #excluded = new Map<Key, GeneralNameValue[]>();
  /** A CA's nameConstraints that could not be read: every later name is refused. */
  #broken: string | null = null;

  violation(certificate: pkijs.Certificate): NameConstraintViolation | null {
    if (this.#broken) return { name: this.#broken, reason: 'not-permitted' };
    if (this.#permitted.size === 0 && this.#excluded.size === 0) return null;
    let names: GeneralNameValue[];
    try {
      names = subjectNames(certificate);
    } catch (error) {
      if (!(error instanceof MalformedNameError)) throw error;
      return { name: `${error.message} that cannot be read`, reason: 'not-permitted' };
    }
    if (names.length > MAX_NAMES) return { name: `more than ${MAX_NAMES} names`, reason: 'not-permitted' };
    for (const name of names) {
      const key = keyOf(name);
      if ((this.#excluded.get(key) ?? []).some((base) => within(name, base) || name.form === 'other'))
        return { name: describeName(name), reason: 'excluded' };
      const sets = this.#permitted.get(key) ?? [];
      if (sets.some((set) => !set.some((base) => within(name, base))))
        return { name: describeName(name), reason: 'not-permitted' };
    }
    return null;
  }

  add(certificate: pkijs.Certificate): void {
    const ext = extension(certificate, OID.nameConstraints);
    if (!ext) return;
    const value = ext.parsedValue as pkijs.NameConstraints | undefined;
    try {
      if (!value) throw new MalformedNameError('its nameConstraints extension');
      const permitted = (value.permittedSubtrees ?? []).map((s) => generalName(s.base));
      const excluded = (value.excludedSubtrees ?? []).map((s) => generalName(s.base));
      if (permitted.length + excluded.length > MAX_NAMES)
        throw new MalformedNameError(`more than ${MAX_NAMES} name-constraint subtrees`);
      const byKey = new Map<Key, GeneralNameValue[]>();
      for (const base of permitted) byKey.set(keyOf(base), [...(byKey.get(keyOf(base)) ?? []), base]);
      for (const [key, set] of byKey) this.#permitted.set(key, [...(this.#permitted.get(key) ?? []), set]);
      for (const base of excluded) this.#excluded.set(keyOf(base), [...(this.#excluded.get(keyOf(base)) ?? []), base]);
    } catch (error) {
      if (!(error instanceof MalformedNameError)) throw error;
      this.#broken = `any name, since a CA's name constraints (${error.message}) cannot be read`;
    }
  }
}
