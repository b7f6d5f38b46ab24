import { initial } from './0001-initial';
import { trustImportedBy } from './0002-trust-imported-by';
import { modelLibrary } from './0003-model-library';
import { savedRuns } from './0004-saved-runs';
import { reportLibrary } from './0005-reports';
import { bundles } from './0006-bundles';
import { updates } from './0007-updates';
import type { Migration } from './types';

/** All migrations, in order. Append new ones at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  trustImportedBy,
  modelLibrary,
  savedRuns,
  reportLibrary,
  bundles,
  updates,
];

export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]!.version;
