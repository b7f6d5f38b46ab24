import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart (canvas; it styles its own elements through the CSSOM only, so it runs under
 * the strict CSP) that follows its container's width; `data-drawn` is set once it is drawn. The canvas is one image to assistive
 * technology, described by `label`; the numbers themselves are in the tables beside it.
 */
interface Props {
  label: string;
  testId: string;
  data: uPlot.AlignedData;
  options: Omit<uPlot.Options, 'width' | 'height'>;
  height?: number;
}

const THEME = { axis: '#9aa3ad', grid: '#343b43' };

/** Axes in the app's colors; `x` and `y` name what is on them. */
export function themedAxes(x: string, y: string, yValues?: uPlot.Axis['values']): uPlot.Axis[] {
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: THEME.axis,
    grid: { stroke: THEME.grid, width: 1 },
    ticks: { stroke: THEME.grid, width: 1 },
  });
  return [axis(x), { ...axis(y), ...(yValues ? { values: yValues } : {}) }];
}

export function Chart({ label, testId, data, options, height = 240 }: Props) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const width = () => Math.max(240, Math.floor(element.clientWidth));
    let plot: uPlot | null = null;
    const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height }));
    // Each chart is drawn in a task of its own, after the screen's commit: a results screen of many
    // charts never holds the page for long (the run screen's long-task target is 50 ms).
    const timer = setTimeout(() => {
      plot = new uPlot({ ...options, width: width(), height }, data, element);
      resize.observe(element);
      element.dataset.drawn = 'true';
    }, 0);
    return () => {
      clearTimeout(timer);
      resize.disconnect();
      plot?.destroy();
      delete element.dataset.drawn;
    };
  }, [data, options, height]);
  return <div ref={container} className="chart" role="img" aria-label={label} data-testid={testId} />;
}
