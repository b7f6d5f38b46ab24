import type { RoleStatus, SignedRole } from '../../electron/services/updates/repository/sign-repository';

const signatures = (r: { signatures: number; threshold: number }) =>
  `${r.signatures} of ${r.threshold} signature${r.threshold === 1 ? '' : 's'}`;

/** What `enclave update sign` prints: each role it signed, then what is still short. */
export function signedText(signed: readonly SignedRole[], status: readonly RoleStatus[]): string[] {
  const lines = signed.map(
    (r) =>
      `${r.outcome === 'signed' ? 'signed        ' : 'already signed'}  ${r.role.padEnd(9)} v${r.version}  ${signatures(r)}`,
  );
  const short = status.filter((r) => r.signatures < r.threshold);
  lines.push(
    short.length === 0
      ? 'Every role meets its threshold: the repository is ready for build-bundle.'
      : `Still short of their threshold: ${short.map((r) => `${r.role} (${signatures(r)})`).join(', ')}.`,
  );
  return lines;
}

/** What `enclave update status` prints: one line a role. */
export function statusText(status: readonly RoleStatus[]): string[] {
  const lines = ['ROLE       VERSION  EXPIRES               SIGNATURES'];
  for (const r of status) {
    const note = r.expired
      ? '  EXPIRED'
      : r.signatures < r.threshold
        ? `  needs ${r.threshold - r.signatures} more`
        : '';
    lines.push(`${r.role.padEnd(9)}  ${String(r.version).padStart(7)}  ${r.expires}  ${signatures(r)}${note}`);
    for (const target of r.targets ?? []) lines.push(`             ${target}`);
  }
  return lines;
}
