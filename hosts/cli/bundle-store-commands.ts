import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ResponseOf } from '../../common/ipc/contract';
import { resolveTarSources } from '../../electron/services/bundles/tar';
import { CliRefusal, type CliServices } from './cli-services';
import { addSignInOptions } from './cli-sign-in';
import { storeActions, type StoreIo } from './store-session';
import { terminalSafe } from './terminal-safe';

type Pick =
  | { kind: 'model-version'; model: number; version: number }
  | { kind: 'run'; run: number }
  | { kind: 'report'; report: number; version: number };
type Quarantined = ResponseOf<'bundles', 'receive'>;

const usage = (message: string) => new CliRefusal({ code: 'INVALID_ARGUMENT', message });
const collect = (value: string, previous: string[] = []) => [...previous, value];

function versioned(kind: 'model' | 'report', text: string): { id: number; version: number } {
  const match = /^([1-9][0-9]*)@([1-9][0-9]*)$/.exec(text);
  if (!match) throw usage(`--${kind} takes ID@VERSION (e.g. 12@3), not "${text}".`);
  return { id: Number(match[1]), version: Number(match[2]) };
}

function picksOf(options: { model?: string[]; run?: string[]; report?: string[] }): Pick[] {
  const picks: Pick[] = [
    ...(options.model ?? []).map((m) => ({
      kind: 'model-version' as const,
      model: versioned('model', m).id,
      version: versioned('model', m).version,
    })),
    ...(options.run ?? []).map((r) => {
      if (!/^[1-9][0-9]*$/.test(r)) throw usage(`--run takes a saved run's id, not "${r}".`);
      return { kind: 'run' as const, run: Number(r) };
    }),
    ...(options.report ?? []).map((r) => ({
      kind: 'report' as const,
      report: versioned('report', r).id,
      version: versioned('report', r).version,
    })),
  ];
  if (picks.length === 0) throw usage('Pick at least one record: --model ID@VERSION, --run ID or --report ID@VERSION.');
  return picks;
}

/** A quarantined bundle as lines for the reviewer (or one JSON object). */
function describe(o: StoreIo, q: Quarantined): void {
  if (o.json) return o.out(JSON.stringify(q));
  const lines = [
    `Bundle ${q.bundleId} (quarantine #${q.id}, ${q.state})`,
    `  banner:   ${q.banner}`,
    `  from:     ${q.sourceSite} (${q.sourceNetwork}), channel ${q.channel}, sequence ${q.sequence}`,
    `  made:     ${q.created}, expires ${q.expires}`,
    `  signer:   ${q.signer.name} (${q.signer.subject}); policies ${q.signer.policies.join(', ')}`,
    ...q.records.map((r) => `  record:   ${r.portionMark} ${r.label}${r.appliedBefore ? ' (imported before)' : ''}`),
    ...q.warnings.map((w) => `  WARNING:  ${w}`),
    ...(q.reviewedBy
      ? [`  reviewed: ${q.state} by ${q.reviewedBy} at ${q.reviewedAt}${q.reviewNote ? `: ${q.reviewNote}` : ''}`]
      : []),
  ];
  for (const line of lines) o.out(terminalSafe(line));
}

/**
 * `enclave bundle export|import|quarantine|release|reject|destinations` (docs/cli.md, "Bundles"):
 * the same service calls as the app's export and import screens, signed in (export signs with the
 * card, so it needs `--card`), with the same checks, refusals and audit.
 */
