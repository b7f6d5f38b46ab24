import { describe, expect, it } from 'vitest';
import { defaultDataDir, servicePathsFor } from '../../../electron/services/system/data-dir';

// The app (Electron main), the CLI and the browser host must agree on one data directory, or an
// admin's `enclave db …` works on a different store from the one the analysts use.
describe('the data directory', () => {
  it('is ENCLAVE_DATA_DIR when set, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const)
      expect(defaultDataDir({ ENCLAVE_DATA_DIR: '/srv/enclave' }, platform, '/home/ana')).toBe('/srv/enclave');
  });

  it("is the platform's per-user data folder otherwise", () => {
    expect(defaultDataDir({}, 'linux', '/home/ana')).toBe('/home/ana/.local/share/enclave');
    expect(defaultDataDir({ XDG_DATA_HOME: '/data/ana' }, 'linux', '/home/ana')).toBe('/data/ana/enclave');
    expect(defaultDataDir({ XDG_DATA_HOME: '' }, 'linux', '/home/ana')).toBe('/home/ana/.local/share/enclave');
    expect(defaultDataDir({}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Application Support/Enclave');
    expect(defaultDataDir({ LOCALAPPDATA: '/c/Users/ana/AppData/Local' }, 'win32', '/c/Users/ana')).toMatch(
      /AppData[\\/]Local[\\/]Enclave$/,
    );
  });

  it('keeps the site configuration in it unless ENCLAVE_SITE_CONFIG says otherwise', () => {
    expect(servicePathsFor('/d', '/r', {})).toEqual({
      dataDir: '/d',
      resourcesDir: '/r',
      siteConfigPath: '/d/site-config.json',
    });
    expect(servicePathsFor('/d', '/r', { ENCLAVE_SITE_CONFIG: '/etc/enclave/site.json' }).siteConfigPath).toBe(
      '/etc/enclave/site.json',
    );
  });
});
