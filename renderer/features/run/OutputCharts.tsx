import { useMemo } from 'react';
import uPlot from 'uplot';
import type { OutputStatistics } from '../../../common/engine/statistics';
import { cdfCurve } from './cdf-curve';
import { Chart, themedAxes } from './Chart';
import { formatNumber } from './format';

const ACCENT = '#4c8dd6';
/** The bands: the central 90% (P5 to P95) and, darker within it, the central 50% (P25 to P75). */
const BAND_90 = 'rgba(217, 130, 43, 0.14)';
const BAND_50 = 'rgba(217, 130, 43, 0.22)';

/** Shades the 90% and 50% bands of the output's values behind the chart's series. */
function bandsHook(stats: OutputStatistics): uPlot.Hooks.Arrays {
  const { p5, p25, p75, p95 } = stats.percentiles;
  return {
    drawClear: [
      (u: uPlot) => {
        const { top, height } = u.bbox;
        const shade = (lo: number, hi: number, color: string) => {
          const left = u.valToPos(lo, 'x', true);
          const right = u.valToPos(hi, 'x', true);
          u.ctx.fillStyle = color;
          // At least a pixel wide: a band of tied values (lo = hi) still shows.
          u.ctx.fillRect(left, top, Math.max(right - left, 1), height);
        };
        u.ctx.save();
        shade(p5, p95, BAND_90);
        shade(p25, p75, BAND_50);
        u.ctx.restore();
      },
    ],
  };
}

/** The histogram (50 equal bins, as share of iterations) and the S-curve of one output, with their bands. */
export function OutputCharts({ output, stats }: { output: string; stats: OutputStatistics }) {
  const histogram = useMemo(() => {
    const { edges, counts } = stats.histogram;
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const centers = counts.map((_, i) => (edges[i]! + edges[i + 1]!) / 2);
    const data: uPlot.AlignedData = [centers, counts.map((c) => (100 * c) / total)];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: {
        x: { time: false, range: [edges[0]!, edges[edges.length - 1]!] },
        y: { range: (_u, _min, max) => [0, max * 1.05] },
      },
      axes: themedAxes(output, '% of iterations'),
      legend: { show: false },
      cursor: { show: false },
      hooks: bandsHook(stats),
      series: [
        {},
        {
          label: '% of iterations',
          fill: 'rgba(76, 141, 214, 0.55)',
          stroke: ACCENT,
          width: 1,
          points: { show: false },
          paths: uPlot.paths.bars!({ size: [1, Infinity], gap: 1 }),
        },
      ],
    };
    return { data, options };
  }, [output, stats]);

  const cdf = useMemo(() => {
    const curve = cdfCurve(stats.cdf);
    const data: uPlot.AlignedData = [curve.x, curve.percent];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: { x: { time: false }, y: { range: [0, 100] } },
      axes: themedAxes(output, 'cumulative %'),
      legend: { show: false },
      cursor: { show: false },
      hooks: bandsHook(stats),
      series: [
        {},
        {
          label: 'cumulative %',
          stroke: ACCENT,
          width: 2,
          points: { show: curve.x.length === 1 },
          ...(curve.stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
        },
      ],
    };
    return { data, options };
  }, [output, stats]);

  if (stats.count === 0)
    return (
      <p className="muted charts" data-testid={`charts-none-${output}`}>
        No chart: {output} had no finite value.
      </p>
    );
  const { p5, p25, p75, p95, p50 } = stats.percentiles;
  const range = `from ${formatNumber(stats.min)} to ${formatNumber(stats.max)}`;
  const bands = `90% band ${formatNumber(p5)} to ${formatNumber(p95)}, 50% band ${formatNumber(p25)} to ${formatNumber(p75)}`;
  return (
    <div className="charts">
      <figure className="chart-figure">
        <figcaption>Histogram</figcaption>
        <Chart
          label={`Histogram of ${output}: ${stats.histogram.counts.length} bins ${range}; ${bands}`}
          testId={`histogram-${output}`}
          data={histogram.data}
          options={histogram.options}
        />
      </figure>
      <figure className="chart-figure">
        <figcaption>Cumulative distribution (S-curve)</figcaption>
        <Chart
          label={`Cumulative distribution of ${output} ${range}; median ${formatNumber(p50)}; ${bands}`}
          testId={`cdf-${output}`}
          data={cdf.data}
          options={cdf.options}
        />
      </figure>
      <p className="muted chart-bands" data-testid={`bands-${output}`}>
        Shaded: the central 90% of iterations (P5 {formatNumber(p5)} to P95 {formatNumber(p95)}) and, darker, the
        central 50% (P25 {formatNumber(p25)} to P75 {formatNumber(p75)}).
      </p>
    </div>
  );
}
