import type { Command } from 'commander';
import type { ResponseOf } from '../../common/ipc/contract';
import { KIND_WORDS } from '../../common/update/update-payload';
import { addSignInOptions } from './cli-sign-in';
import { storeActions, type StoreIo } from './store-session';
import { terminalSafe } from './terminal-safe';

type Inspection = ResponseOf<'updates', 'inspect'>;
type RootSummary = NonNullable<ResponseOf<'updates', 'root'>['root']>;

function rootLines(root: RootSummary): string[] {
  return [
    `Update root version ${root.version}, expires ${root.expires}`,
    `  fingerprint (SHA-256 of root.json): ${root.sha256}`,
    ...root.roles.map(
      (r) =>
        `  ${r.role}: ${r.threshold} of ${r.keyids.length} key(s) ${r.keyids.map((k) => k.slice(0, 12)).join(' ')}`,
    ),
  ];
}

function inspectionLines(i: Inspection, verb: 'would' | 'did'): string[] {
  return [
    ...i.roles.map(
      (r) =>
        `role     ${r.role}: version ${r.from ?? '(new)'} → ${r.to}, expires ${r.expires}, signed by ${r.signedBy.length} of threshold ${r.threshold} (${r.signedBy.map((k) => k.slice(0, 12)).join(' ')})`,
    ),
    ...i.targets.map(
      (t) =>
        `target   ${t.name} (${KIND_WORDS[t.kind]}${t.version ? ` ${t.version}` : ''}, ${t.length} bytes, sha256 ${t.sha256}, signed by ${t.role}): ${t.result === 'unchanged' ? 'unchanged' : `${verb === 'would' ? 'would be ' : ''}${t.result}`}; ${t.detail}`,
    ),
    `file     sha256 ${i.fileSha256}`,
    ...(i.verifiedTime ? [`time     verified up to ${i.verifiedTime}`] : []),
    ...(i.lockout ? [`WARNING  ${i.lockout}`] : []),
  ];
}

/**
 * `enclave update trust-root|root|inspect|apply|history` (docs/updates.md, "Applying updates"): an
 * administrator's side, signed in, through the same service calls as the app's Updates page.
 */
export function addUpdateAdminCommands(update: Command, io: () => StoreIo): void {
  const { signedIn } = storeActions(io);
  const print = (o: StoreIo, lines: string[]) => lines.forEach((line) => o.out(terminalSafe(line)));

  addSignInOptions(
    update
      .command('trust-root')
      .description('trust the first update root (root.json from the update officers); never replaces one')
      .argument('<root.json>', 'the root metadata file'),
  ).action(
    signedIn(async (o, services, _pin, file: string) => {
      const { root } = await services.call('updates', 'trustRoot', { file: await services.handFile(file) });
      if (o.json) return o.out(JSON.stringify({ root }));
      print(o, ['Trusted.', ...rootLines(root)]);
    }),
  );

  addSignInOptions(update.command('root').description('the update root this workstation trusts')).action(
    signedIn(async (o, services) => {
      const { root } = await services.call('updates', 'root', {});
      if (o.json) return o.out(JSON.stringify({ root }));
      print(o, root ? rootLines(root) : ['No update root is trusted yet: run `enclave update trust-root ROOT.json`.']);
    }),
  );

  addSignInOptions(
    update
      .command('inspect')
      .description('verify an update bundle and show what applying it would do; changes nothing')
      .argument('<bundle.tar>', 'the update bundle from the media'),
  ).action(
    signedIn(async (o, services, _pin, file: string) => {
      const inspection = await services.call('updates', 'inspect', { file: await services.handFile(file) });
      if (o.json) return o.out(JSON.stringify(inspection));
      print(o, inspectionLines(inspection, 'would'));
    }),
  );

  addSignInOptions(
    update
      .command('apply')
      .description('verify and apply an update bundle: all of it or nothing')
      .argument('<bundle.tar>', 'the update bundle from the media')
      .option('--confirm-lockout', 'apply even though no enrolled administrator card would sign in afterwards', false)
      .option('--reviewed <sha256>', 'apply only if the file is the one inspected (its SHA-256, as inspect prints it)'),
  ).action(
    signedIn(async (o, services, _pin, file: string, options: { confirmLockout: boolean; reviewed?: string }) => {
      const result = await services.call('updates', 'apply', {
        file: await services.handFile(file),
        confirmLockout: options.confirmLockout,
        ...(options.reviewed ? { reviewedSha256: options.reviewed.toLowerCase() } : {}),
      });
      if (o.json) return o.out(JSON.stringify({ ok: true, ...result }));
      print(o, [`Applied update #${result.id}.`, ...inspectionLines(result.inspection, 'did')]);
    }),
  );

  addSignInOptions(
    update.command('history').description('applied, interrupted and failed updates, newest first'),
  ).action(
    signedIn(async (o, services) => {
      const { updates } = await services.call('updates', 'history', {});
      if (o.json) return o.out(JSON.stringify({ updates }));
      if (updates.length === 0) print(o, ['No update has been applied here.']);
      for (const u of updates)
        print(o, [
          `#${u.id} ${u.state} by ${u.actor} at ${u.endedAt ?? u.startedAt}: root ${u.versions.root}, timestamp ${u.versions.timestamp}, snapshot ${u.versions.snapshot}, targets ${u.versions.targets}${u.reason ? ` (${u.reason})` : ''}`,
          ...u.targets.map((t) => `  ${t.name} ${t.kind} ${t.result} sha256 ${t.sha256}`),
        ]);
    }),
  );
}
