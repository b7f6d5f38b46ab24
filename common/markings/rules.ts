import type { Marking, MarkingIssue } from './model';
import type { MarkingPolicy } from './marking-policy';
import { DISSEM_CONTROLS, NOFORN_SCI_SYSTEMS } from './vocabulary';

/** Where each part of a parsed marking began (key: 'sci:SI', 'dissem:NOFORN', 'aea', …). */
export type Positions = Map<string, number>;

/**
 * The combination rules a single marking must satisfy, whether it was parsed or built in the
 * MarkingPicker. Sources: CAPCO Register (category order, control compatibility), IC-ISM
 * constraint rules, DoD CUI marking guide.
 */
export function checkMarking(m: Marking, positions: Positions, policy: MarkingPolicy): MarkingIssue[] {
  const issues: MarkingIssue[] = [];
  const at = (key: string) => positions.get(key) ?? 0;
  const issue = (key: string, token: string, message: string) => issues.push({ message, position: at(key), token });
  const has = (flag: string) => (m.dissem as string[]).includes(flag);
  const later = (a: string, b: string) => (at(a) >= at(b) ? a : b);
  const classified = m.classification !== 'U';

  if (m.cui && classified) issue('classification', 'CUI', 'CUI markings are unclassified');
  if (!classified) {
    if (m.sci.length > 0)
      issue(`sci:${m.sci[0]!.system}`, m.sci[0]!.system, 'SCI requires a classified marking (CONFIDENTIAL or higher)');
    if (m.sap.length > 0)
      issue('sap', `SAR-${m.sap[0]}`, 'SAP markings require a classified marking (CONFIDENTIAL or higher)');
    if (m.aea) issue('aea', m.aea.kind, `${m.aea.kind} requires a classified marking (CONFIDENTIAL or higher)`);
    if (m.fgi) issue('fgi', 'FGI', 'FGI marks classified foreign government information (CONFIDENTIAL or higher)');
  }
  if (m.aea?.kind === 'FRD' && m.aea.cnwdi) issue('aea', 'FRD', 'CNWDI applies to RESTRICTED DATA only');

  for (const flag of m.dissem) {
    const spec = DISSEM_CONTROLS.find((d) => d.flag === flag)!;
    if (m.cui && spec.scope === 'us')
      issue(
        `dissem:${flag}`,
        flag,
        flag === 'FOUO' ? 'FOUO is not valid with CUI, which replaced it' : `${flag} is not valid on CUI`,
      );
    if (!m.cui && spec.scope === 'cui') issue(`dissem:${flag}`, flag, `${flag} is a CUI limited-dissemination control`);
  }
  if (has('FOUO') && classified) issue('dissem:FOUO', 'FOUO', 'FOUO is not valid on classified portions');
  if (has('NOFORN') && m.relTo)
    issue(later('dissem:NOFORN', 'dissem:REL TO'), 'REL TO', 'NOFORN and REL TO cannot both appear');
  if (has('NOFORN') && has('RELIDO'))
    issue(later('dissem:NOFORN', 'dissem:RELIDO'), 'RELIDO', 'NOFORN and RELIDO cannot both appear');
  if (has('NOFORN') && m.displayOnly)
    issue(later('dissem:NOFORN', 'dissem:DISPLAY ONLY'), 'DISPLAY ONLY', 'NOFORN and DISPLAY ONLY cannot both appear');
  for (const control of m.sci) {
    if (NOFORN_SCI_SYSTEMS.includes(control.system) && !has('NOFORN'))
      issue(`sci:${control.system}`, control.system, `${control.system} requires NOFORN`);
  }

  // What a builder (not the parser) could still get wrong: unknown codes, empty lists, unused controls.
  const known = (code: string) =>
    (code.length === 3 && policy.countries.has(code)) || (code.length === 4 && code in policy.tetragraphs);
  if (m.relTo?.length === 0)
    issue('dissem:REL TO', 'REL TO', 'REL TO needs at least one country besides USA (use NOFORN for none)');
  if (m.displayOnly?.length === 0)
    issue('dissem:DISPLAY ONLY', 'DISPLAY ONLY', 'DISPLAY ONLY needs at least one country');
  for (const [key, codes] of [
    ['dissem:REL TO', m.relTo],
    ['dissem:DISPLAY ONLY', m.displayOnly],
    ['fgi', m.fgi?.countries],
  ] as const) {
    for (const code of codes ?? [])
      if (code !== 'USA' && !known(code))
        issue(key, code, `${code} is not an ISO 3166 trigraph or a tetragraph known to this site`);
  }
  for (const code of m.displayOnly ?? [])
    if (m.relTo?.includes(code)) issue('dissem:DISPLAY ONLY', code, `${code} is already in REL TO`);
  for (const control of m.sci)
    if (!policy.sciSystems.has(control.system))
      issue(
        `sci:${control.system}`,
        control.system,
        `${control.system} is not an SCI control system in use at this site`,
      );
  const used = [
    ...(m.cui ? ['CUI'] : []),
    ...(m.sci.length > 0 ? ['SCI'] : []),
    ...(m.sap.length > 0 ? ['SAP'] : []),
    ...(m.aea ? ['AEA'] : []),
    ...(m.fgi ? ['FGI'] : []),
    ...m.dissem,
    ...(m.relTo ? ['REL TO'] : []),
    ...(m.displayOnly ? ['DISPLAY ONLY'] : []),
  ];
  for (const control of used)
    if (!policy.controlsInUse.has(control))
      issue(`dissem:${control}`, control, `${control} is not in use at this site`);
  return issues;
}
