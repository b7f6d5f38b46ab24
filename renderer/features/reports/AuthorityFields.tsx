import type { AuthorityBlock } from '../../../common/report/report-definition';
import type { DraftAuthority } from '../../state/report-draft';

const FIELDS: { key: keyof AuthorityBlock; label: string }[] = [
  { key: 'classifiedBy', label: 'Classified By' },
  { key: 'derivedFrom', label: 'Derived From' },
  { key: 'declassifyOn', label: 'Declassify On' },
];

/**
 * The classification authority block page 1 of a classified report carries: the analyst's, or (all
 * three left empty) the site's defaults, which the service's verdict shows as placeholders.
 */
export function AuthorityFields({
  value,
  defaults,
  onChange,
}: {
  value: DraftAuthority;
  defaults: AuthorityBlock | null;
  onChange(next: DraftAuthority): void;
}) {
  return (
    <fieldset className="report-authority-fields" data-testid="report-authority-fields">
      <legend>Classification authority (printed on page 1 of a classified report)</legend>
      {FIELDS.map(({ key, label }) => (
        <label key={key} className="field-group">
          {label}
          <input
            className="field"
            maxLength={300}
            value={value[key]}
            placeholder={defaults?.[key] ?? ''}
            onChange={(e) => onChange({ ...value, [key]: e.currentTarget.value })}
            data-testid={`report-authority-${key}`}
          />
        </label>
      ))}
      <p className="muted">
        {defaults
          ? 'Left empty, the three fields are the site’s defaults shown in grey; fill all three to use your own.'
          : 'Fill all three for a classified report (this site sets no defaults).'}
      </p>
    </fieldset>
  );
}
