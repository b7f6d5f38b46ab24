import { z } from 'zod';

/**
 * Files cross the bridge as handles, never as bytes inside JSON: the host chooses or receives the
 * file (a dialog in Electron, a streamed upload in the browser host), keeps its path, and gives the
 * renderer an opaque handle that a service call then names (docs/ipc-contract.md, "Files").
 */
export const FileHandleSchema = z.string().regex(/^file-[0-9a-f]{32}$/, 'expected a file handle');
export type FileHandle = z.infer<typeof FileHandleSchema>;

export const ChosenFileSchema = z
  .object({ handle: FileHandleSchema, name: z.string().min(1).max(255), size: z.number().int().nonnegative() })
  .strict();
export type ChosenFile = z.infer<typeof ChosenFileSchema>;

/** The largest file any channel takes (a bundle or update medium can be large; memory use is the service's). */
export const MAX_FILE_BYTES = 16 * 1024 ** 3;

/**
 * What a file is chosen for: the dialog's filters and title follow it, and the browser host takes an
 * upload only from a role the purpose's channel allows (trust material: an administrator; models: an analyst).
 */
export const FILE_PURPOSES = ['trust-anchors', 'crls', 'models'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
export const FileChoiceSchema = z.object({ purpose: z.enum(FILE_PURPOSES), multiple: z.boolean() }).strict();
export type FileChoice = z.infer<typeof FileChoiceSchema>;
