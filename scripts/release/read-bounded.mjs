// Reads of files the release tooling does not control (node_modules, build output): size-checked first,
// so a huge or hostile file fails with its name instead of exhausting memory.
import { readFileSync, statSync } from 'node:fs';

/** The UTF-8 text of a regular file of at most maxBytes, or a thrown error naming it. */
export function readTextBounded(file, maxBytes, what = 'file') {
  const stat = statSync(file);
  if (!stat.isFile()) throw new Error(`${what} ${file} is not a regular file`);
  if (stat.size > maxBytes) throw new Error(`${what} ${file} is ${stat.size} bytes, over the ${maxBytes}-byte limit`);
  return readFileSync(file, 'utf8');
}

/** The parsed JSON of a file of at most maxBytes, or a thrown error naming it. */
export function readJsonBounded(file, maxBytes, what = 'file') {
  const text = readTextBounded(file, maxBytes, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} ${file} is not valid JSON: ${error.message}`, { cause: error });
  }
}
