import { totalmem } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { compileModel } from '../../common/engine/compile-model';
import { simulateOnAllCores, threadsFor } from '../../electron/services/engine/thread-pool';
import { combineMoments } from '../../common/engine/moments';
import { nodeBundle } from '../app-paths';
import { summarizeRun } from '../../common/engine/cpu/summarize-pieces';
import { convergence } from '../../common/engine/auto-stop';
import { estimateRunMemory, memoryRefusal } from '../../common/engine/memory-estimate';
import { summarizeSimulation, SENSITIVITY_ITERATIONS } from '../../common/engine/summary';
import type { OutputStatistics } from '../../common/engine/statistics';
import type { OutputSensitivity } from '../../common/engine/sensitivity';
import { formatBanner, parseMarking, withinSystemHigh } from '../../common/markings';
import { MODEL_FILE_MAX_BYTES } from '../../common/model/model';
import { readRegularFile } from '../../electron/services/regular-file';
import { loadSiteMarkings } from './site-markings';
import { addReportOptions, planReport, type ReportOptions } from './report-command';
import type { WrittenReport } from './report-write';
import { cliReportRun } from './report-run';
import { terminalSafe, terminalSafeOutput } from './terminal-safe';

interface Io {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  setExit(code: number): void;
}

// InvalidArgumentError: commander reports it as a usage error (exit 2).
const integer = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

const UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A memory size such as 512M, 2G or 1.5GB (decimal units, as the figures are printed). */
function memorySize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)B?$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * UNITS[match[2]!.toUpperCase()]! : NaN;
  if (!(bytes >= 1e6)) throw new InvalidArgumentError('--memory-limit takes a size such as 512M or 2G (at least 1M)');
  return Math.floor(bytes);
}

/** Without --memory-limit a run may use half of this machine's memory: more would push it into swap or the OOM killer. */
const defaultMemoryLimit = () => Math.floor(totalmem() / 2);

function table(name: string, s: OutputStatistics): string {
  // An undefined statistic (no finite value; skewness of a constant) is "—", as on the run screen.
  const f = (x: number) =>
    !Number.isFinite(x)
      ? '—'
      : Math.abs(x) >= 1e6 || (Math.abs(x) < 1e-3 && x !== 0)
        ? x.toExponential(4)
        : x.toFixed(4);
  return [
    `${name}`,
    `  mean ${f(s.mean)}  (95% CI ${f(s.ci95[0])} to ${f(s.ci95[1])})  sd ${f(s.sd)}`,
    `  min ${f(s.min)}  max ${f(s.max)}  skewness ${f(s.skewness)}  excess kurtosis ${f(s.kurtosis)}`,
    `  ${Object.entries(s.percentiles)
      .map(([k, v]) => `${k} ${f(v)}`)
      .join('  ')}`,
    ...(s.nonFinite
      ? [`  ${s.nonFinite} iterations gave no finite value (e.g. division by zero) and were left out`]
      : []),
  ].join('\n');
}

/** The output's sensitivity line; none where it is undefined (no finite value, or an output that never varies). */
function sensitivityLine(s: OutputStatistics, sensitivity: OutputSensitivity): string {
  if (s.count === 0) return '  sensitivity: none (no finite values)';
  if (!(s.sd > 0) || !Number.isFinite(sensitivity.rSquared)) return '  sensitivity: none (the output does not vary)';
  const ranked = [...sensitivity.inputs].sort((a, b) => Math.abs(b.src) - Math.abs(a.src));
  return `  sensitivity (R² ${sensitivity.rSquared.toFixed(3)}): ${ranked.map((i) => `${i.input} SRC ${i.src.toFixed(3)} rank ρ ${i.rankCorrelation.toFixed(3)} ${(100 * i.contributionToVariance).toFixed(1)}%`).join('; ')}`;
}

/**
 * The model's marking, checked under the site's policy and against its system high (as the
 * service's marking gate does), as the canonical banner line: the text the file gave is never printed.
 */
function checkMarking(
  raw: unknown,
  dataDir: string | undefined,
): { ok: true; banner: string } | { ok: false; message: string } {
  const marking = (raw as { marking?: unknown } | null)?.marking;
  if (typeof marking !== 'string') return { ok: false, message: 'the model has no marking' };
  let site: ReturnType<typeof loadSiteMarkings>;
  try {
    site = loadSiteMarkings(dataDir);
  } catch (error) {
    return { ok: false, message: `cannot check its marking: ${terminalSafe((error as Error).message)}` };
  }
  const parsed = parseMarking(marking, site.policy);
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) => (i.token ? `"${i.token}" at ${i.position}: ${i.message}` : i.message));
    return { ok: false, message: terminalSafe(`the model's marking is not a valid marking: ${issues.join('; ')}`) };
  }
  if (!withinSystemHigh(site.systemHigh, parsed.marking, site.policy))
    return {
      ok: false,
      message: `the model is marked ${formatBanner(parsed.marking)}, above this system's high (${formatBanner(site.systemHigh)}): it cannot be handled here`,
    };
  return { ok: true, banner: formatBanner(parsed.marking) };
}

