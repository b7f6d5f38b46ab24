import type { ReactNode } from 'react';
import { markingColors, type ShownMarking } from './shown-marking';

/**
 * One analysis: its heading, what it is, and the marking of what it shows (in the banner colors)
 * above its chart and table. `name` keys the test ids ("analysis-tornado", "marking-tornado").
 */
export function AnalysisSection({
  name,
  title,
  marking,
  about,
  controls,
  busy = false,
  children,
}: {
  name: string;
  title: string;
  marking: ShownMarking;
  about: ReactNode;
  controls?: ReactNode;
  /** Its result is being computed (aria-busy, so assistive technology waits for it). */
  busy?: boolean;
  children: ReactNode;
}) {
  const colors = markingColors(marking);
  return (
    <section
      className="analysis"
      aria-labelledby={`analysis-title-${name}`}
      data-testid={`analysis-${name}`}
      aria-busy={busy || undefined}
    >
      <h3 id={`analysis-title-${name}`}>{title}</h3>
      <p className="muted analysis__about">{about}</p>
      {controls ? <div className="analysis__controls">{controls}</div> : null}
      <div
        className="analysis__marking"
        role="note"
        aria-label={`Marking of what this shows: ${marking.text}`}
        data-testid={`marking-${name}`}
        data-level={marking.level}
        style={{ backgroundColor: colors.background, color: colors.foreground }}
      >
        {marking.text}
      </div>
      {children}
    </section>
  );
}

/** A number cell: six significant digits shown, the exact value in data-value (what tests and copy read). */
export function NumberCell({ value, text }: { value: number; text: string }) {
  return <td data-value={String(value)}>{text}</td>;
}
