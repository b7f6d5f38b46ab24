import {
  checkMarking,
  DISSEM_CONTROLS,
  formatBanner,
  normalize,
  parseMarking,
  withinSystemHigh,
  type Classification,
  type DissemFlag,
  type Marking,
  type MarkingIssue,
  type MarkingPolicy,
} from './index';
import { NOFORN_SCI_SYSTEMS } from './vocabulary';

/**
 * Choosing a marking step by step (the rules behind renderer/components' MarkingPicker, kept apart
 * from React so they stay easy to read and test): every menu entry is an Action; an action is
 * offered only when the marking it leads to (after the auto-fixes CAPCO demands) is one the site
 * accepts. A picker built on these therefore never holds an invalid marking.
 */

/** What a marking is chosen against: the site's marking policy and its system high. */
export interface MarkingContext {
  policy: MarkingPolicy;
  systemHigh: Marking;
  /** The system high as a canonical banner line, for messages. */
  systemHighText: string;
}

export type ClassificationChoice = Classification | 'CUI';
export type AeaChoice = 'none' | 'RD' | 'RD-CNWDI' | 'FRD';
export type CountryList = 'relTo' | 'displayOnly' | 'fgi';

export type Action =
  | { type: 'classification'; value: ClassificationChoice }
  | { type: 'sci'; system: string; on: boolean }
  | { type: 'compartments'; system: string; text: string }
  | { type: 'sap'; id: string; on: boolean }
  | { type: 'aea'; value: AeaChoice }
  | { type: 'fgi'; on: boolean }
  | { type: 'country'; list: CountryList; code: string; on: boolean }
  | { type: 'dissem'; flag: DissemFlag; on: boolean }
  | { type: 'cui'; category: string; on: boolean };

export interface Option {
  enabled: boolean;
  /** Why the option is disabled ('' when enabled). */
  reason: string;
  /** The marking the option leads to (the current one when disabled). */
  next: Marking;
}

const scopeOf = (flag: DissemFlag) => DISSEM_CONTROLS.find((d) => d.flag === flag)?.scope ?? 'us';

export const classificationChoice = (m: Marking): ClassificationChoice => (m.cui ? 'CUI' : m.classification);

export const aeaChoice = (m: Marking): AeaChoice =>
  !m.aea ? 'none' : m.aea.kind === 'FRD' ? 'FRD' : m.aea.cnwdi ? 'RD-CNWDI' : 'RD';

/** Compartments as typed after the system name: `G ABCD-XYZ` is compartment G (sub ABCD) and XYZ. */
export function parseCompartments(text: string): { name: string; subs: string[] }[] {
  const trimmed = text.trim().toUpperCase();
  if (trimmed === '') return [];
  return trimmed.split('-').map((part) => {
    const [name = '', ...subs] = part.trim().split(/\s+/);
    return { name, subs };
  });
}

export function formatCompartments(compartments: readonly { name: string; subs: readonly string[] }[]): string {
  return compartments.map((c) => [c.name, ...c.subs].join(' ')).join('-');
}

function toggle<T>(list: readonly T[], item: T, on: boolean): T[] {
  const rest = list.filter((x) => x !== item);
  return on ? [...rest, item] : rest;
}

/** The marking an action leads to, before any auto-fix. */
export function apply(m: Marking, action: Action): Marking {
  const next: Marking = { ...m };
  switch (action.type) {
    case 'classification':
      if (action.value === 'CUI') {
        next.classification = 'U';
        next.cui = { categories: m.cui?.categories ?? [] };
      } else {
        next.classification = action.value;
        next.cui = null;
      }
      break;
    case 'sci':
      next.sci = action.on
        ? [...m.sci.filter((c) => c.system !== action.system), { system: action.system, compartments: [] }]
        : m.sci.filter((c) => c.system !== action.system);
      break;
    case 'compartments':
      next.sci = [
        ...m.sci.filter((c) => c.system !== action.system),
        { system: action.system, compartments: parseCompartments(action.text) },
      ];
      break;
    case 'sap':
      next.sap = toggle(m.sap, action.id, action.on);
      break;
    case 'aea':
      next.aea =
        action.value === 'none'
          ? null
          : action.value === 'FRD'
            ? { kind: 'FRD', cnwdi: false }
            : { kind: 'RD', cnwdi: action.value === 'RD-CNWDI' };
      break;
    case 'fgi':
      next.fgi = action.on ? { countries: m.fgi?.countries ?? [] } : null;
      break;
    case 'country':
      if (action.list === 'fgi') next.fgi = { countries: toggle(m.fgi?.countries ?? [], action.code, action.on) };
      else {
        const list = toggle(m[action.list] ?? [], action.code, action.on);
        next[action.list] = list.length > 0 ? list : null;
      }
      break;
    case 'dissem':
      next.dissem = toggle(m.dissem, action.flag, action.on);
      break;
    case 'cui':
      next.cui = { categories: toggle(m.cui?.categories ?? [], action.category, action.on) };
      break;
  }
  return next;
}

