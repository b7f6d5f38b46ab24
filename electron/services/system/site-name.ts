/**
 * Characters a site name may not hold: controls (a newline would forge a second banner line),
 * format characters (bidirectional overrides and isolates reorder what is shown; zero-width ones
 * hide), and line or paragraph separators. Letters of every script are fine.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Why this site name is refused, in plain words, or null when it is fine. */
export function siteNameProblem(name: string): string | null {
  const found = UNSAFE.exec(name);
  if (!found) return null;
  const codePoint = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `The site name may not contain control, direction-changing or invisible characters (U+${codePoint} at position ${found.index + 1}).`;
}
