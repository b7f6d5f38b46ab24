import { useEffect, useId, useState } from 'react';
import {
  BANNER_PALETTE,
  bannerLevel,
  DISSEM_CONTROLS,
  formatBanner,
  formatPortion,
  normalize,
  UNCLASSIFIED,
  type Marking,
} from '../../common/markings';
import { AEA_TITLES } from '../../common/markings/vocabulary';
import { AddTokenForm } from './AddTokenForm';
import { Choice } from './Choice';
import { CountryPicker } from './CountryPicker';
import {
  aeaChoice,
  classificationChoice,
  consider,
  describeIssue,
  formatCompartments,
  parseCompartments,
  readTypedMarking,
  type AeaChoice,
  type ClassificationChoice,
  type MarkingContext,
} from '../../common/markings/choices';
import type { MarkingIssue } from '../../common/markings';

const CLASSIFICATION_CHOICES: { value: ClassificationChoice; label: string }[] = [
  { value: 'U', label: 'UNCLASSIFIED' },
  { value: 'C', label: 'CONFIDENTIAL' },
  { value: 'S', label: 'SECRET' },
  { value: 'TS', label: 'TOP SECRET' },
  { value: 'CUI', label: 'CUI' },
];

const AEA_CHOICES: { value: AeaChoice; label: string; hint: string }[] = [
  { value: 'none', label: 'None', hint: 'No atomic energy information' },
  { value: 'RD', label: 'RD', hint: AEA_TITLES.RD },
  { value: 'RD-CNWDI', label: 'RD-CNWDI', hint: `${AEA_TITLES.RD}-${AEA_TITLES.CNWDI}` },
  { value: 'FRD', label: 'FRD', hint: AEA_TITLES.FRD },
];

const COMMON_CUI_CATEGORIES = ['SP-PRVCY', 'SP-CTI', 'PRVCY', 'EXPT'];

const testIdPart = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-');

interface SectionProps {
  marking: Marking;
  context: MarkingContext;
  onChoose(next: Marking): void;
}

/** Compartments text in canonical order, so `P-G` and `G-P` count as the same entry. */
function canonicalCompartments(system: string, text: string): string {
  return formatCompartments(
    normalize({ ...UNCLASSIFIED, sci: [{ system, compartments: parseCompartments(text) }] }).sci[0]!.compartments,
  );
}

/** The compartments typed after an SCI system (`G ABCD-XYZ`): applied as soon as they are valid. */
function CompartmentField({ system, marking, context, onChoose }: SectionProps & { system: string }) {
  const control = marking.sci.find((c) => c.system === system);
  const current = control ? formatCompartments(control.compartments) : '';
  const [draft, setDraft] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  // The marking changed elsewhere (menus, typed marking): show its compartments unless the draft already says the same.
  useEffect(() => {
    setDraft((d) => (canonicalCompartments(system, d) === current ? d : current));
    setProblem(null);
  }, [system, current]);

  function edit(text: string) {
    const value = text.toUpperCase();
    setDraft(value);
    const option = consider(marking, { type: 'compartments', system, text: value }, context);
    if (option.enabled) onChoose(option.next);
    setProblem(option.enabled || canonicalCompartments(system, value) === current ? null : option.reason);
  }

  const id = useId();
  return (
    <span className="compartments">
      <label htmlFor={id} className="visually-hidden">
        {system} compartments
      </label>
      <input
        id={id}
        type="text"
        className="compartments__input"
        placeholder={control ? 'compartments, e.g. G ABCD-XYZ' : `choose ${system} first`}
        value={draft}
        disabled={!control}
        title={
          control
            ? 'Compartments after the system: name, sub-compartments separated by spaces; compartments separated by -'
            : `Choose ${system} first`
        }
        data-testid={`sci-${system}-compartments`}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => edit(e.target.value)}
      />
      {problem && (
        <span className="field-problem" role="status" data-testid={`sci-${system}-compartments-problem`}>
          {problem}
        </span>
      )}
    </span>
  );
}

