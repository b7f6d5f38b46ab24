// Puts a finished kit and its tar under their release names together. Both were built in the
// private build folder; an earlier kit and tar of the same version are moved into that folder
// first and put back if anything fails, so the release folder holds the old pair or the new pair,
// never a new kit beside an old tar, and never nothing when something was there.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Moves `builtKit` to `kitDir` and `builtTar` to `tarFile`; earlier ones go to `workDir`. */
export function publishKit({ workDir, builtKit, builtTar, kitDir, tarFile }) {
  const moves = [
    { from: builtKit, to: kitDir, aside: join(workDir, 'replaced-kit') },
    { from: builtTar, to: tarFile, aside: join(workDir, 'replaced.tar') },
  ];
  const done = [];
  try {
    for (const move of moves) {
      if (existsSync(move.to)) {
        renameSync(move.to, move.aside);
        move.setAside = true;
      }
      done.push(move);
      renameSync(move.from, move.to);
      move.placed = true;
    }
  } catch (error) {
    for (const move of done.reverse()) {
      if (move.placed) renameSync(move.to, move.from);
      if (move.setAside) renameSync(move.aside, move.to);
    }
    throw error;
  }
}
