import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A package installed in the fixture: its package.json fields and any extra files (path -> text). */
export interface FixturePackage {
  dir: string;
  json: Record<string, unknown>;
  files?: Record<string, string>;
}

/**
 * A small project on disk that cyclonedx-npm and npm ls really run on: package.json, node_modules as
 * npm would lay it out (no lockfile needed), and the build's dist/meta records of what each bundle read.
 */
export function makeFixtureProject(options: {
  dependencies: Record<string, string>;
  /** What the bundlers compile in: npm leaves these out of the production tree. */
  devDependencies?: Record<string, string>;
  packages: FixturePackage[];
  nodeInputs?: string[];
  rendererInputs?: string[];
  withMeta?: boolean;
}): string {
  const root = mkdtempSync(join(tmpdir(), 'enclave-sbom-fixture-'));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'package.json',
    JSON.stringify({
      name: 'fixture-app',
      version: '1.0.0',
      license: 'UNLICENSED',
      dependencies: options.dependencies,
      devDependencies: options.devDependencies ?? {},
    }),
  );
  for (const pkg of options.packages) {
    write(`${pkg.dir}/package.json`, JSON.stringify(pkg.json));
    for (const [path, text] of Object.entries(pkg.files ?? {})) write(`${pkg.dir}/${path}`, text);
  }
  if (options.withMeta !== false) {
    const record = (bundle: string, inputs: string[]): string =>
      JSON.stringify({ format: 'enclave-bundle-inputs/1', bundle, outputs: { [`dist/${bundle}/out.js`]: inputs } });
    write('dist/meta/node-inputs.json', record('node', options.nodeInputs ?? []));
    write('dist/meta/renderer-inputs.json', record('renderer', options.rendererInputs ?? []));
  }
  return root;
}

export const MIT_TEXT = 'Copyright (c) 2026 Fixture Authors\n\nPermission is hereby granted, free of charge (fixture).\n';
