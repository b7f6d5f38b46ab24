import { useMemo } from 'react';
import uPlot from 'uplot';
import type { OutputStatistics } from '../../../common/engine/statistics';
import { Chart, themedAxes } from './Chart';
import { formatNumber } from './format';

const ACCENT = '#4c8dd6';

/** The histogram (50 equal bins, as share of iterations) and the S-curve of one output. */
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
    const data: uPlot.AlignedData = [stats.cdf.map((point) => point.x), stats.cdf.map((point) => point.p * 100)];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: { x: { time: false }, y: { range: [0, 100] } },
      axes: themedAxes(output, 'cumulative %'),
      legend: { show: false },
      cursor: { show: false },
      series: [{}, { label: 'cumulative %', stroke: ACCENT, width: 2, points: { show: false } }],
    };
    return { data, options };
  }, [output, stats]);

  const range = `from ${formatNumber(stats.min)} to ${formatNumber(stats.max)}`;
  return (
    <div className="charts">
      <figure className="chart-figure">
        <figcaption>Histogram</figcaption>
        <Chart
          label={`Histogram of ${output}: ${stats.histogram.counts.length} bins ${range}`}
          testId={`histogram-${output}`}
          data={histogram.data}
          options={histogram.options}
        />
      </figure>
      <figure className="chart-figure">
        <figcaption>Cumulative distribution (S-curve)</figcaption>
        <Chart
          label={`Cumulative distribution of ${output} ${range}; median ${formatNumber(stats.percentiles.p50)}`}
          testId={`cdf-${output}`}
          data={cdf.data}
          options={cdf.options}
        />
      </figure>
    </div>
  );
}
