import { useId, useMemo, useState } from 'react';
import { ISO_3166_TRIGRAPHS, sortCountryCodes, type Marking, type MarkingPolicy } from '../../common/markings';
import { Choice } from './Choice';
import { consider, type CountryList, type MarkingContext } from '../../common/markings/choices';

interface Entry {
  code: string;
  name: string;
  /** For tetragraphs: the member countries. */
  members?: readonly string[];
}

const NAMES = new Map(ISO_3166_TRIGRAPHS.map(([code, name]) => [code, name]));

/** The codes a site may name after USA: its trigraphs (USA itself is implied) and tetragraphs. */
function entriesFor(policy: MarkingPolicy): Entry[] {
  const trigraphs = sortCountryCodes([...policy.countries].filter((c) => c !== 'USA'));
  return [
    ...Object.keys(policy.tetragraphs)
      .sort()
      .map((code) => ({ code, name: 'tetragraph', members: policy.tetragraphs[code] ?? [] })),
    ...trigraphs.map((code) => ({ code, name: NAMES.get(code) ?? 'site code' })),
  ];
}

interface Props {
  list: CountryList;
  legend: string;
  hint: string;
  marking: Marking;
  context: MarkingContext;
  onChoose(next: Marking): void;
}

/** A searchable list of trigraphs (with names) and tetragraphs for REL TO, DISPLAY ONLY or FGI. */
export function CountryPicker({ list, legend, hint, marking, context, onChoose }: Props) {
  const [search, setSearch] = useState('');
  const searchId = useId();
  const entries = useMemo(() => entriesFor(context.policy), [context.policy]);
  const selected = (list === 'fgi' ? marking.fgi?.countries : marking[list]) ?? [];
  // Every entry is tried against the rules once per marking, not again on each keystroke of a search.
  const all = useMemo(() => {
    const chosen = (list === 'fgi' ? marking.fgi?.countries : marking[list]) ?? [];
    return entries.map((entry) => {
      const on = chosen.includes(entry.code);
      return { entry, on, option: consider(marking, { type: 'country', list, code: entry.code, on: !on }, context) };
    });
  }, [entries, marking, context, list]);
  const needle = search.trim().toLowerCase();
  const options =
    needle === ''
      ? all
      : all.filter(
          ({ entry }) => entry.code.toLowerCase().includes(needle) || entry.name.toLowerCase().includes(needle),
        );
  const blocked = options.length > 0 && options.every((o) => !o.option.enabled) ? options[0]!.option.reason : null;
  const testId = `picker-${list === 'relTo' ? 'relto' : list === 'displayOnly' ? 'displayonly' : 'fgi-countries'}`;

  return (
    <fieldset className="picker__group picker__group--countries" data-testid={testId}>
      <legend>{legend}</legend>
      <p className="picker__hint">{hint}</p>
      <div className="country-chips" aria-label={`${legend}: chosen`}>
        {list === 'relTo' && selected.length > 0 && <span className="country-chip country-chip--fixed">USA</span>}
        {selected.map((code) => {
          const removal = consider(marking, { type: 'country', list, code, on: false }, context);
          return (
            <button
              type="button"
              key={code}
              className="country-chip"
              disabled={!removal.enabled}
              title={removal.enabled ? `Remove ${code}` : removal.reason}
              aria-label={`Remove ${code} from ${legend}`}
              onClick={() => onChoose(removal.next)}
            >
              {code} <span aria-hidden="true">×</span>
            </button>
          );
        })}
        {selected.length === 0 && <span className="muted">none</span>}
      </div>
      {blocked && (
        <p className="picker__note" data-testid={`${testId}-blocked`}>
          {blocked}
        </p>
      )}
      <label className="picker__search" htmlFor={searchId}>
        <span className="visually-hidden">Search countries for {legend}</span>
        <input
          id={searchId}
          type="search"
          placeholder="Search code or name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <div className="country-list" role="group" aria-label={`${legend} countries`}>
        {options.map(({ entry, on, option }) => (
          <Choice
            key={entry.code}
            type="checkbox"
            checked={on}
            option={option}
            onChoose={onChoose}
            hint={entry.members ? entry.members.join(', ') : undefined}
            value={entry.code}
          >
            <span className="country-code">{entry.code}</span> <span className="country-name">{entry.name}</span>
          </Choice>
        ))}
        {options.length === 0 && <p className="muted">No code or name matches “{search}”.</p>}
      </div>
    </fieldset>
  );
}
