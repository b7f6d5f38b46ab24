import { combineMoments, momentsOf, type Moments } from '../moments';
import { concatPieces } from './concat';
import { BLOCK_ITERATIONS } from './partition';

/**
 * A run's moments, the same however many workers ran it: the run is cut into blocks of
 * BLOCK_ITERATIONS values (from its first value), each block's moments are computed over the
 * whole block, and the blocks' moments are combined in order, one after the other. That is what
 * simulateCpu({ moments: true }) does in one thread with a model compiled for blocks of that
 * size, so a run's mean, sd, skewness and kurtosis are bit for bit the same in the app and in the
 * CLI, on 2 workers or 64. combineMoments is exact algebra but not associative in floating point:
 * combining per partition would make the last bits depend on the number of cores.
 *
 * A worker gives, for its partition, the moments of each block it holds whole and the values of
 * a block it holds only part of (at most two, each shorter than a block): whoever combines the
 * partitions joins those fragments into their block first.
 */
export type MomentPiece = { block: number; moments: Moments } | { block: number; values: Float64Array };

/** The pieces of one partition: `values` holds its values, the first at index `first` of the run. */
export function blockMomentPieces(values: Float64Array, first: number, block = BLOCK_ITERATIONS): MomentPiece[] {
  const pieces: MomentPiece[] = [];
  for (let at = 0; at < values.length;) {
    const index = Math.floor((first + at) / block);
    const end = Math.min(values.length, (index + 1) * block - first);
    if ((first + at) % block === 0 && end - at === block)
      pieces.push({ block: index, moments: momentsOf(values, at, end) });
    else pieces.push({ block: index, values: values.slice(at, end) });
    at = end;
  }
  return pieces;
}

/** The run's moments from its partitions' pieces, given in run order. */
export function combineBlockMoments(pieces: readonly MomentPiece[]): Moments {
  let total: Moments | null = null;
  const add = (m: Moments) => {
    total = total ? combineMoments(total, m) : m;
  };
  for (let i = 0; i < pieces.length;) {
    const piece = pieces[i]!;
    if ('moments' in piece) {
      add(piece.moments);
      i++;
      continue;
    }
    // The fragments of one block, from consecutive partitions.
    const fragments: Float64Array[] = [];
    for (; i < pieces.length && pieces[i]!.block === piece.block; i++) {
      const fragment = pieces[i]!;
      if (!('values' in fragment)) throw new Error(`block ${piece.block} is both whole and in fragments`);
      fragments.push(fragment.values);
    }
    add(momentsOf(concatPieces(fragments)));
  }
  return total ?? momentsOf(new Float64Array(0));
}
