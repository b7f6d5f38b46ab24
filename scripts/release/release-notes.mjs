// The release notes travel in the kit as RELEASE-NOTES.md, from docs/release-notes/<version>.md:
// a release without notes is refused, since a receiving site reads them before it installs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function releaseNotes(root, version) {
  const file = join(root, 'docs', 'release-notes', `${version}.md`);
  if (!existsSync(file)) throw new Error(`no release notes for ${version}: write docs/release-notes/${version}.md`);
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(`# Enclave ${version}`)) {
    throw new Error(`docs/release-notes/${version}.md must start with "# Enclave ${version}"`);
  }
  return text;
}
