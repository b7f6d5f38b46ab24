import type { MarkingContext } from '../../../common/markings/choices';
import { moveSection, type DraftSection } from '../../state/report-draft';
import { SectionRow } from './SectionRow';

/** The report's sections in order: each can be left out, moved, and given its portion mark and text. */
export function SectionList({
  sections,
  context,
  onChange,
}: {
  sections: DraftSection[];
  context: MarkingContext | null;
  onChange(next: DraftSection[]): void;
}) {
  return (
    <section className="panel" aria-labelledby="report-sections-title">
      <h2 id="report-sections-title">Sections</h2>
      <p className="muted">
        Tick the sections the report has and put them in order. A data section may not be marked below what it shows: it
        starts at the model version’s banner.
      </p>
      <ol className="report-sections" data-testid="report-sections">
        {sections.map((section, position) => (
          <SectionRow
            key={section.kind}
            section={section}
            position={position}
            count={sections.length}
            context={context}
            onChange={(next) => onChange(sections.map((s) => (s.kind === next.kind ? next : s)))}
            onMove={(by) => onChange(moveSection(sections, section.kind, by))}
          />
        ))}
      </ol>
    </section>
  );
}
