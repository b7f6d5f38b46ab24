/** Joins pieces in order into one array (a single piece is returned as it is, not copied). */
export function concatPieces(pieces: readonly Float64Array[]): Float64Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Float64Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
