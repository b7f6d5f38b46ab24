import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeLines } from '../../../hosts/cli/terminal-safe';

describe('terminal-safe text', () => {
  it('shows every character a terminal acts on as a \\uXXXX escape', () => {
    expect(terminalSafe('a\u001b[42mb')).toBe('a\\u001b[42mb'); // ESC: colours, cursor moves
    expect(terminalSafe('a\u009b31mb')).toBe('a\\u009b31mb'); // C1 CSI
    expect(terminalSafe('a\u007fb\u0000c')).toBe('a\\u007fb\\u0000c'); // DEL, NUL
    expect(terminalSafe('a\rb\nc\td')).toBe('a\\u000db\\u000ac\\u0009d'); // a forged line
    expect(terminalSafe('a\u202eb\u2066c\u200fd\u061ce')).toBe('a\\u202eb\\u2066c\\u200fd\\u061ce'); // bidi
    expect(terminalSafe('a\u2028b')).toBe('a\\u2028b');
    expect(terminalSafe('TOP SECRET//SI//NOFORN — Coût ½ 日本')).toBe('TOP SECRET//SI//NOFORN — Coût ½ 日本');
  });

  it('keeps the lines of laid-out output, and JSON parses back to the original', () => {
    expect(terminalSafeLines('one\u001b[2J\ntwo\r')).toBe('one\\u001b[2J\ntwo\\u000d');
    const value = { name: 'plan\u001b[42m\u009b2J\u202e\u2028' };
    const line = terminalSafeLines(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});