function SciSection({ marking, context, onChoose }: SectionProps) {
  const systems = [...context.policy.sciSystems].sort();
  return (
    <fieldset className="picker__group" data-testid="picker-sci">
      <legend>SCI control systems</legend>
      {systems.map((system) => {
        const on = marking.sci.some((c) => c.system === system);
        return (
          <div className="sci-row" key={system}>
            <Choice
              type="checkbox"
              checked={on}
              option={consider(marking, { type: 'sci', system, on: !on }, context)}
              onChoose={onChoose}
              testId={`sci-${system}`}
            >
              {system}
            </Choice>
            <CompartmentField system={system} marking={marking} context={context} onChoose={onChoose} />
          </div>
        );
      })}
    </fieldset>
  );
}

function SapSection({ marking, context, onChoose }: SectionProps) {
  return (
    <fieldset className="picker__group" data-testid="picker-sap">
      <legend>Special access programs</legend>
      <div className="country-chips">
        {marking.sap.map((program) => {
          const removal = consider(marking, { type: 'sap', id: program, on: false }, context);
          return (
            <button
              type="button"
              key={program}
              className="country-chip"
              aria-label={`Remove SAR-${program}`}
              disabled={!removal.enabled}
              title={removal.reason || undefined}
              onClick={() => onChoose(removal.next)}
            >
              SAR-{program} <span aria-hidden="true">×</span>
            </button>
          );
        })}
        {marking.sap.length === 0 && <span className="muted">none</span>}
      </div>
      <AddTokenForm
        tokenOf={(draft) => draft.trim().toUpperCase().replace(/^SAR-/, '')}
        consider={(id) => consider(marking, { type: 'sap', id, on: true }, context)}
        emptyReason="Type a program identifier"
        prefix="SAR-"
        ariaLabel="SAP program identifier"
        placeholder="program"
        testId="sap-input"
        buttonText="Add program"
        onChoose={onChoose}
      />
    </fieldset>
  );
}

function AeaSection({ marking, context, onChoose }: SectionProps) {
  const current = aeaChoice(marking);
  const name = useId();
  return (
    <fieldset className="picker__group" data-testid="picker-aea" role="radiogroup" aria-label="Atomic energy (AEA)">
      <legend>Atomic energy (AEA)</legend>
      {AEA_CHOICES.map(({ value, label, hint }) => (
        <Choice
          key={value}
          type="radio"
          name={name}
          value={value}
          checked={current === value}
          option={consider(marking, { type: 'aea', value }, context)}
          onChoose={onChoose}
          hint={hint}
          testId={`aea-${value}`}
        >
          {label}
        </Choice>
      ))}
    </fieldset>
  );
}

function FgiSection({ marking, context, onChoose }: SectionProps) {
  const on = marking.fgi !== null;
  return (
    <fieldset className="picker__group" data-testid="picker-fgi">
      <legend>Foreign government information</legend>
      <Choice
        type="checkbox"
        checked={on}
        option={consider(marking, { type: 'fgi', on: !on }, context)}
        onChoose={onChoose}
        testId="fgi"
        hint="Classified information from a foreign government"
      >
        FGI
      </Choice>
      {on && (
        <p className="picker__hint">
          {marking.fgi!.countries.length === 0
            ? 'No source country chosen: the source is concealed.'
            : `Source: ${marking.fgi!.countries.join(', ')}`}
        </p>
      )}
    </fieldset>
  );
}

function DissemSection({ marking, context, onChoose }: SectionProps) {
  const cui = marking.cui !== null;
  const controls = DISSEM_CONTROLS.filter((d) => d.scope === 'both' || d.scope === (cui ? 'cui' : 'us'));
  return (
    <fieldset className="picker__group" data-testid="picker-dissem">
      <legend>{cui ? 'Limited dissemination controls' : 'Dissemination controls'}</legend>
      {controls.map((spec) => {
        const on = marking.dissem.includes(spec.flag);
        return (
          <Choice
            key={spec.flag}
            type="checkbox"
            checked={on}
            option={consider(marking, { type: 'dissem', flag: spec.flag, on: !on }, context)}
            onChoose={onChoose}
            hint={spec.aliases[0]}
            testId={`dissem-${testIdPart(spec.flag)}`}
          >
            {spec.title}
            {spec.abbrev !== spec.title && (
              <span className="choice__abbrev" aria-hidden="true">
                {' '}
                ({spec.abbrev})
              </span>
            )}
          </Choice>
        );
      })}
    </fieldset>
  );
}

