import { useId } from 'react';
import type { MarkingContext } from '../../../common/markings/choices';
import { SECTION_TITLES } from '../../../common/report/report-definition';
import type { DraftSection } from '../../state/report-draft';
import { ParagraphsEditor } from './ParagraphsEditor';
import { PortionField } from './PortionField';

interface Props {
  section: DraftSection;
  position: number;
  count: number;
  context: MarkingContext | null;
  onChange(next: DraftSection): void;
  onMove(by: -1 | 1): void;
}

/** One section in the builder's list: on or off, its place (up and down), its portion mark, its paragraphs. */
export function SectionRow({ section, position, count, context, onChange, onMove }: Props) {
  const title = SECTION_TITLES[section.kind];
  const checkId = useId();
  const testId = `report-section-${section.kind}`;
  const isSummary = section.kind === 'summary';
  return (
    <li className="report-section" data-testid={testId} data-on={section.on}>
      <div className="report-section__head">
        <input
          id={checkId}
          type="checkbox"
          checked={section.on}
          onChange={(e) => onChange({ ...section, on: e.currentTarget.checked })}
          data-testid={`${testId}-on`}
        />
        <label htmlFor={checkId} className="report-section__title">
          {position + 1}. {title}
        </label>
        <button
          type="button"
          className="button button--small"
          disabled={position === 0}
          onClick={() => onMove(-1)}
          aria-label={`Move “${title}” up`}
          data-testid={`${testId}-up`}
        >
          ↑ Up
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={position === count - 1}
          onClick={() => onMove(1)}
          aria-label={`Move “${title}” down`}
          data-testid={`${testId}-down`}
        >
          ↓ Down
        </button>
      </div>
      {section.on && (
        <div className="report-section__body">
          <PortionField
            what={`the section “${title}”`}
            value={section.portion}
            context={context}
            onChange={(portion) => onChange({ ...section, portion })}
            testId={`${testId}-portion`}
          />
          <div className="report-section__text">
            <span className="muted">{isSummary ? 'The summary’s paragraphs' : 'Notes (optional paragraphs)'}</span>
            <ParagraphsEditor
              sectionTitle={title}
              paragraphs={section.paragraphs}
              defaultPortion={section.portion}
              context={context}
              onChange={(paragraphs) => onChange({ ...section, paragraphs })}
              testId={`${testId}-paragraph`}
            />
          </div>
        </div>
      )}
    </li>
  );
}
