import { initial } from './0001-initial';
import { trustImportedBy } from './0002-trust-imported-by';
import type { Migration } from './types';

/** All migrations, in order. Append new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [initial, trustImportedBy];

export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]!.version;