function CuiSection({ marking, context, onChoose }: SectionProps) {
  const categories = marking.cui?.categories ?? [];
  const listed = [...COMMON_CUI_CATEGORIES, ...categories.filter((c) => !COMMON_CUI_CATEGORIES.includes(c))];
  return (
    <fieldset className="picker__group" data-testid="picker-cui">
      <legend>CUI categories</legend>
      {listed.map((c) => {
        const on = categories.includes(c);
        return (
          <Choice
            key={c}
            type="checkbox"
            checked={on}
            option={consider(marking, { type: 'cui', category: c, on: !on }, context)}
            onChoose={onChoose}
            testId={`cui-${testIdPart(c)}`}
          >
            {c}
          </Choice>
        );
      })}
      <AddTokenForm
        tokenOf={(draft) => draft.trim().toUpperCase()}
        consider={(category) => consider(marking, { type: 'cui', category, on: true }, context)}
        emptyReason="Type a category"
        ariaLabel="CUI category"
        placeholder="e.g. SP-EXPT, PROCURE"
        testId="cui-input"
        buttonText="Add category"
        onChoose={onChoose}
      />
    </fieldset>
  );
}

/** The typed text and its problems, and the value it was typed against (see MarkingPicker). */
interface Draft {
  text: string;
  issues: MarkingIssue[];
  base: Marking;
}

