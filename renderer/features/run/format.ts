/** Numbers as the result tables show them: six significant digits, grouped; the exact value stays in data-value. */
const sixDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0'; // and not "-0"
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e15)) return value.toExponential(5);
  return sixDigits.format(value);
}

export function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(2)} s` : `${seconds.toFixed(1)} s`;
}

/** A correlation to three decimals; one that rounds to zero shows as 0.000, never "-0.000". */
export function formatCorrelation(value: number): string {
  if (Number.isNaN(value)) return '—';
  const text = value.toFixed(3);
  return Number(text) === 0 ? '0.000' : text;
}
