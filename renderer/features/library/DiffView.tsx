import type { ModelChange, VersionDiff } from '../../state/library-state';

const GROUPS = [
  ['inputs', 'Inputs'],
  ['correlations', 'Correlations'],
  ['formulas', 'Formulas'],
  ['outputs', 'Outputs'],
  ['model', 'The model (name, marking, settings)'],
] as const;
type Group = (typeof GROUPS)[number][0];

const KIND_WORDS: Record<ModelChange['kind'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

/** Output markings belong with the outputs; anything not in a list (name, marking, settings) with the model. */
function groupOf(path: string): Group {
  const head = path.split('.')[0];
  if (head === 'outputMarkings') return 'outputs';
  return head === 'inputs' || head === 'correlations' || head === 'formulas' || head === 'outputs' ? head : 'model';
}

/** A JSON value as an analyst reads it: `dist: {type: uniform, min: 0, max: 20}`, a string without quotes. */
function readable(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(readable).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  // An item with nothing but its name (an output without its own marking) is simply there.
  if (entries.length === 0) return 'listed';
  return entries
    .map(([key, item]) =>
      item !== null && typeof item === 'object' && !Array.isArray(item)
        ? `${key}: {${readable(item)}}`
        : `${key}: ${readable(item)}`,
    )
    .join(', ');
}

/** Before and after as the service gives them (JSON text, cut at 2,000 characters: then shown as it came). */
function shown(value: string | undefined): string {
  if (value === undefined) return '—';
  try {
    return readable(JSON.parse(value));
  } catch {
    return value;
  }
}

/** The differences between two versions, grouped as an analyst reads a model, each with its path. */
export function DiffView({ diff }: { diff: VersionDiff }) {
  const groups = GROUPS.map(([key, title]) => ({
    key,
    title,
    changes: diff.changes.filter((c) => groupOf(c.path) === key),
  })).filter((g) => g.changes.length > 0);
  return (
    <section className="library-diff" aria-labelledby="library-diff-title" data-testid="version-diff">
      <h3 id="library-diff-title">
        From version {diff.from} to version {diff.to}
      </h3>
      {groups.length === 0 && <p data-testid="diff-none">No differences: the two versions have the same content.</p>}
      {groups.map((group) => (
        <div key={group.key} data-testid={`diff-group-${group.key}`}>
          <h4>
            {group.title} ({group.changes.length})
          </h4>
          <table className="library-table library-diff__table">
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Where</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {group.changes.map((change) => (
                <tr
                  key={`${change.kind}:${change.path}`}
                  className={`library-diff__${change.kind}`}
                  data-testid="diff-change"
                  data-kind={change.kind}
                  data-path={change.path}
                >
                  <td>{KIND_WORDS[change.kind]}</td>
                  <td>
                    <code className="library-path">{change.path}</code>
                  </td>
                  <td>
                    <code>{shown(change.before)}</code>
                  </td>
                  <td>
                    <code>{shown(change.after)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
