import { z } from 'zod';
import { toLattice, ALL } from '../markings/lattice';
import { DEFAULT_POLICY, type MarkingPolicy } from '../markings/marking-policy';
import { CLASSIFICATION_RANK, type Classification, type Marking } from '../markings/model';

const LEVEL_NAMES: Record<Classification, string> = {
  U: 'UNCLASSIFIED',
  C: 'CONFIDENTIAL',
  S: 'SECRET',
  TS: 'TOP SECRET',
};

/**
 * Where a bundle may go (site config `bundles.destinations`; docs/bundle-format.md, "Destination
 * profiles"): the network's highest level, the SCI control systems (or system-compartments) and
 * SAP programs it may hold, the countries whose people are on it (REL TO), and whether NOFORN
 * information may go there at all.
 */
export const DestinationProfileSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1-64 letters, digits, dot, dash or underscore'),
    /** The channel this destination's bundles are numbered on (one exporting workstation per channel). */
    channel: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
    highest: z.enum(['U', 'C', 'S', 'TS']),
    /** SCI allowed: a control system (`SI`: all its compartments) or system-compartment (`SI-G`). */
    sci: z
      .array(z.string().regex(/^[A-Z0-9]{1,16}(-[A-Z0-9]{1,16})?$/))
      .max(64)
      .default([]),
    /** SAP program identifiers allowed, without SAR-. */
    sap: z
      .array(z.string().regex(/^[A-Z0-9-]{1,32}$/))
      .max(64)
      .default([]),
    /** Foreign countries (trigraphs) whose people are on the destination: every record must be releasable to each. */
    relTo: z
      .array(z.string().regex(/^[A-Z]{3}$/))
      .max(64)
      .default([]),
    /** Whether NOFORN information may go to this destination (a US-only network); false for coalition networks. */
    noforn: z.boolean().default(false),
    /** Whether RD/FRD may go. */
    aea: z.boolean().default(false),
  })
  .strict()
  .refine((p) => !(p.noforn && p.relTo.length > 0), {
    message: 'a destination with foreign (REL TO) users cannot take NOFORN',
    path: ['noforn'],
  });

export type DestinationProfile = z.infer<typeof DestinationProfileSchema>;

export type RefusalKind = 'level' | 'compartment' | 'program' | 'aea' | 'rel-to' | 'noforn';
export interface DestinationRefusal {
  kind: RefusalKind;
  message: string;
}

/** Every reason a marking may not go to the destination; none when it may. */
export function destinationRefusals(
  marking: Marking,
  destination: DestinationProfile,
  policy: MarkingPolicy = DEFAULT_POLICY,
): DestinationRefusal[] {
  const refusals: DestinationRefusal[] = [];
  const to = `destination ${destination.name}`;
  if (CLASSIFICATION_RANK[marking.classification] > CLASSIFICATION_RANK[destination.highest])
    refusals.push({
      kind: 'level',
      message: `${LEVEL_NAMES[marking.classification]} is above ${to}'s highest level, ${LEVEL_NAMES[destination.highest]}`,
    });
  const allowed = new Set(destination.sci);
  for (const control of marking.sci) {
    if (allowed.has(control.system)) continue;
    const compartments = control.compartments.map((c) => `${control.system}-${c.name}`);
    const missing = compartments.length ? compartments.filter((c) => !allowed.has(c)) : [control.system];
    for (const name of missing) refusals.push({ kind: 'compartment', message: `SCI ${name} is not allowed on ${to}` });
  }
  const programs = new Set(destination.sap);
  for (const program of marking.sap)
    if (!programs.has(program))
      refusals.push({ kind: 'program', message: `special access program ${program} is not allowed on ${to}` });
  if (marking.aea && !destination.aea)
    refusals.push({
      kind: 'aea',
      message: `${marking.aea.kind === 'RD' ? 'RESTRICTED DATA' : 'FORMERLY RESTRICTED DATA'} may not go to ${to}`,
    });
  const lattice = toLattice(marking, policy);
  const noforn = lattice.release !== ALL && lattice.release.size === 0 && marking.dissem.includes('NOFORN');
  if (noforn && !destination.noforn)
    refusals.push({ kind: 'noforn', message: `NOFORN information may not go to ${to}` });
  if (!noforn && lattice.release !== ALL) {
    const release = lattice.release;
    const missing = destination.relTo.filter((c) => !release.has(c));
    if (missing.length)
      refusals.push({
        kind: 'rel-to',
        message: `not releasable to ${missing.join(', ')}, whose people are on ${to}`,
      });
  }
  return refusals;
}
