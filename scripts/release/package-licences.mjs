// A package's licence as CycloneDX `licenses`, from its package.json: an SPDX id, an SPDX expression,
// or a free-text name; the legacy `licenses` array and `license: { type }` object forms too.
import { readFileSync } from 'node:fs';
// The SPDX licence list the CycloneDX tooling itself checks ids against (offline, a dev dependency).
import { fixupSpdxId } from '@cyclonedx/cyclonedx-library/SPDX';
const conclusions = JSON.parse(readFileSync(new URL('./licence-conclusions.json', import.meta.url), 'utf8')).conclusions;

const MAX_LICENCE_TEXT = 512;

function licenceEntry(value, acknowledgement) {
  const text = String(value).trim();
  if (text === '' || text.length > MAX_LICENCE_TEXT) return null;
  const id = fixupSpdxId(text);
  if (id) return { license: { id, acknowledgement } };
  if (/\s(OR|AND|WITH)\s/.test(text)) return { expression: text, acknowledgement };
  return { license: { name: text, acknowledgement } };
}

/** CycloneDX licences declared by this package.json, or null when it declares none. */
export function declaredLicences(packageJson) {
  const declared = [];
  const { license, licenses } = packageJson;
  if (typeof license === 'string') declared.push(license);
  else if (license && typeof license === 'object' && typeof license.type === 'string') declared.push(license.type);
  if (Array.isArray(licenses))
    for (const item of licenses.slice(0, 16))
      declared.push(typeof item === 'string' ? item : typeof item?.type === 'string' ? item.type : '');
  const entries = declared.map((value) => licenceEntry(value, 'declared')).filter((entry) => entry !== null);
  if (entries.length === 0) return null;
  // CycloneDX allows one expression, or any number of licences, not a mix.
  const expression = entries.find((entry) => 'expression' in entry);
  return expression ? [expression] : entries;
}

/** A licence concluded by review (licence-conclusions.json) for name@version, with its evidence, or null. */
export function concludedLicence(name, version) {
  const found = Object.hasOwn(conclusions, `${name}@${version}`) ? conclusions[`${name}@${version}`] : null;
  if (!found) return null;
  return { licenses: [licenceEntry(found.license, 'concluded')], evidence: found.evidence };
}

/** The licence as one line of text: SPDX ids and expressions as they are, names as written. */
export function licenceLabel(licenses) {
  return (licenses ?? [])
    .map((entry) => entry.expression ?? entry.license?.id ?? entry.license?.name ?? '')
    .filter((label) => label !== '')
    .join(', ');
}