/**
 * The dependents CAPCO settles for you: a classified marking drops FOUO and the CUI controls, an
 * unclassified one drops SCI, SAP, AEA and FGI, CUI drops the US-only controls, HCS brings
 * NOFORN, NOFORN clears REL TO, RELIDO and DISPLAY ONLY, FRD cannot carry CNWDI, and a country
 * moved into REL TO leaves DISPLAY ONLY.
 */
export function fix(m: Marking): Marking {
  const r: Marking = { ...m, dissem: [...m.dissem] };
  if (r.cui) r.classification = 'U';
  if (r.classification !== 'U') {
    r.cui = null;
    r.dissem = r.dissem.filter((f) => f !== 'FOUO' && scopeOf(f) !== 'cui');
  } else {
    r.sci = [];
    r.sap = [];
    r.aea = null;
    r.fgi = null;
    r.dissem = r.dissem.filter((f) => scopeOf(f) !== (r.cui ? 'us' : 'cui'));
  }
  if (r.sci.some((c) => NOFORN_SCI_SYSTEMS.includes(c.system)) && !r.dissem.includes('NOFORN')) r.dissem.push('NOFORN');
  if (r.dissem.includes('NOFORN')) {
    r.relTo = null;
    r.displayOnly = null;
    r.dissem = r.dissem.filter((f) => f !== 'RELIDO');
  }
  if (r.aea?.kind === 'FRD' && r.aea.cnwdi) r.aea = { kind: 'FRD', cnwdi: false };
  if (r.relTo && r.relTo.length === 0) r.relTo = null;
  if (r.displayOnly) {
    const shown = r.displayOnly.filter((c) => !r.relTo?.includes(c));
    r.displayOnly = shown.length > 0 ? shown : null;
  }
  return normalize(r);
}

const keys = new WeakMap<Marking, string>();
/** A marking's identity: its canonical form as JSON (remembered, since every option compares against the current marking). */
function keyOf(m: Marking): string {
  let key = keys.get(m);
  if (key === undefined) {
    key = JSON.stringify(normalize(m));
    keys.set(m, key);
  }
  return key;
}

export const sameMarking = (a: Marking, b: Marking) => keyOf(a) === keyOf(b);

export const describeIssue = (issue: MarkingIssue) =>
  issue.token ? `"${issue.token}" at ${issue.position}: ${issue.message}` : issue.message;

/**
 * Why a marking may not be held here: the combination rules, then whether its banner line reads
 * back as the same marking under the site's policy, then the system high. Empty when it is fine.
 * `skipReadBack` is for a marking known to differ from one that reads back only in country codes
 * or dissemination flags, which checkMarking covers on their own.
 */
export function problems(m: Marking, ctx: MarkingContext, skipReadBack = false): string[] {
  const issues = checkMarking(m, new Map(), ctx.policy);
  if (issues.length > 0) return issues.map((i) => i.message);
  if (!skipReadBack) {
    const banner = formatBanner(m);
    const reread = parseMarking(banner, ctx.policy);
    if (!reread.ok) return reread.issues.map(describeIssue);
    if (!sameMarking(reread.marking, m)) return [`${banner} does not read back as the marking built`];
  }
  if (!withinSystemHigh(ctx.systemHigh, m, ctx.policy)) return [`above this system's high (${ctx.systemHighText})`];
  return [];
}

/** Whether an action is offered, and where it leads. */
export function consider(m: Marking, action: Action, ctx: MarkingContext): Option {
  const raw = apply(m, action);
  const next = fix(raw);
  if (sameMarking(next, m)) {
    const why = problems(raw, ctx)[0] ?? 'already so';
    return { enabled: false, reason: why, next: m };
  }
  // The current marking reads back (a picker only ever holds such markings); a country or a
  // dissemination flag changes nothing the read-back could catch that checkMarking does not.
  const found = problems(next, ctx, action.type === 'country' || action.type === 'dissem');
  if (found.length > 0) return { enabled: false, reason: found[0]!, next: m };
  return { enabled: true, reason: '', next };
}

/** A marking typed as text: nothing typed, why it may not be held here, or the marking it loads. */
export type TypedMarking =
  { status: 'empty' } | { status: 'invalid'; issues: MarkingIssue[] } | { status: 'ok'; marking: Marking };

/**
 * Reads a typed banner line or portion mark: it must parse under the site's policy, pass the
 * combination rules, read back, and be within the system high (the problems' messages name the
 * banner when it is above it).
 */
export function readTypedMarking(text: string, ctx: MarkingContext): TypedMarking {
  if (text.trim() === '') return { status: 'empty' };
  const parsed = parseMarking(text, ctx.policy);
  if (!parsed.ok) return { status: 'invalid', issues: parsed.issues };
  const found = problems(parsed.marking, ctx);
  if (found.length === 0) return { status: 'ok', marking: parsed.marking };
  const banner = formatBanner(parsed.marking);
  return {
    status: 'invalid',
    issues: found.map((message) => ({
      message: message.startsWith('above') ? `${banner} is ${message}` : message,
      position: 0,
      token: '',
    })),
  };
}
