/**
 * Scales and ticks for the report's SVG charts: pure functions, so the geometry is unit-tested
 * (tests/unit/report/svg-scale.test.ts) and the JSX only draws.
 */

export interface Tick {
  value: number;
  label: string;
}

export interface Axis {
  /** The axis's extent, widened to whole ticks. */
  domain: [number, number];
  ticks: Tick[];
  scale: 'linear' | 'log';
}

/** 1, 2 or 5 times a power of ten: the step a reader counts in. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  // A hair of tolerance: 0.0004 / 4 is 1.0000000000000002e-4 in binary, which is still a step of 1.
  const fraction = raw / power - 1e-9;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return Number((nice * power).toPrecision(12));
}

/** Digits after the point that a step needs ("0.25" steps of 0.05 need 2). */
function decimalsOf(step: number): number {
  if (step >= 1) return 0;
  return Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A tick's label: fixed decimals from its step, thousands grouped, exponent form when very large or small. */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9 || (magnitude < 1e-4 && step < 1e-4))
    return value.toExponential(Math.min(3, decimalsOf(step / 10 ** Math.floor(Math.log10(magnitude)))));
  const decimals = decimalsOf(step);
  if (decimals === 0) return GROUPED.format(Math.round(value));
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
    value,
  );
}

/** The finite values' extent, or [0, 1] when there are none; a single value gets room either side. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

/** Ticks at whole steps covering [min, max], about `count` of them. */
export function linearAxis(min: number, max: number, count = 5): Axis {
  const [lo, hi] = min < max ? [min, max] : extent([min, max]);
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks: Tick[] = [];
  const n = Math.round((end - start) / step);
  for (let i = 0; i <= n; i++) {
    // Multiply, never accumulate: 0.1 + 0.2 must label as 0.3.
    const value = Number((start + i * step).toPrecision(12));
    ticks.push({ value, label: formatTick(value, step) });
  }
  return { domain: [start, end], ticks, scale: 'linear' };
}

/** Powers of ten covering [min, max] (both > 0); labels 1, 10, 100, … or 1e6 beyond a million. */
export function logAxis(min: number, max: number): Axis {
  if (!(min > 0) || !(max > 0)) throw new RangeError('a log axis needs positive values');
  const first = Math.floor(Math.log10(min) + 1e-9);
  let last = Math.ceil(Math.log10(max) - 1e-9);
  if (last === first) last = first + 1;
  const ticks: Tick[] = [];
  for (let p = first; p <= last; p++) {
    const value = Number((10 ** p).toPrecision(12));
    const label = p >= 7 || p <= -5 ? `1e${p}` : p >= 0 ? GROUPED.format(value) : value.toFixed(-p);
    ticks.push({ value, label });
  }
  return { domain: [10 ** first, 10 ** last], ticks, scale: 'log' };
}

/** Maps a value of the axis's domain onto [from, to] (pixels; `to` may be below `from`, as a y axis is). */
export function scaleOf(axis: Axis, from: number, to: number): (value: number) => number {
  const [d0, d1] = axis.domain;
  if (axis.scale === 'log') {
    const l0 = Math.log10(d0);
    const span = Math.log10(d1) - l0;
    return (v) => from + ((Math.log10(v) - l0) / span) * (to - from);
  }
  const span = d1 - d0 || 1;
  return (v) => from + ((v - d0) / span) * (to - from);
}

/** A coordinate as SVG text: two decimals are finer than any printer's dot. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
