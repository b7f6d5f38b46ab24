import { MAX_SECTION_PARAGRAPHS, type ReportParagraph } from '../../../common/report/report-definition';
import type { MarkingContext } from '../../../common/markings/choices';
import { PortionField } from './PortionField';

/** The analyst's paragraphs in one section: each with its own portion mark; add, edit, remove. */
export function ParagraphsEditor({
  sectionTitle,
  paragraphs,
  defaultPortion,
  context,
  onChange,
  testId,
}: {
  sectionTitle: string;
  paragraphs: ReportParagraph[];
  defaultPortion: string;
  context: MarkingContext | null;
  onChange(next: ReportParagraph[]): void;
  testId: string;
}) {
  const set = (index: number, change: Partial<ReportParagraph>) =>
    onChange(paragraphs.map((p, i) => (i === index ? { ...p, ...change } : p)));
  return (
    <div className="report-draft-paragraphs" data-testid={testId}>
      {paragraphs.map((paragraph, index) => (
        <div key={index} className="report-draft-paragraph" data-testid={`${testId}-${index}`}>
          <PortionField
            what={`paragraph ${index + 1} of “${sectionTitle}”`}
            value={paragraph.portion}
            context={context}
            onChange={(portion) => set(index, { portion })}
            testId={`${testId}-${index}-portion`}
          />
          <label className="report-draft-paragraph__text">
            <span>
              Paragraph {index + 1} of “{sectionTitle}”
            </span>
            <textarea
              className="field"
              rows={3}
              maxLength={20_000}
              value={paragraph.text}
              onChange={(e) => set(index, { text: e.currentTarget.value })}
              data-testid={`${testId}-${index}-text`}
            />
          </label>
          <button
            type="button"
            className="button button--small"
            onClick={() => onChange(paragraphs.filter((_, i) => i !== index))}
            aria-label={`Remove paragraph ${index + 1} of ${sectionTitle}`}
            data-testid={`${testId}-${index}-remove`}
          >
            Remove paragraph
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button--small"
        disabled={paragraphs.length >= MAX_SECTION_PARAGRAPHS}
        onClick={() => onChange([...paragraphs, { portion: defaultPortion, text: '' }])}
        data-testid={`${testId}-add`}
      >
        Add a paragraph
      </button>
    </div>
  );
}
