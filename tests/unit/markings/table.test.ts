import { describe, expect, it } from 'vitest';
import { formatBanner, formatPortion, parseMarking } from '../../../common/markings';
import { INVALID, VALID } from './cases';

describe('marking table', () => {
  it('has at least 150 markings', () => {
    expect(VALID.length + INVALID.length).toBeGreaterThanOrEqual(150);
  });

  it.each(VALID)('%s → %s and %s', (input, banner, portion) => {
    const parsed = parseMarking(input);
    expect(parsed.ok ? [formatBanner(parsed.marking), formatPortion(parsed.marking)] : parsed.issues).toEqual([
      banner,
      portion,
    ]);
    // Canonical forms are stable: format(parse(format(x))) = format(x).
    for (const form of [banner, portion]) {
      const again = parseMarking(form);
      expect(again.ok && [formatBanner(again.marking), formatPortion(again.marking)]).toEqual([banner, portion]);
    }
  });

  it.each(INVALID)('refuses %j: %s (at %i)', (input, message, position) => {
    const parsed = parseMarking(input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const issue = parsed.issues.find((i) => i.message.includes(message));
    expect(issue, JSON.stringify(parsed.issues)).toBeDefined();
    expect(issue!.position).toBe(position);
  });
});
