import { cellText, formatCount, formatNumber } from '../report-numbers';
import type { ReportRun } from '../report-data';
import type { SectionContext } from './section-context';

function autoStopText(run: ReportRun): string {
  if (!run.autoStop) return 'off';
  return `on: tolerance ${formatNumber(run.autoStop.tolerance * 100)}%, at most ${formatCount(run.autoStop.maxIterations)} iterations`;
}

/** A table per run: how it was made, so it can be made again. */
export function settingsSection(ctx: SectionContext): void {
  const version = ctx.data.modelVersion;
  ctx.data.runs.forEach((run, i) => {
    // Seed and iterations are numbers, so the workbook holds them as numbers.
    const rows: [string, string | number][] = [
      ['Seed', run.seed],
      ['Sampling', run.sampling === 'lhs' ? 'Latin Hypercube' : 'Monte Carlo'],
      ['Engine', `${run.engine === 'webgpu' ? 'WebGPU' : 'CPU'}: ${run.engineDescription}`],
      ['Iterations', run.iterations],
      ['Auto-stop', autoStopText(run)],
      ['Model version', `${version.name}, version ${version.version}`],
      ['Model SHA-256', version.sha256],
      ['App version', run.appVersion],
      ['Started', run.startedAt],
      ['Finished', run.finishedAt],
    ];
    ctx.table(
      `table-${i + 1}`,
      `Settings of ${i === 0 ? 'the baseline run, ' : ''}${run.label}`,
      'Settings',
      [
        { label: 'Setting', kind: 'text' },
        { label: 'Value', kind: 'text' },
      ],
      rows.map(([setting, value]) => [setting, typeof value === 'number' ? value : cellText(value)]),
    );
  });
}