function TypedMarking({ draft, onType }: { draft: Draft; onType(text: string): void }) {
  const { text, issues } = draft;
  const id = useId();
  const errorsId = useId();
  return (
    <div className="typed-marking">
      <label htmlFor={id}>Type a marking</label>
      <input
        id={id}
        type="text"
        className="typed-marking__input"
        value={text}
        spellCheck={false}
        autoComplete="off"
        placeholder="SECRET//NOFORN or (S//NF)"
        aria-invalid={issues.length > 0}
        aria-describedby={issues.length > 0 ? errorsId : undefined}
        data-testid="marking-input"
        onChange={(e) => onType(e.target.value)}
      />
      {issues.length > 0 && (
        <ul className="marking-errors" id={errorsId} data-testid="marking-errors" aria-live="polite">
          {issues.map((issue, index) => (
            <li key={`${index}:${issue.position}:${issue.message}`}>{describeIssue(issue)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The service's word on the marking shown, when the picker's owner asks the service. */
export interface PickerVerdict {
  status: 'pending' | 'ok' | 'error';
  /** The banner line the verdict is for. */
  banner: string;
  message: string;
  issues: readonly { path: string; message: string }[];
}

function Preview({ marking, verdict }: { marking: Marking; verdict: PickerVerdict | null | undefined }) {
  const palette = BANNER_PALETTE[bannerLevel(marking)];
  const banner = formatBanner(marking);
  return (
    <div className="picker__preview">
      <div
        className="picker__banner"
        data-testid="picker-banner"
        data-level={bannerLevel(marking)}
        aria-label={`Banner line: ${banner}`}
        role="status"
        style={{ backgroundColor: palette.background, color: palette.foreground }}
      >
        {banner}
      </div>
      <div className="picker__facts">
        <span>
          <span className="muted">Portion mark </span>
          <code data-testid="picker-portion">{formatPortion(marking)}</code>
        </span>
        {verdict !== undefined && (
          <span
            className={`verdict verdict--${verdict?.status ?? 'pending'}`}
            data-testid="marking-verdict"
            data-status={verdict?.status ?? 'pending'}
            data-banner={verdict?.banner ?? ''}
          >
            {verdict?.message ?? 'Asking the service…'}
            {verdict?.issues.map((issue) => (
              <span key={`${issue.path}:${issue.message}`} className="verdict__issue">
                {issue.message}
              </span>
            ))}
          </span>
        )}
      </div>
    </div>
  );
}

export interface MarkingPickerProps {
  /** The marking shown: the picker holds none of its own, so several pickers on a screen stay apart. */
  value: Marking;
  /** Called with every new marking the menus build or a typed marking loads; always a valid one. */
  onChange(next: Marking): void;
  /** The site's marking policy and system high (MarkingPolicyState's context). */
  context: MarkingContext;
  /**
   * The service's word on `value`, shown beside the portion mark: null while it is being asked;
   * leave it out where the owner does not ask the service.
   */
  verdict?: PickerVerdict | null;
  /** Names the picker for assistive technology when a screen has more than one. */
  label?: string;
}

/**
 * Builds classification markings from menus and shows their banner line and portion mark as you
 * go. Only valid markings can be built: every entry that would break a CAPCO rule, a site policy
 * or the system high is disabled with its reason, and entries fix their dependents (NOFORN clears
 * REL TO, HCS brings NOFORN, …). A typed marking that parses is loaded into the menus.
 */
export function MarkingPicker({ value: marking, onChange, context, verdict, label }: MarkingPickerProps) {
  const classificationName = useId();
  // What was typed belongs to the value it was typed against: once the value changes from outside
  // (the owner, another control), the field shows the new value's banner line.
  const [typed, setTyped] = useState<Draft>(() => ({ text: formatBanner(marking), issues: [], base: marking }));
  const draft: Draft = typed.base === marking ? typed : { text: formatBanner(marking), issues: [], base: marking };

  const onChoose = (next: Marking) => {
    setTyped({ text: formatBanner(next), issues: [], base: next });
    onChange(next);
  };
  const onType = (text: string) => {
    const read = readTypedMarking(text, context);
    if (read.status === 'ok') {
      setTyped({ text, issues: [], base: read.marking });
      onChange(read.marking);
    } else setTyped({ text, issues: read.status === 'invalid' ? read.issues : [], base: marking });
  };

  const section = { marking, context, onChoose };
  const current = classificationChoice(marking);
  return (
    <div className="picker" data-testid="marking-picker" role={label ? 'group' : undefined} aria-label={label}>
      <Preview marking={marking} verdict={verdict} />
      <p className="picker__hint">
        System high <span data-testid="picker-system-high">{context.systemHighText}</span>: choices above it, and
        combinations the marking rules forbid, are disabled (hover for the reason).
      </p>
      <TypedMarking draft={draft} onType={onType} />
      <div className="picker__grid">
        <div className="picker__stack">
          <fieldset
            className="picker__group"
            data-testid="picker-classification"
            role="radiogroup"
            aria-label="Classification"
          >
            <legend>Classification</legend>
            {CLASSIFICATION_CHOICES.map(({ value, label }) => (
              <Choice
                key={value}
                type="radio"
                name={classificationName}
                value={value}
                checked={current === value}
                option={consider(marking, { type: 'classification', value }, context)}
                onChoose={onChoose}
                testId={`class-${value}`}
              >
                {label}
              </Choice>
            ))}
          </fieldset>
          <DissemSection {...section} />
        </div>
        <div className="picker__stack">
          {marking.cui ? (
            <CuiSection {...section} />
          ) : (
            <>
              <SciSection {...section} />
              <AeaSection {...section} />
            </>
          )}
        </div>
        {!marking.cui && (
          <div className="picker__stack">
            <SapSection {...section} />
            <FgiSection {...section} />
          </div>
        )}
        <CountryPicker
          list="relTo"
          legend="REL TO"
          hint="USA comes first and is implied."
          marking={marking}
          context={context}
          onChoose={onChoose}
        />
        <CountryPicker
          list="displayOnly"
          legend="DISPLAY ONLY"
          hint="Countries it may be shown to, not released to."
          marking={marking}
          context={context}
          onChoose={onChoose}
        />
        {marking.fgi && (
          <CountryPicker
            list="fgi"
            legend="FGI source countries"
            hint="Leave empty to conceal the source."
            marking={marking}
            context={context}
            onChoose={onChoose}
          />
        )}
      </div>
    </div>
  );
}
