import { describe, expect, it } from 'vitest';
import type { ReportChart } from '../../../common/report/report-document';
import { CHART_WIDTH } from '../../../renderer/features/reports/document/charts/chart-frame';
import { histogramGeometry } from '../../../renderer/features/reports/document/charts/histogram-geometry';
import { linesGeometry } from '../../../renderer/features/reports/document/charts/lines-geometry';
import { seriesStyle } from '../../../renderer/features/reports/document/charts/series-style';
import { tornadoGeometry } from '../../../renderer/features/reports/document/charts/tornado-geometry';

type Lines = Extract<ReportChart, { kind: 'lines' }>;
type Histogram = Extract<ReportChart, { kind: 'histogram' }>;
type Tornado = Extract<ReportChart, { kind: 'tornado' }>;

/** The coordinates of an SVG path of M and L commands, one array per subpath. */
function subpaths(d: string): [number, number][][] {
  return d
    .split('M')
    .filter((part) => part.trim())
    .map((part) => part.split('L').map((pair) => pair.trim().split(' ').map(Number) as [number, number]));
}

describe('lines chart geometry', () => {
  const chart: Lines = {
    kind: 'lines',
    xLabel: 'Total cost',
    yLabel: 'Probability',
    series: [
      {
        label: 'Baseline',
        points: [
          [80, 0],
          [100, 0.5],
          [120, 1],
        ],
      },
      {
        label: 'Mitigated',
        points: [
          [80, 0.1],
          [100, 0.7],
          [120, 1],
        ],
      },
    ],
  };

  it('draws every point inside the plot area, larger values higher', () => {
    const g = linesGeometry(chart);
    for (const path of g.paths)
      for (const [x, y] of subpaths(path.d)[0]!) {
        expect(x).toBeGreaterThanOrEqual(g.area.left);
        expect(x).toBeLessThanOrEqual(g.area.right);
        expect(y).toBeGreaterThanOrEqual(g.area.top);
        expect(y).toBeLessThanOrEqual(g.area.bottom);
      }
    const [first, , last] = subpaths(g.paths[0]!.d)[0]!;
    expect(last![1]).toBeLessThan(first![1]);
    expect(g.legend.map((item) => item.label)).toEqual(['Baseline', 'Mitigated']);
  });

  it('widens the left margin for long y tick labels, so they do not run off the drawing', () => {
    const g = linesGeometry({
      ...chart,
      series: [
        {
          label: 'x',
          points: [
            [0, 0],
            [1, 48_000_000],
          ],
        },
      ],
    });
    const widest = Math.max(...g.yTicks.map((t) => t.label.length * 6.1));
    expect(g.yTicks.at(-1)!.label).toBe('50,000,000');
    // Labels end 6 units left of the plot; the rotated y label needs about 20 units from the edge.
    expect(g.area.left - 6 - widest).toBeGreaterThanOrEqual(20);
  });

  it('breaks a line at a missing value instead of joining across it', () => {
    const g = linesGeometry({
      ...chart,
      series: [
        {
          label: 'x',
          points: [
            [1, 1],
            [2, Number.NaN],
            [3, 2],
            [4, 3],
          ],
        },
      ],
    });
    expect(subpaths(g.paths[0]!.d).map((p) => p.length)).toEqual([1, 2]);
    expect(g.legend).toEqual([]);
  });

  it('on a log x axis, leaves out points at or below zero and ticks at powers of ten', () => {
    const g = linesGeometry({
      ...chart,
      xScale: 'log',
      series: [
        {
          label: 'Mean',
          points: [
            [0, 5],
            [100, 5],
            [1000, 6],
            [100_000, 7],
          ],
        },
      ],
    });
    expect(subpaths(g.paths[0]!.d)[0]).toHaveLength(3);
    // The last label, centred on the right edge, stays inside the drawing (about 6 units a character at 11).
    const last = g.xTicks.at(-1)!;
    expect(last.at + (last.label.length * 6.1) / 2).toBeLessThanOrEqual(CHART_WIDTH);
    expect(g.xTicks.map((t) => t.label)).toEqual(['100', '1,000', '10,000', '100,000']);
    const at = g.xTicks.map((t) => t.at);
    // Decades are evenly spaced.
    expect(at[2]! - at[1]!).toBeCloseTo(at[1]! - at[0]!, 6);
  });
});

