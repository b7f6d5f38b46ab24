import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids';
import type { PolicyNode } from './types';
import { extension } from './x509';

/**
 * RFC 5280 certificate-policy processing: the valid_policy_tree and the explicit_policy,
 * inhibit_anyPolicy and policy_mapping counters, through 6.1.2 (a), (d)-(f); 6.1.3 (d)-(f);
 * 6.1.4 (a)-(b), (h)-(j); 6.1.5 (a)-(b), (g). The tree is capped so that a policy-mapping bomb
 * (many policies times many mappings per certificate) is refused instead of filling memory.
 */
export interface PolicyFailure {
  ok: false;
  message: string;
}

export interface PolicyOutcome {
  ok: true;
  policyTree: PolicyNode | null;
  authoritiesConstrainedPolicies: string[];
  userConstrainedPolicies: string[];
  targetAssertedPolicies: string[];
}

/** More nodes than any real path makes (Federal Bridge paths have tens). */
export const MAX_POLICY_NODES = 10_000;

const ANY = OID.anyPolicy;

interface CertificatePolicy {
  id: string;
  qualifiers: string[];
}

class MalformedPolicy extends Error {}

function readPolicies(certificate: pkijs.Certificate): CertificatePolicy[] | null {
  const ext = extension(certificate, OID.certificatePolicies);
  if (!ext) return null;
  const value = ext.parsedValue as pkijs.CertificatePolicies | undefined;
  if (!value?.certificatePolicies) throw new MalformedPolicy('its certificatePolicies extension cannot be read');
  const ids = value.certificatePolicies.map((p) => p.policyIdentifier);
  if (new Set(ids).size !== ids.length)
    throw new MalformedPolicy('its certificatePolicies extension names one policy twice');
  return value.certificatePolicies.map((p) => ({
    id: p.policyIdentifier,
    qualifiers: (p.policyQualifiers ?? []).map((q) => q.policyQualifierId),
  }));
}

function readMappings(certificate: pkijs.Certificate): { issuer: string; subject: string }[] {
  const ext = extension(certificate, OID.policyMappings);
  if (!ext) return [];
  const value = ext.parsedValue as pkijs.PolicyMappings | undefined;
  if (!value?.mappings) throw new MalformedPolicy('its policyMappings extension cannot be read');
  return value.mappings.map((m) => ({ issuer: m.issuerDomainPolicy, subject: m.subjectDomainPolicy }));
}

function readConstraints(certificate: pkijs.Certificate): { requireExplicit?: number; inhibitMapping?: number } {
  const ext = extension(certificate, OID.policyConstraints);
  if (!ext) return {};
  const value = ext.parsedValue as pkijs.PolicyConstraints | undefined;
  if (!value) throw new MalformedPolicy('its policyConstraints extension cannot be read');
  return { requireExplicit: value.requireExplicitPolicy, inhibitMapping: value.inhibitPolicyMapping };
}

function readInhibitAnyPolicy(certificate: pkijs.Certificate): number | undefined {
  const ext = extension(certificate, OID.inhibitAnyPolicy);
  if (!ext) return undefined;
  const value =
    ext.parsedValue instanceof asn1js.Integer
      ? ext.parsedValue
      : asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result;
  if (!(value instanceof asn1js.Integer)) throw new MalformedPolicy('its inhibitAnyPolicy extension cannot be read');
  return value.valueBlock.valueDec;
}

function node(validPolicy: string, qualifiers: string[], expected: string[], parent: PolicyNode | null): PolicyNode {
  const created: PolicyNode = {
    validPolicy,
    qualifiers,
    expectedPolicySet: expected,
    depth: parent ? parent.depth + 1 : 0,
    children: [],
  };
  parent?.children.push(created);
  return created;
}

export class PolicyProcessor {
  #tree: PolicyNode | null = node(ANY, [], [ANY], null);
  #count = 1;
  #explicitPolicy: number;
  #inhibitAnyPolicy: number;
  #policyMapping: number;
  readonly #n: number;

  constructor(
    n: number,
    input: { initialExplicitPolicy: boolean; initialPolicyMappingInhibit: boolean; initialAnyPolicyInhibit: boolean },
  ) {
    this.#n = n;
    this.#explicitPolicy = input.initialExplicitPolicy ? 0 : n + 1;
    this.#inhibitAnyPolicy = input.initialAnyPolicyInhibit ? 0 : n + 1;
    this.#policyMapping = input.initialPolicyMappingInhibit ? 0 : n + 1;
  }

  /** Nodes at a depth, in tree order. */
  #level(depth: number): PolicyNode[] {
    const out: PolicyNode[] = [];
    const walk = (n: PolicyNode) => (n.depth === depth ? out.push(n) : n.children.forEach(walk));
    if (this.#tree) walk(this.#tree);
    return out;
  }