/** What the report wrote, for the person at the terminal. */
function reportLines(written: WrittenReport): string {
  return [
    `report: ${terminalSafe(written.pdf)}${written.pages === null ? '' : ` (${written.pages} pages)`}`,
    ...(written.xlsx ? [`workbook: ${terminalSafe(written.xlsx)}`] : []),
    ...(written.csv.length > 0
      ? [`CSV files: ${written.csv.length} (${written.csv.map(terminalSafe).join(', ')})`]
      : []),
  ].join('\n');
}

/** `enclave simulate <model.json> --iterations N --seed S [--engine cpu] [--report out.pdf …] [--json]` */
export function addSimulateCommand(program: Command, io: () => Io): void {
  const command = program
    .command('simulate <model>')
    .description('run a Monte Carlo simulation of a model file (enclave-model/1) and print its statistics')
    .option('--iterations <n>', 'number of iterations', integer('--iterations', 1, 100_000_000), 10_000)
    .option(
      '--seed <s>',
      'random seed (runs with the same seed give the same results)',
      integer('--seed', 0, 2 ** 32 - 1),
      1,
    )
    .option('--engine <engine>', 'auto or cpu (the CLI has no GPU: auto means cpu)', 'auto')
    .option('--sampling <method>', 'mc (Monte Carlo) or lhs (Latin Hypercube)', 'mc')
    .option(
      '--memory-limit <size>',
      "refuse a run that needs more memory than this (e.g. 512M, 2G; default: half of this machine's memory)",
      memorySize,
    )
    .option(
      '--auto-stop <tolerance>',
      'stop once the 95% CIs of the mean and of p5, p50, p95 are within this relative tolerance (e.g. 0.001); --iterations is then the maximum',
      Number,
    );
  addReportOptions(command).action(
    async (
      file: string,
      options: ReportOptions & {
        iterations: number;
        seed: number;
        engine: string;
        sampling: string;
        autoStop?: number;
        memoryLimit?: number;
      },
    ) => {
      // Everything printed passes terminalSafe: names, markings and messages come from the file.
      const o = terminalSafeOutput(io());
      const shown = terminalSafe(file);
      if (!['auto', 'cpu'].includes(options.engine)) {
        o.err(`enclave: --engine must be auto or cpu here (WebGPU runs in the app)`);
        return o.setExit(2);
      }
      if (options.sampling !== 'mc' && options.sampling !== 'lhs') {
        o.err(`enclave: --sampling must be mc or lhs`);
        return o.setExit(2);
      }
      if (options.autoStop !== undefined && !(options.autoStop > 0 && options.autoStop < 1)) {
        o.err('enclave: --auto-stop takes a relative tolerance between 0 and 1, such as 0.001');
        return o.setExit(2);
      }
      if (options.autoStop !== undefined && options.sampling === 'lhs') {
        o.err('enclave: --auto-stop works with --sampling mc (Latin Hypercube strata are fixed by the run size)');
        return o.setExit(2);
      }
      const read = readRegularFile(file, MODEL_FILE_MAX_BYTES);
      if (!read.ok) {
        const advice = {
          'not-regular': '; give a model file',
          'too-large': ', the most a model file may be',
          unreadable: '',
        };
        o.err(`${shown}: ${read.message}${advice[read.problem]}`);
        return o.setExit(1);
      }
      const text = read.bytes.toString('utf8');
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        o.err(`${shown}: not a readable JSON model (${terminalSafe((error as Error).message)})`);
        return o.setExit(1);
      }
      // The marking first: nothing of a model this system may not hold is compiled or printed.
      const banner = checkMarking(raw, program.opts<{ dataDir?: string }>().dataDir);
      if (!banner.ok) {
        o.err(`${shown}: ${banner.message}`);
        return o.setExit(1);
      }
      const result = compileModel(raw);
      if (!result.ok) {
        for (const line of result.errors) o.err(`${shown}: ${terminalSafe(line)}`);
        return o.setExit(1);
      }
      // The report's targets, Chromium and markings before the run: a run is never wasted on a report that cannot be written.
      const report = planReport(options, result.compiled.model, program.opts<{ dataDir?: string }>().dataDir);
      if (!report.ok) {
        const [first, ...more] = report.message.split('\n');
        o.err(`${shown}: ${terminalSafe(first ?? '')}`);
        for (const line of more) o.err(terminalSafe(line));
        return o.setExit(1);
      }
      const keep = Math.min(options.iterations, SENSITIVITY_ITERATIONS);
      const refusal = memoryRefusal(
        estimateRunMemory(result.compiled, {
          iterations: options.iterations,
          keepInputs: keep,
          sampling: options.sampling as 'mc' | 'lhs',
          workers: threadsFor(options.iterations),
          autoStop: options.autoStop !== undefined,
        }),
        options.memoryLimit ?? defaultMemoryLimit(),
        'lower --iterations or the number of outputs, or raise --memory-limit',
      );
      if (refusal) {
        o.err(`${shown}: ${refusal}`);
        return o.setExit(1);
      }
      const adjustments = result.compiled.correlationAdjustments;
      // Never silently: a repaired correlation matrix is announced with what is used instead.
      for (const a of adjustments) {
        if (!o.json)
          o.err(
            `${shown}: correlations: ${a.a}~${a.b} requested ${a.requested}, used ${a.used} (the requested matrix was not positive semi-definite; the nearest valid one is used)`,
          );
      }
      const startedAt = new Date();
      const started = process.hrtime.bigint();
      const run = (iterations: number, firstIteration: number) =>
        simulateOnAllCores(result.compiled, {
          iterations,
          seed: options.seed,
          sampling: options.sampling as 'mc' | 'lhs',
          keepInputs: firstIteration === 0 ? keep : 0,
          workerPath: nodeBundle('engine-worker.cjs'),
          firstIteration,
        });
      let values = await run(options.autoStop ? Math.min(options.iterations, 20_000) : options.iterations, 0);
      let done = values.outputs[result.compiled.outputs[0]!]!.length;
      let converged = options.autoStop === undefined;
      // Auto-stop: continue the same counter-based run in doubling rounds until every output converges.
      while (options.autoStop !== undefined) {
        converged = Object.entries(values.outputs).every(
          ([name, v]) => convergence(v, options.autoStop!, undefined, values.moments[name]).converged,
        );
        if (converged || done >= options.iterations) break;
        const more = await run(Math.min(done, options.iterations - done), done);
        const join = (a: Float64Array, b: Float64Array) => {
          const joined = new Float64Array(a.length + b.length);
          joined.set(a);
          joined.set(b, a.length);
          return joined;
        };
        const previous = values;
        // Statistics of the joined rounds are computed again below (summarizeSimulation).
        values = {
          statistics: {},
          outputs: Object.fromEntries(
            Object.entries(previous.outputs).map(([name, v]) => [name, join(v, more.outputs[name]!)]),
          ),
          moments: Object.fromEntries(
            Object.entries(previous.moments).map(([name, m]) => [name, combineMoments(m, more.moments[name]!)]),
          ),
          ...(previous.inputs ? { inputs: previous.inputs } : {}),
        };
        done = values.outputs[result.compiled.outputs[0]!]!.length;
      }
      // One round: the statistics as the workers computed them, the summary as the app builds it.
      const { outputs, sensitivity: sensitivities } =
        Object.keys(values.statistics).length > 0
          ? summarizeRun(values, keep)
          : summarizeSimulation({
              outputs: values.outputs,
              inputs: values.inputs ?? {},
              moments: values.moments,
              statistics: values.statistics,
            });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let written: WrittenReport | null = null;
      if (report.plan) {
        const finishedAt = new Date();
        const run = cliReportRun({
          banner: banner.banner,
          seed: options.seed,
          sampling: options.sampling as 'mc' | 'lhs',
          iterations: done,
          threads: threadsFor(options.iterations),
          startedAt,
          finishedAt,
          autoStop:
            options.autoStop === undefined ? null : { tolerance: options.autoStop, maxIterations: options.iterations },
          summary: { outputs, sensitivity: sensitivities },
          outputs: values.outputs,
          inputs: values.inputs,
        });
        try {
          const { writeReport } = await import('./report-write');
          written = await writeReport(report.plan, result.compiled.model, run, finishedAt.toISOString());
        } catch (error) {
          o.err(
            `${shown}: the report could not be made: ${terminalSafe((error as Error).message.split('\n')[0] ?? '')}`,
          );
          return o.setExit(1);
        }
      }
      if (o.json) {
        o.out(
          JSON.stringify({
            model: result.compiled.model.name,
            marking: banner.banner,
            outputs,
            sensitivity: sensitivities,
            correlationAdjustments: adjustments,
            iterations: done,
            ...(options.autoStop === undefined
              ? {}
              : { autoStop: { tolerance: options.autoStop, converged, maxIterations: options.iterations } }),
            seed: options.seed,
            engine: 'cpu',
            sampling: options.sampling,
            seconds,
            ...(written ? { report: written } : {}),
          }),
        );
      } else {
        const stopped =
          options.autoStop === undefined
            ? ''
            : converged
              ? `, converged to ${options.autoStop}`
              : `, NOT converged to ${options.autoStop} within ${options.iterations}`;
        o.out(
          `${banner.banner}\n${terminalSafe(result.compiled.model.name)}: ${done} iterations (${options.sampling}${stopped}), seed ${options.seed}, cpu, ${seconds.toFixed(2)} s\n`,
        );
        for (const [name, s] of Object.entries(outputs)) {
          o.out(table(name, s));
          o.out(sensitivityLine(s, sensitivities[name]!));
        }
        if (written) o.out(reportLines(written));
      }
    },
  );
}
