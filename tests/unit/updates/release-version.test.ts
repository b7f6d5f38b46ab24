import { describe, expect, it } from 'vitest';
import { compareReleaseVersions, isReleaseVersion } from '../../../electron/services/updates/release/release-version';

describe('release versions', () => {
  it('orders versions as semver does, pre-releases before their release', () => {
    // The precedence chain from semver 2.0 §11, then numeric (not text) order of each part.
    const chain = [
      '0.9.0',
      '0.10.0',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.2.0',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 0; i < chain.length; i++)
      for (let j = 0; j < chain.length; j++)
        expect(Math.sign(compareReleaseVersions(chain[i]!, chain[j]!)), `${chain[i]} vs ${chain[j]}`).toBe(
          Math.sign(i - j),
        );
  });

  it('accepts only MAJOR.MINOR.PATCH[-pre]: nothing that could be a path, no build metadata, no leading zeros', () => {
    for (const ok of ['0.1.0', '10.20.30', '1.0.0-rc.1', '1.0.0-x-y.7']) expect(isReleaseVersion(ok), ok).toBe(true);
    for (const bad of [
      '1.0',
      '1.0.0.0',
      'v1.0.0',
      '01.0.0',
      '1.0.0-01',
      '1.0.0-',
      '1.0.0+build.5',
      '1.0.0-rc..1',
      '../1.0.0',
      '1.0.0/..',
      '1.0.0 ',
      `1.0.0-${'a'.repeat(80)}`,
    ])
      expect(isReleaseVersion(bad), bad).toBe(false);
    expect(() => compareReleaseVersions('1.0', '1.0.0')).toThrow(/not a release version: 1\.0/);
  });
});