  #add(validPolicy: string, qualifiers: string[], expected: string[], parent: PolicyNode): void {
    if (++this.#count > MAX_POLICY_NODES)
      throw new MalformedPolicy(`its policies and mappings make more than ${MAX_POLICY_NODES} policy-tree nodes`);
    node(validPolicy, qualifiers, expected, parent);
  }

  /** Removes nodes below `depth` that have no children (repeatedly), and the root if it ends up bare. */
  #prune(depth: number): void {
    if (!this.#tree) return;
    const prune = (n: PolicyNode): boolean => {
      n.children = n.children.filter(prune);
      return n.depth >= depth || n.children.length > 0;
    };
    if (!prune(this.#tree)) this.#tree = null;
    this.#count = this.#countNodes();
  }

  #countNodes(): number {
    let count = 0;
    const walk = (n: PolicyNode) => {
      count++;
      n.children.forEach(walk);
    };
    if (this.#tree) walk(this.#tree);
    return count;
  }

  #fail(error: unknown): PolicyFailure {
    if (error instanceof MalformedPolicy)
      return { ok: false, message: `Its certificate policies cannot be processed: ${error.message}.` };
    throw error;
  }

  /** 6.1.3 (d)-(f) for certificate i (1 is the one the anchor issued, n the target). */
  processCertificate(certificate: pkijs.Certificate, i: number, selfIssued: boolean): PolicyFailure | null {
    try {
      const policies = readPolicies(certificate);
      if (policies && this.#tree) {
        const parents = this.#level(i - 1);
        // (d)(1): each policy other than anyPolicy hangs below the nodes that expect it, else below anyPolicy.
        for (const policy of policies.filter((p) => p.id !== ANY)) {
          const expecting = parents.filter((p) => p.expectedPolicySet.includes(policy.id));
          const under = expecting.length > 0 ? expecting : parents.filter((p) => p.validPolicy === ANY);
          for (const parent of under) this.#add(policy.id, policy.qualifiers, [policy.id], parent);
        }
        // (d)(2): anyPolicy asserted, while allowed, adds every expected policy not yet present.
        const any = policies.find((p) => p.id === ANY);
        if (any && (this.#inhibitAnyPolicy > 0 || (i < this.#n && selfIssued))) {
          for (const parent of parents)
            for (const expected of parent.expectedPolicySet)
              if (!parent.children.some((c) => c.validPolicy === expected))
                this.#add(expected, any.qualifiers, [expected], parent);
        }
        // (d)(3): nodes above depth i without children go.
        this.#prune(i);
      } else {
        // (e): no certificatePolicies ends the tree.
        this.#tree = null;
        this.#count = 0;
      }
      // (f)
      if (this.#explicitPolicy <= 0 && !this.#tree)
        return {
          ok: false,
          message:
            'An explicit certificate policy is required here, and the path is valid for none (policy processing).',
        };
      return null;
    } catch (error) {
      return this.#fail(error);
    }
  }

  /** 6.1.4 (a)-(b) and (h)-(j) for certificate i < n. */
  prepareNext(certificate: pkijs.Certificate, i: number, selfIssued: boolean): PolicyFailure | null {
    try {
      const mappings = readMappings(certificate);
      // (a)
      if (mappings.some((m) => m.issuer === ANY || m.subject === ANY))
        return {
          ok: false,
          message: 'It maps a policy to or from anyPolicy, which RFC 5280 forbids (policy mappings).',
        };
      // (b)
      const issuerPolicies = [...new Set(mappings.map((m) => m.issuer))];
      for (const issuerPolicy of issuerPolicies) {
        const subjects = mappings.filter((m) => m.issuer === issuerPolicy).map((m) => m.subject);
        const level = this.#level(i).filter((n) => n.validPolicy === issuerPolicy);
        if (this.#policyMapping > 0) {
          if (level.length > 0) for (const n of level) n.expectedPolicySet = subjects;
          else {
            // (b)(1): mapped from a policy the tree holds only as anyPolicy.
            const anyNode = this.#level(i).find((n) => n.validPolicy === ANY);
            if (anyNode) {
              const parent = this.#parentOf(anyNode);
              if (parent) this.#add(issuerPolicy, anyNode.qualifiers, subjects, parent);
            }
          }
        } else {
          // (b)(2): mapping inhibited: mapped policies go, and their childless ancestors with them.
          for (const n of level) {
            const parent = this.#parentOf(n);
            if (parent) parent.children = parent.children.filter((c) => c !== n);
          }
          this.#prune(i);
        }
      }
      // (h)
      if (!selfIssued) {
        if (this.#explicitPolicy > 0) this.#explicitPolicy--;
        if (this.#policyMapping > 0) this.#policyMapping--;
        if (this.#inhibitAnyPolicy > 0) this.#inhibitAnyPolicy--;
      }
      // (i)
      const constraints = readConstraints(certificate);
      if (constraints.requireExplicit !== undefined)
        this.#explicitPolicy = Math.min(this.#explicitPolicy, constraints.requireExplicit);
      if (constraints.inhibitMapping !== undefined)
        this.#policyMapping = Math.min(this.#policyMapping, constraints.inhibitMapping);
      // (j)
      const inhibitAny = readInhibitAnyPolicy(certificate);
      if (inhibitAny !== undefined) this.#inhibitAnyPolicy = Math.min(this.#inhibitAnyPolicy, inhibitAny);
      return null;
    } catch (error) {
      return this.#fail(error);
    }
  }

  #parentOf(target: PolicyNode): PolicyNode | null {
    let found: PolicyNode | null = null;
    const walk = (n: PolicyNode) => {
      if (n.children.includes(target)) found = n;
      else n.children.forEach(walk);
    };
    if (this.#tree) walk(this.#tree);
    return found;
  }

  /** 6.1.5 (a)-(b) and (g), with the target and the user-initial-policy-set. */
  finish(target: pkijs.Certificate, initialPolicySet: string[]): PolicyOutcome | PolicyFailure {
    try {
      // (a)
      if (this.#explicitPolicy > 0) this.#explicitPolicy--;
      // (b)
      if (readConstraints(target).requireExplicit === 0) this.#explicitPolicy = 0;
      const n = this.#n;
      const before = this.#branchPolicies();
      const authorities = [...new Set(before.map((b) => b.domain))];
      const targetAsserted = [...new Set(before.filter((b) => !b.leafIsAny).map((b) => b.domain))];
      // (g)(iii): intersect the tree with the user's set.
      if (this.#tree && !initialPolicySet.includes(ANY)) {
        // (1)-(2): the valid_policy_node_set (nodes whose parent is anyPolicy) outside the user's set goes.
        for (const c of this.#validPolicyNodeSet())
          if (c.validPolicy !== ANY && !initialPolicySet.includes(c.validPolicy)) {
            const parent = this.#parentOf(c)!;
            parent.children = parent.children.filter((x) => x !== c);
          }
        // (3): an anyPolicy node at depth n stands for each user policy not in the valid_policy_node_set.
        const anyLeaf = this.#level(n).find((l) => l.validPolicy === ANY);
        if (anyLeaf) {
          const parent = this.#parentOf(anyLeaf)!;
          const present = new Set(this.#validPolicyNodeSet().map((c) => c.validPolicy));
          for (const policy of initialPolicySet)
            if (!present.has(policy)) this.#add(policy, anyLeaf.qualifiers, [policy], parent);
          parent.children = parent.children.filter((x) => x !== anyLeaf);
        }
        // (4)
        this.#prune(n);
      }
      const user = initialPolicySet.includes(ANY)
        ? authorities
        : [...new Set(this.#branchPolicies().map((b) => b.domain))].filter((p) => initialPolicySet.includes(p));
      if (this.#explicitPolicy <= 0 && !this.#tree)
        return {
          ok: false,
          message:
            'An explicit certificate policy is required for this path, and it is valid for none of the acceptable policies (policy processing).',
        };
      return {
        ok: true,
        policyTree: this.#tree,
        authoritiesConstrainedPolicies: authorities,
        userConstrainedPolicies: user,
        targetAssertedPolicies: targetAsserted,
      };
    } catch (error) {
      return this.#fail(error);
    }
  }

  /** 6.1.5 (g)(iii)(1): the nodes whose parent is anyPolicy (anyPolicy nodes only ever chain down from the root). */
  #validPolicyNodeSet(): PolicyNode[] {
    const out: PolicyNode[] = [];
    const walk = (p: PolicyNode) =>
      p.children.forEach((c) => {
        out.push(c);
        if (c.validPolicy === ANY) walk(c);
      });
    if (this.#tree?.validPolicy === ANY) walk(this.#tree);
    return out;
  }

  /** For each branch reaching depth n: its anchor-domain policy, and whether its depth-n node is anyPolicy. */
  #branchPolicies(): { domain: string; leafIsAny: boolean }[] {
    const out: { domain: string; leafIsAny: boolean }[] = [];
    const walk = (n: PolicyNode, domain: string) => {
      const here = domain === ANY && n.validPolicy !== ANY ? n.validPolicy : domain;
      if (n.depth === this.#n) out.push({ domain: here, leafIsAny: n.validPolicy === ANY });
      else n.children.forEach((c) => walk(c, here));
    };
    if (this.#tree && this.#n > 0) walk(this.#tree, ANY);
    return out;
  }
}
