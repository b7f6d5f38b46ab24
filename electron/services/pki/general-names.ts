import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { isEmptyName } from './distinguished-name';
import { OID } from './oids';
import { extension, formatName } from './x509';

/**
 * GeneralName (RFC 5280 4.2.1.6) as the name-constraint code needs it: the forms it processes
 * typed, the rest kept by tag so that a constraint on them can fail closed.
 */
export type GeneralNameValue =
  | { form: 'directoryName'; name: pkijs.RelativeDistinguishedNames }
  | { form: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; text: string }
  | { form: 'iPAddress'; bytes: Uint8Array }
  | { form: 'other'; tag: number };

export type NameForm = GeneralNameValue['form'];

/** GeneralName CHOICE tags (4.2.1.6). */
const FORMS: Record<number, NameForm> = {
  1: 'rfc822Name',
  2: 'dNSName',
  4: 'directoryName',
  6: 'uniformResourceIdentifier',
  7: 'iPAddress',
};

export class MalformedNameError extends Error {}

export function generalName(name: pkijs.GeneralName): GeneralNameValue {
  const form = FORMS[name.type];
  switch (form) {
    case 'directoryName':
      if (!(name.value instanceof pkijs.RelativeDistinguishedNames)) throw new MalformedNameError('a directoryName');
      return { form, name: name.value };
    case 'rfc822Name':
    case 'dNSName':
    case 'uniformResourceIdentifier':
      if (typeof name.value !== 'string') throw new MalformedNameError(`an ${form}`);
      return { form, text: name.value };
    case 'iPAddress': {
      const bytes = (name.value as asn1js.OctetString | undefined)?.valueBlock?.valueHexView;
      if (!bytes) throw new MalformedNameError('an iPAddress');
      return { form, bytes: new Uint8Array(bytes) };
    }
    default:
      return { form: 'other', tag: name.type };
  }
}

/** The name as people read it, for refusals: "rfc822Name alice@example.com". */
export function describeName(name: GeneralNameValue): string {
  switch (name.form) {
    case 'directoryName':
      return `directoryName ${formatName(name.name) || '(empty)'}`;
    case 'iPAddress':
      return `iPAddress ${ipText(name.bytes)}`;
    case 'other':
      return `a name of GeneralName form [${name.tag}]`;
    default:
      return `${name.form} ${name.text}`;
  }
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16)
    return Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(':');
  return Buffer.from(bytes).toString('hex');
}

/**
 * Every name a certificate's subject goes by: the subject DN (unless empty), every subjectAltName
 * entry, and, when there is no subjectAltName, the emailAddress attributes of the subject DN as
 * rfc822Names (4.2.1.10).
 */
export function subjectNames(certificate: pkijs.Certificate): GeneralNameValue[] {
  const names: GeneralNameValue[] = [];
  if (!isEmptyName(certificate.subject)) names.push({ form: 'directoryName', name: certificate.subject });
  const san = extension(certificate, OID.subjectAltName);
  if (san) {
    const value = san.parsedValue as pkijs.AltName | undefined;
    if (!value?.altNames) throw new MalformedNameError('the subjectAltName extension');
    names.push(...value.altNames.map(generalName));
  } else {
    for (const tv of certificate.subject.typesAndValues)
      if (tv.type === OID.emailAddress) {
        const text = (tv.value.valueBlock as { value?: unknown }).value;
        if (typeof text !== 'string') throw new MalformedNameError('an emailAddress attribute');
        names.push({ form: 'rfc822Name', text });
      }
  }
  return names;
}
