import type { Database } from 'better-sqlite3-multiple-ciphers';

/** One schema step. Append-only: a released migration is never edited, only followed by a new one. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