export function addBundleStoreCommands(bundle: Command, io: () => StoreIo): void {
  const { signedIn } = storeActions(io);
  const print = (o: StoreIo, text: string) => o.out(terminalSafe(text));

  addSignInOptions(
    bundle.command('destinations').description('the destination profiles this site may export to'),
  ).action(
    signedIn(async (o, services: CliServices) => {
      const { network, destinations } = await services.call('bundles', 'destinations', {});
      if (o.json) return o.out(JSON.stringify({ network, destinations }));
      print(o, `This network: ${network}`);
      for (const d of destinations)
        print(
          o,
          `${d.name}  channel ${d.channel}  highest ${d.highest}  SCI ${d.sci.join(',') || '-'}  SAP ${d.sap.join(',') || '-'}  REL TO ${d.relTo.join(',') || '-'}  NOFORN ${d.noforn ? 'yes' : 'no'}`,
        );
    }),
  );

  addSignInOptions(
    bundle
      .command('export')
      .description('make and sign a bundle with your card (--card); exit 0 written, 1 refused, 2 bad arguments')
      .requiredOption('--destination <name>', 'a destination profile (see bundle destinations)')
      .option('--model <id@version>', 'a model version (repeatable)', collect)
      .option('--run <id>', 'a saved run, with its model version (repeatable)', collect)
      .option('--report <id@version>', 'a report version, with its model version and runs (repeatable)', collect)
      .option('--part-mib <n>', 'split into parts of this many MiB')
      .option('--out <dir>', 'copy the bundle (or its parts) into this folder as well'),
  ).action(
    signedIn(
      async (
        o,
        services,
        pin,
        options: {
          destination: string;
          model?: string[];
          run?: string[];
          report?: string[];
          partMib?: string;
          out?: string;
        },
      ) => {
        if (pin === null) throw usage('Export signs with your card: sign in with --card.');
        const picks = picksOf(options);
        const partMiB = options.partMib === undefined ? undefined : Number(options.partMib);
        if (partMiB !== undefined && !(Number.isInteger(partMiB) && partMiB >= 1))
          throw usage('--part-mib takes a whole number of MiB, 1 or more.');
        const preview = await services.call('bundles', 'preview', { picks, destination: options.destination });
        if (!o.json)
          for (const r of preview.records) {
            print(
              o,
              `${r.refusals.length ? 'REFUSED' : 'ok     '} ${r.portionMark} ${r.label}${r.picked ? '' : ' (brought along)'}`,
            );
            for (const reason of r.refusals) print(o, `          ${reason}`);
          }
        const exported = await services.call('bundles', 'export', {
          picks,
          destination: options.destination,
          pin,
          ...(partMiB ? { partMiB } : {}),
        });
        const files = await resolveTarSources([exported.path]);
        const copies = options.out ? files.map((file) => join(resolve(options.out!), basename(file))) : [];
        if (options.out) {
          mkdirSync(resolve(options.out), { recursive: true });
          files.forEach((file, i) => copyFileSync(file, copies[i]!));
        }
        if (o.json) return o.out(JSON.stringify({ ok: true, ...exported, files, copies }));
        print(
          o,
          `Bundle ${exported.bundleId}: ${exported.banner}, ${exported.records} record(s), sequence ${exported.sequence} on channel ${exported.channel}`,
        );
        for (const file of [...files, ...copies]) print(o, `  ${file}`);
        print(o, `  SHA-256 ${exported.fileSha256}, ${exported.bytes} bytes`);
      },
    ),
  );

  addSignInOptions(
    bundle
      .command('import')
      .description(
        'verify a bundle (a tar, or all its parts in order) into quarantine for review; exit 0 quarantined, 1 refused',
      )
      .argument('<files...>', 'the bundle tar, or its parts'),
  ).action(
    signedIn(async (o, services, _pin, files: string[]) => {
      const handles = [];
      for (const file of files) handles.push(await services.handFile(file));
      describe(o, await services.call('bundles', 'receive', { files: handles }));
    }),
  );

  addSignInOptions(
    bundle.command('quarantine').description('the bundles waiting for review, then those reviewed'),
  ).action(
    signedIn(async (o, services) => {
      const { bundles } = await services.call('bundles', 'quarantine', {});
      if (o.json) return o.out(JSON.stringify({ bundles }));
      if (bundles.length === 0) print(o, 'The quarantine is empty.');
      for (const q of bundles) describe(o, q);
    }),
  );

  for (const [verb, what] of [
    ['release', 'verify again and apply every record in one transaction'],
    ['reject', 'import nothing of it; its folder is removed'],
  ] as const)
    addSignInOptions(
      bundle
        .command(verb)
        .description(`${verb} a bundle in quarantine: ${what}`)
        .argument('<id>', 'its quarantine number (see bundle quarantine)')
        .option('--note <text>', 'the review note kept with it', ''),
    ).action(
      signedIn(async (o, services, _pin, id: string, options: { note: string }) => {
        if (!/^[1-9][0-9]*$/.test(id)) throw usage(`"${id}" is not a quarantine number.`);
        const result = await services.call('bundles', verb, { id: Number(id), note: options.note });
        if (o.json) return o.out(JSON.stringify({ ok: true, ...result }));
        print(
          o,
          verb === 'release' && 'applied' in result
            ? `Released ${result.bundleId}: ${result.applied} record(s) applied, ${result.already} imported before.`
            : `Rejected ${result.bundleId}.`,
        );
      }),
    );
}
