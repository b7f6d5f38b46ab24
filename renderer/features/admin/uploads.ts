import type { IpcError } from '../../../common/ipc/result';
import type { Upload } from '../../state/trust-state';

/** What the contract takes per file (admin-schemas.ts UploadedFile): 48 MiB of base64. */
const MAX_FILE_BYTES = 36 * 1024 * 1024;

/** Bytes to base64 in slices, so a tens-of-megabytes CRL does not overflow the argument list. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let i = 0; i < bytes.length; i += slice) binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  return btoa(binary);
}

/**
 * The files the admin picked, read as bytes for trust.importAnchors / importCrls. The service checks
 * what they hold; only what it could not be sent (an empty or oversized file) is refused here,
 * with the same wording: the whole import stops and nothing is sent.
 */
export async function readUploads(
  files: readonly File[],
): Promise<{ ok: true; uploads: Upload[] } | { ok: false; error: IpcError }> {
  const uploads: Upload[] = [];
  for (const file of files) {
    const name = file.name.slice(0, 255) || 'unnamed file';
    if (file.size === 0)
      return {
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: `${name}: the file is empty. Nothing was imported.` },
      };
    if (file.size > MAX_FILE_BYTES)
      return {
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message: `${name}: the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB. Nothing was imported.`,
        },
      };
    try {
      uploads.push({ name, base64: toBase64(new Uint8Array(await file.arrayBuffer())) });
    } catch {
      return {
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: `${name}: the file could not be read. Nothing was imported.` },
      };
    }
  }
  return { ok: true, uploads };
}

/** Dates as the service sends them (ISO, UTC), shown without the viewer's time zone guessing. */
export const day = (iso: string) => iso.slice(0, 10);
export const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
