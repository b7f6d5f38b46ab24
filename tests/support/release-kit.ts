import { createHash } from 'node:crypto';
import type { VerifiedTarget } from '../../electron/services/updates/payloads/update-target';
import { craftTar, type TarEntrySpec } from './bag-mutations';

/** A release kit's files: path → content. */
export type KitFiles = Record<string, string | Buffer>;

const bytesOf = (content: string | Buffer) => (typeof content === 'string' ? Buffer.from(content) : content);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** What a release of `version` holds: a launcher, resources and, when asked, many more files. */
export function sampleKit(version: string, extraFiles = 0, extraBytes = 2048): KitFiles {
  const files: KitFiles = {
    VERSION: `${version}\n`,
    'bin/enclave': `#!/bin/sh\necho enclave ${version}\n`,
    'resources/app/main.js': `console.log(${JSON.stringify(version)});\n`,
  };
  for (let i = 0; i < extraFiles; i++)
    files[`resources/lib/part-${String(i).padStart(4, '0')}.bin`] = Buffer.alloc(
      extraBytes,
      (i * 31 + version.length) % 251,
    );
  return files;
}

/** SHA256SUMS as sha256sum writes it: `<hash>  <path>`, one line each. */
export function sha256sums(files: KitFiles): string {
  return Object.entries(files)
    .map(([path, content]) => `${sha256(bytesOf(content))}  ${path}\n`)
    .join('');
}

export interface KitTarOptions {
  /** Replaces the generated SHA256SUMS. */
  sums?: string;
  /** Entries added after the files (links, devices, stray files). */
  extra?: TarEntrySpec[];
}

/** The release kit as its tar: SHA256SUMS first, then the listed files. */
export function kitTar(files: KitFiles, options: KitTarOptions = {}): Buffer {
  const entries: TarEntrySpec[] = [
    { name: 'SHA256SUMS', type: '0', data: Buffer.from(options.sums ?? sha256sums(files)) },
    ...Object.entries(files).map(([name, content]) => ({ name, type: '0', data: bytesOf(content) })),
    ...(options.extra ?? []),
  ];
  return craftTar(entries);
}

/** The target as the TUF client hands it over once it has checked length and hash. */
export function releaseTarget(
  version: string | null,
  tar: Buffer,
  name = `app/enclave-${version}.tar`,
): VerifiedTarget {
  return { name, kind: 'app-release', version, role: 'releases', length: tar.length, sha256: sha256(tar), bytes: tar };
}
