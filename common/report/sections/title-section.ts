import { formatCount } from '../report-numbers';
import type { SectionContext } from './section-context';

/** The date part of an ISO 8601 time, as the report prints it ("2 December 2026", UTC: the same on every machine). */
export function reportDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The title page: title, author, date, model version and hash, and the runs. */
export function titleSection(ctx: SectionContext): void {
  const { definition, data } = ctx;
  const version = data.modelVersion;
  const lines = [
    `Author: ${definition.author || '—'}`,
    `Date: ${reportDate(data.createdAt)}`,
    `Model: ${version.name}, version ${version.version}`,
    `Model SHA-256: ${version.sha256}`,
    ...data.runs.map(
      (run, i) =>
        `${i === 0 ? 'Baseline run' : 'Run'}: ${run.label} (seed ${run.seed}, ${formatCount(run.iterations)} iterations)`,
    ),
  ];
  ctx.blocks.push({
    type: 'title-page',
    id: 'title-page',
    section: 'title',
    marking: ctx.marking,
    title: definition.title,
    lines,
  });
}
