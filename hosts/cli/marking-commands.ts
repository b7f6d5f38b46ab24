import type { Command } from 'commander';
import {
  dominates,
  formatBanner,
  formatPortion,
  MarkingRollupError,
  parseMarking,
  rollup,
  type Marking,
  type MarkingPolicy,
} from '../../common/markings';
import { loadSiteMarkings } from './site-markings';
import { terminalSafe, terminalSafeOutput } from './terminal-safe';

interface Output {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

/** Exit 1 with each issue on stderr (and as JSON on stdout with --json). */
class InvalidMarking extends Error {}

function parseOrReport(text: string, policy: MarkingPolicy, io: Output): Marking {
  const parsed = parseMarking(text, policy);
  if (parsed.ok) return parsed.marking;
  if (io.json) io.out(JSON.stringify({ ok: false, input: text, issues: parsed.issues }));
  for (const issue of parsed.issues)
    io.err(
      `${terminalSafe(text)}: ${issue.token ? `"${terminalSafe(issue.token)}" at ${issue.position}: ` : ''}${terminalSafe(issue.message)}`,
    );
  throw new InvalidMarking();
}

/** `enclave marking parse|format|rollup|dominates`, under the site's marking policy. */
export function addMarkingCommands(program: Command, io: () => Output, dataDir: () => string | undefined): void {
  const marking = program
    .command('marking')
    .description('parse, format, roll up and compare classification markings (site policy applies)');
  const run = (action: (policy: MarkingPolicy, o: Output) => void) => () => {
    const o = terminalSafeOutput(io());
    try {
      action(loadSiteMarkings(dataDir()).policy, o);
    } catch (error) {
      if (error instanceof MarkingRollupError) {
        if (o.json) o.out(JSON.stringify({ ok: false, error: error.message }));
        o.err(terminalSafe(error.message));
      } else if (!(error instanceof InvalidMarking)) throw error;
      o.setExit(1);
    }
  };

  marking
    .command('parse <marking>')
    .description('check a banner line or portion mark and show its canonical forms and structure')
    .action((text: string) =>
      run((policy, o) => {
        const m = parseOrReport(text, policy, o);
        const banner = formatBanner(m);
        const portion = formatPortion(m);
        o.out(
          o.json
            ? JSON.stringify({ ok: true, banner, portion, marking: m })
            : `banner:  ${banner}\nportion: ${portion}`,
        );
      })(),
    );

  marking
    .command('format <marking>')
    .description('print the canonical banner line (or, with --portion, the portion mark)')
    .option('--portion', 'print the portion mark instead of the banner line')
    .action((text: string, options: { portion?: boolean }) =>
      run((policy, o) => {
        const m = parseOrReport(text, policy, o);
        const formatted = options.portion ? formatPortion(m) : formatBanner(m);
        o.out(o.json ? JSON.stringify({ ok: true, formatted }) : formatted);
      })(),
    );

  marking
    .command('rollup <portions...>')
    .description('roll portion marks up into the banner line')
    .action((texts: string[]) =>
      run((policy, o) => {
        const banner = formatBanner(
          rollup(
            texts.map((t) => parseOrReport(t, policy, o)),
            policy,
          ),
        );
        o.out(o.json ? JSON.stringify({ ok: true, banner }) : banner);
      })(),
    );

  marking
    .command('dominates <a> <b>')
    .description('exit 0 if marking A dominates marking B (level, compartments, controls, releasability), else 1')
    .action((a: string, b: string) =>
      run((policy, o) => {
        const result = dominates(parseOrReport(a, policy, o), parseOrReport(b, policy, o), policy);
        o.out(o.json ? JSON.stringify({ ok: true, dominates: result }) : result ? 'yes' : 'no');
        o.setExit(result ? 0 : 1);
      })(),
    );
}
