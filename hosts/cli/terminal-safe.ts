/**
 * Text from a file (a model's name, its marking, an error quoting it) printed as is can drive the
 * terminal: ESC and CSI sequences recolour the screen or draw a fake banner, a carriage return or
 * newline forges a line, a bidi override reorders what is read. Every such character is shown as
 * a \uXXXX escape instead. The escape is also valid inside a JSON string, so the same function
 * makes JSON output safe without changing what it parses to.
 */
// C0 controls (ESC, CR, LF, …), DEL, C1 controls (CSI U+009B, …), and the bidi and line controls.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One value (a name, a marking, a message): every control character escaped, newlines too. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Output already laid out in lines (a table, JSON): every control character escaped but the newline. */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE, (ch) => (ch === '\n' ? ch : escape(ch)));
}

/** The CLI's output, every line made terminal-safe on its way out: nothing a file holds reaches the terminal raw. */
export function terminalSafeOutput<T extends { out(text: string): void; err(text: string): void }>(io: T): T {
  return {
    ...io,
    out: (text: string) => io.out(terminalSafeLines(text)),
    err: (text: string) => io.err(terminalSafeLines(text)),
  };
}
