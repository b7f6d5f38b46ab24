import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { roleAllows, type Permission, type Role } from '../../common/access/roles';
import { FILE_PURPOSES, MAX_FILE_BYTES, type ChosenFile, type FilePurpose } from '../../common/ipc/files';
import { fail, ok, type IpcResult } from '../../common/ipc/result';
import type { Dispatch } from '../../electron/worker/dispatch';
import type { HostFile } from '../../electron/worker/service-host';

/** What the channels that take each kind of file require (trust.importAnchors, trust.importCrls, models.importFile). */
const PURPOSE_PERMISSION: Record<FilePurpose, Permission> = {
  'trust-anchors': 'trust.manage',
  crls: 'trust.manage',
  models: 'models.write',
  bundles: 'bundles.manage',
  updates: 'updates.manage',
};

/**
 * The purpose an upload names (`?purpose=`). Trust material was the only kind before models could be
 * imported, so an upload that names none is taken as trust material (an administrator's).
 */
export function uploadPurpose(raw: string | null): FilePurpose | null {
  if (raw === null) return 'trust-anchors';
  return FILE_PURPOSES.find((purpose) => purpose === raw) ?? null;
}

/**
 * Asked before any of an upload's body is read: consent (identity.status requires it), a signed-in
 * session, and a role that the channel taking this kind of file allows. The service checks again on
 * the call that names the handle; this only keeps the host from taking in bytes nobody may use.
 */
export async function mayChooseFiles(dispatch: Dispatch, purpose: FilePurpose): Promise<IpcResult<null>> {
  const status = await dispatch('enclave:identity.status', {});
  if (!status.ok) return status;
  const { unlocked, user } = status.value as { unlocked: boolean; user: { role: Role } | null };
  if (!unlocked || !user) return fail('UNAUTHENTICATED', 'Sign in before choosing files.');
  if (!roleAllows(user.role, PURPOSE_PERMISSION[purpose]))
    return fail('FORBIDDEN', `Your role (${user.role}) may not hand files of this kind (${purpose}) to Enclave.`);
  return ok(null);
}

/** A name the user knows the file by: no path, no control or bidirectional characters, 1–255 characters. */
export function uploadName(raw: string | null): string | null {
  if (raw === null) return null;
  const name = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || name.length > 255 || /[\u0000-\u001f\u007f/\\\u202a-\u202e\u2066-\u2069]/.test(name))
    return null;
  return name === '.' || name === '..' ? null : name;
}

export interface UploadOptions {
  /** A 0700 folder of the host's own. */
  dir: string;
  /** Asked before any of the body is read: consent, a signed-in session, the role. */
  mayUpload(): Promise<IpcResult<unknown>>;
  register(file: HostFile): Promise<ChosenFile>;
}

/**
 * The browser host's stand-in for Electron's file dialog: the page streams the file the user picked
 * into a temporary file of the host's (never into memory, never base64), up to MAX_FILE_BYTES; the
 * services get its path and the page a handle. A refused or broken upload leaves nothing on disk.
 */
export async function receiveUpload(
  req: IncomingMessage,
  rawName: string | null,
  options: UploadOptions,
): Promise<IpcResult<ChosenFile>> {
  const name = uploadName(rawName);
  if (!name) return fail('INVALID_ARGUMENT', 'The upload needs a file name (no path, 255 characters at most).');
  if ((req.headers['content-type'] ?? '') !== 'application/octet-stream')
    return fail('INVALID_ARGUMENT', 'Uploads carry application/octet-stream.');
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > MAX_FILE_BYTES)
    return fail('INVALID_ARGUMENT', `${name} is larger than ${MAX_FILE_BYTES / 1024 ** 3} GiB.`);
  const allowed = await options.mayUpload();
  if (!allowed.ok) return allowed;

  const path = join(options.dir, randomBytes(16).toString('hex'));
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_FILE_BYTES) done(new Error('too large'));
      else done(null, chunk);
    },
  });
  // A stalled upload is dropped after 30 s without data.
  req.setTimeout(30_000, () => req.destroy(new Error('stalled')));
  try {
    await pipeline(req, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    rmSync(path, { force: true });
    return (error as Error).message === 'too large'
      ? fail('INVALID_ARGUMENT', `${name} is larger than ${MAX_FILE_BYTES / 1024 ** 3} GiB.`)
      : fail('UNAVAILABLE', `${name} did not arrive whole; choose it again.`);
  }
  try {
    return ok(await options.register({ path, name, size, temporary: true }));
  } catch (error) {
    rmSync(path, { force: true });
    return fail('UNAVAILABLE', `${name} could not be handed to the services: ${(error as Error).message}`);
  }
}
