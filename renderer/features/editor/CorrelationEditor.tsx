import { useMemo, useRef, type RefObject } from 'react';
import type { MarkingContext } from '../../../common/markings/choices';
import type { Model } from '../../../common/model/model';
import {
  checkMatrix,
  correlationColour,
  correlationGrid,
  correlationsFromGrid,
  setCorrelation,
} from './correlation-matrix';
import { formatStat } from './DistributionPreview';
import { PortionMarkField } from './PortionMarkField';
import { TextField } from './TextField';
import { withOptional } from './model-edits';

/** The most inputs the grid shows at once: beyond it a matrix is unreadable on a screen. */
const GRID_LIMIT = 30;

const asRank = {
  format: (v: number) => String(v),
  read: (text: string): { ok: true; value: number } | { ok: false; problem: string } => {
    const t = text.trim();
    if (t === '' || t === '-') return { ok: false, problem: 'enter a rank correlation from −1 to 1' };
    const value = Number(t);
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t) || !Number.isFinite(value))
      return { ok: false, problem: `"${t}" is not a number` };
    if (value < -1 || value > 1) return { ok: false, problem: 'a rank correlation is from −1 to 1' };
    return { ok: true, value };
  },
};

function Matrix({
  names,
  grid,
  label,
  testId,
  onSet,
  firstCell,
}: {
  names: string[];
  grid: number[][];
  label: string;
  testId: string;
  onSet?(a: string, b: string, rank: number): void;
  firstCell?: RefObject<HTMLDivElement | null>;
}) {
  return (
    <table className="matrix" data-testid={testId}>
      <caption>{label}</caption>
      <thead>
        <tr>
          <td />
          {names.map((n, j) => (
            <th key={j} scope="col">
              {n}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((a, i) => (
          <tr key={i}>
            <th scope="row">{a}</th>
            {names.map((b, j) => (
              <td
                key={j}
                style={{ background: correlationColour(grid[i]![j]!) }}
                className={i === j ? 'matrix__diagonal' : undefined}
                data-testid={`${testId}-${a}-${b}`}
              >
                {i === j || !onSet ? (
                  <span className="matrix__value">{i === j ? '1' : formatStat(grid[i]![j]!)}</span>
                ) : (
                  <div ref={i === 0 && j === 1 ? firstCell : undefined}>
                    <TextField
                      label={`Rank correlation of ${a} and ${b}`}
                      hideLabel
                      value={grid[i]![j]!}
                      {...asRank}
                      onValue={(rank) => onSet(a, b, rank)}
                      testId={`corr-${a}-${b}`}
                      className="matrix__input"
                    />
                  </div>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The correlation matrix editor: a symmetric grid of rank correlations over the inputs (setting
 * a cell sets its mirror), coloured by sign and strength, checked as the engine will use it; a
 * matrix that is not positive definite is shown beside the nearest valid one, which the analyst
 * may accept or keep editing.
 */
export function CorrelationEditor({
  doc,
  context,
  onEdit,
}: {
  doc: Model;
  context: MarkingContext | null;
  onEdit(change: (doc: Model) => Model, key?: string): void;
}) {
  const allNames = doc.inputs.map((i) => i.name);
  const names = allNames.slice(0, GRID_LIMIT);
  const namesKey = names.join('\u0000');
  const grid = useMemo(
    () => correlationGrid(namesKey ? namesKey.split('\u0000') : [], doc.correlations),
    [namesKey, doc.correlations],
  );
  const check = useMemo(() => checkMatrix(grid), [grid]);
  const firstCell = useRef<HTMLDivElement | null>(null);
  if (names.length < 2) return <p className="muted">Correlations need two inputs or more.</p>;
  const set = (a: string, b: string, rank: number) =>
    onEdit(
      (d) => ({ ...d, correlations: setCorrelation(d.correlations, a, b, rank) }),
      `correlations.${[a, b].sort().join('~')}`,
    );
  return (
    <div className="correlations" data-testid="correlation-editor">
      {allNames.length > GRID_LIMIT && <p className="muted">The grid shows the first {GRID_LIMIT} inputs.</p>}
      <div className="correlations__matrices">
        <Matrix
          names={names}
          grid={grid}
          label="Requested rank correlations"
          testId="matrix-requested"
          onSet={set}
          firstCell={firstCell}
        />
        {check.repaired && (
          <Matrix names={names} grid={check.repaired} label="Nearest valid matrix" testId="matrix-repaired" />
        )}
      </div>
      <div
        className={`notice correlations__check correlations__check--${check.valid ? 'ok' : 'bad'}`}
        role="status"
        data-testid="matrix-check"
        data-valid={check.valid}
      >
        {check.valid ? (
          <p>Valid: the matrix is positive definite (smallest eigenvalue {formatStat(check.smallestEigenvalue)}).</p>
        ) : (
          <>
            <p>
              These correlations cannot hold together: the matrix is not positive definite (smallest eigenvalue{' '}
              {formatStat(check.smallestEigenvalue)}). A run would use the nearest valid matrix instead.
            </p>
            {check.repaired && (
              <p className="correlations__actions">
                <button
                  type="button"
                  className="button button--primary"
                  data-testid="matrix-accept"
                  onClick={() =>
                    onEdit((d) => ({
                      ...d,
                      correlations: correlationsFromGrid(names, check.repaired!, d.correlations),
                    }))
                  }
                >
                  Accept the nearest valid matrix
                </button>
                <button
                  type="button"
                  className="button"
                  data-testid="matrix-keep-editing"
                  onClick={() => firstCell.current?.querySelector('input')?.focus()}
                >
                  Keep editing
                </button>
              </p>
            )}
          </>
        )}
      </div>
      {doc.correlations.length > 0 && (
        <ul className="correlations__marks">
          {doc.correlations.map((c, index) => (
            <li key={index}>
              <span>
                {c.a} ~ {c.b}: {c.rank}
              </span>
              <PortionMarkField
                what={`${c.a} ~ ${c.b}`}
                marking={c.marking}
                modelMarking={doc.marking}
                context={context}
                onChange={(marking) =>
                  onEdit((d) => ({
                    ...d,
                    correlations: d.correlations.map((x, i) => (i === index ? withOptional(x, 'marking', marking) : x)),
                  }))
                }
                testId={`corr-marking-${c.a}-${c.b}`}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