describe('histogram geometry', () => {
  const edges = [0, 10, 20, 30];
  const histogram = (series: number): Histogram => ({
    kind: 'histogram',
    xLabel: 'x',
    yLabel: 'count',
    edges,
    series: Array.from({ length: series }, (_, s) => ({ label: `run ${s + 1}`, values: [1, 4 + s, 0] })),
  });

  it('stands up to three series side by side within each bin, without overlap', () => {
    const g = histogramGeometry(histogram(2));
    const bin0 = g.bars.filter((b) => b.x < g.bars.find((bb) => bb.series === 0 && bb !== g.bars[0])!.x);
    expect(bin0.map((b) => b.series)).toEqual([0, 1]);
    expect(bin0[0]!.x + bin0[0]!.width).toBeCloseTo(bin0[1]!.x, 6);
    // A zero draws nothing: two bins of two series.
    expect(g.bars).toHaveLength(4);
    // Heights in proportion to the values, from the axis's zero.
    const tallest = Math.max(...g.bars.map((b) => b.height));
    const five = g.bars.find((b) => b.series === 1 && b.height === tallest)!;
    expect(five.y + five.height).toBeCloseTo(g.area.bottom, 6);
    const one = g.bars.find((b) => b.series === 0)!;
    expect(one.height / five.height).toBeCloseTo(1 / 5, 6);
  });

  it('overlays more than three series, each the bin’s full width', () => {
    const g = histogramGeometry(histogram(4));
    const widths = new Set(g.bars.map((b) => Math.round(b.width * 100)));
    expect(widths.size).toBe(1);
    const firstBin = g.bars.slice(0, 4);
    expect(new Set(firstBin.map((b) => b.x)).size).toBe(1);
  });
});

describe('tornado geometry', () => {
  const tornado: Tornado = {
    kind: 'tornado',
    xLabel: 'Mean cost',
    baseline: 100,
    bars: [
      { label: 'Labour', low: 80, high: 125 },
      { label: 'Steel', low: 110, high: 95 },
      { label: 'Fuel', low: 100, high: 104 },
    ],
  };

  it('runs each bar from the baseline to the low and the high values, biggest first at the top', () => {
    const g = tornadoGeometry(tornado);
    const [labour, steel, fuel] = g.rows;
    expect(labour!.y).toBeLessThan(steel!.y);
    expect(labour!.low!.x + labour!.low!.width).toBeCloseTo(g.baselineX, 6);
    expect(labour!.high!.x).toBeCloseTo(g.baselineX, 6);
    // An input whose low raises the statistic draws its low bar right of the baseline.
    expect(steel!.low!.x).toBeCloseTo(g.baselineX, 6);
    expect(steel!.high!.x + steel!.high!.width).toBeCloseTo(g.baselineX, 6);
    expect(fuel!.low).toBeNull();
    expect(g.xTicks[0]!.at).toBeLessThanOrEqual(labour!.low!.x);
  });

  it('cuts a long input name to the room left of the bars', () => {
    const long = 'Integration and test effort of the harbour crane control software, second increment';
    const g = tornadoGeometry({ ...tornado, bars: [{ label: long, low: 90, high: 110 }] });
    const label = g.rows[0]!.label;
    expect(label.endsWith('…')).toBe(true);
    expect(long.startsWith(label.slice(0, -1))).toBe(true);
    expect(label.length * 6.1).toBeLessThanOrEqual(g.area.left - 6);
    expect(tornadoGeometry(tornado).rows[0]!.label).toBe('Labour');
  });

  it('grows taller for many inputs instead of squeezing the bars', () => {
    const many = {
      ...tornado,
      bars: Array.from({ length: 30 }, (_, i) => ({ label: `in ${i}`, low: 90 - i, high: 110 + i })),
    };
    const g = tornadoGeometry(many);
    expect(g.height).toBeGreaterThan(360);
    expect(g.rows[1]!.y - g.rows[0]!.y).toBeGreaterThanOrEqual(20);
  });
});

describe('series styles', () => {
  it('differ in dash as well as colour, so a greyscale print tells the series apart', () => {
    const styles = Array.from({ length: 6 }, (_, i) => seriesStyle(i));
    expect(new Set(styles.map((s) => s.dash)).size).toBe(6);
    expect(new Set(styles.map((s) => s.color)).size).toBe(6);
    // Lightness (Rec. 709 luma) of neighbouring colours differs by at least 15 %.
    const luma = (hex: string) => {
      const n = Number.parseInt(hex.slice(1), 16);
      return (0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
    };
    for (let i = 1; i < styles.length; i++)
      expect(Math.abs(luma(styles[i]!.color) - luma(styles[i - 1]!.color))).toBeGreaterThan(0.15);
  });
});
