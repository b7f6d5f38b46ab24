import { useMemo, type ReactNode } from 'react';
import type { DistributionSpec, Modifiers } from '../../../common/engine/distributions/catalog';
import { previewDistribution, type DistributionPreview as Preview } from '../../../common/engine/distributions/preview';

const WIDTH = 320;
const HEIGHT = 150;
const PAD = { left: 8, right: 8, top: 8, bottom: 22 };

/** A number as the preview shows it: four significant digits, "—" where there is none. */
export function formatStat(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const text =
    Math.abs(x) >= 1e6 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : String(Number(x.toPrecision(5)));
  return text.replace('-', '−');
}

function scale(range: [number, number], [from, to]: [number, number]) {
  const span = range[1] - range[0] || 1;
  return (v: number) => from + ((v - range[0]) / span) * (to - from);
}

/** The density (bars for a discrete distribution) or the CDF as an SVG chart with its x range under it. */
function Curve({ preview, which }: { preview: Preview; which: 'density' | 'cdf' }) {
  const points = which === 'density' ? preview.density : preview.cdf;
  const x = scale(preview.discrete ? padded(preview.range) : preview.range, [PAD.left, WIDTH - PAD.right]);
  // A density that runs off to infinity at an end (gamma with shape < 1) is cut at the largest value inside.
  const inner = points.slice(2, -2).map((p) => p[1]);
  const top = which === 'cdf' ? 1 : Math.max(...(inner.length > 0 ? inner : points.map((p) => p[1])), 1e-300) * 1.08;
  const y = (v: number) => HEIGHT - PAD.bottom - (Math.min(v, top) / top) * (HEIGHT - PAD.top - PAD.bottom);
  const base = HEIGHT - PAD.bottom;
  let shape: ReactNode;
  if (preview.discrete && which === 'density') {
    const width = Math.max(1.5, Math.min(14, (WIDTH - PAD.left - PAD.right) / (points.length * 1.6)));
    shape = points.map(([px, py]) => (
      <rect key={px} x={x(px) - width / 2} y={y(py)} width={width} height={base - y(py)} className="preview__bar" />
    ));
  } else if (preview.discrete) {
    // A discrete CDF is a staircase.
    let d = `M ${PAD.left} ${base}`;
    for (const [px, py] of points) d += ` H ${x(px)} V ${y(py)}`;
    d += ` H ${WIDTH - PAD.right}`;
    shape = <path d={d} className="preview__line" />;
  } else {
    const line = points
      .map(([px, py], i) => `${i === 0 ? 'M' : 'L'} ${x(px).toFixed(1)} ${y(py).toFixed(1)}`)
      .join(' ');
    shape =
      which === 'density' ? (
        <>
          <path
            d={`${line} L ${x(points[points.length - 1]![0])} ${base} L ${x(points[0]![0])} ${base} Z`}
            className="preview__area"
          />
          <path d={line} className="preview__line" />
        </>
      ) : (
        <path d={line} className="preview__line" />
      );
  }
  const title = which === 'density' ? (preview.discrete ? 'Probabilities' : 'Density (PDF)') : 'Cumulative (CDF)';
  const [from, to] = preview.discrete
    ? preview.range
    : [preview.density[0]![0], preview.density[preview.density.length - 1]![0]];
  return (
    <figure className="preview__chart" data-testid={`preview-${which}`}>
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${title} from ${formatStat(from)} to ${formatStat(to)}`}
      >
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={base} y2={base} className="preview__axis" />
        {shape}
        <text x={PAD.left} y={HEIGHT - 6} className="preview__tick">
          {formatStat(from)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="preview__tick">
          {formatStat(to)}
        </text>
      </svg>
    </figure>
  );
}

function padded([a, b]: [number, number]): [number, number] {
  const pad = b > a ? 0.06 * (b - a) : 1;
  return [a - pad, b + pad];
}

/**
 * The live preview of an input's distribution: PDF and CDF, mean, standard deviation and
 * percentiles of what the engine will sample (truncation and shift applied). Shown only for
 * parameters the schema accepts; otherwise the fields say what to fix.
 */
export function DistributionPreview({ spec, modifiers }: { spec: DistributionSpec | null; modifiers: Modifiers }) {
  const result = useMemo(() => {
    if (!spec) return null;
    try {
      return { preview: previewDistribution(spec, modifiers) };
    } catch (error) {
      return { problem: error instanceof RangeError ? error.message : 'the preview could not be drawn' };
    }
  }, [spec, modifiers]);
  if (!result)
    return (
      <p className="muted preview" data-testid="preview-waiting">
        The preview shows once the parameters are valid.
      </p>
    );
  if ('problem' in result)
    return (
      <p className="field-problem preview" data-testid="preview-problem">
        {result.problem}
      </p>
    );
  const { preview } = result;
  return (
    <div className="preview" data-testid="distribution-preview">
      <div className="preview__charts">
        <Curve preview={preview} which="density" />
        <Curve preview={preview} which="cdf" />
      </div>
      <table className="table preview__stats" data-testid="preview-stats">
        <caption className="visually-hidden">Statistics of the distribution</caption>
        <thead>
          <tr>
            <th scope="col">Mean</th>
            <th scope="col">SD</th>
            {preview.percentiles.map(({ p }) => (
              <th scope="col" key={p}>
                P{Math.round(p * 100)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td data-testid="preview-mean">{formatStat(preview.mean)}</td>
            <td data-testid="preview-sd">{formatStat(preview.sd)}</td>
            {preview.percentiles.map(({ p, x }) => (
              <td key={p} data-testid={`preview-p${Math.round(p * 100)}`}>
                {formatStat(x)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
