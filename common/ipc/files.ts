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
export const FILE_PURPOSES = ['trust-anchors', 'crls', 'models', 'bundles', 'updates'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
export const FileChoiceSchema = z.object({ purpose: z.enum(FILE_PURPOSES), multiple: z.boolean() }).strict();
export type FileChoice = z.infer<typeof FileChoiceSchema>;

/**
 * A file the user saves (an export: a model, a CSV of samples, later a report): the app made the
 * content, and the host asks where to put it. Under Electron the main process shows its save
 * dialog and writes the file; under the browser host the browser's own download does it.
 */
export const SAVED_FILE_TYPES = {
  'application/json': 'json',
  'text/csv': 'csv',
  'application/pdf': 'pdf',
  'image/png': 'png',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
} as const;
export type SavedFileType = keyof typeof SAVED_FILE_TYPES;

/** The most one save carries through the bridge (a CSV of a million iterations is far below). */
export const MAX_SAVED_FILE_BYTES = 512 * 1024 ** 2;

const isSeparatorOrControl = (c: string) =>
  c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;

export const SaveFileSchema = z
  .object({
    /** The suggested name: a plain file name (no folder, no control character), with the type's extension. */
    name: z
      .string()
      .min(1)
      .max(255)
      .refine((name) => name !== '.' && name !== '..' && ![...name].some(isSeparatorOrControl), {
        message: 'a file name without folders or control characters',
      }),
    type: z.enum(Object.keys(SAVED_FILE_TYPES) as [SavedFileType, ...SavedFileType[]]),
    content: z.union([z.string().max(MAX_SAVED_FILE_BYTES), z.instanceof(Uint8Array)]),
  })
  .strict()
  .refine((file) => typeof file.content === 'string' || file.content.byteLength <= MAX_SAVED_FILE_BYTES, {
    message: `at most ${MAX_SAVED_FILE_BYTES} bytes`,
    path: ['content'],
  });
export type SaveFile = z.infer<typeof SaveFileSchema>;

/** The answer to a save: where it went (the file's name only), or that the user cancelled. */
export const SavedFileSchema = z.union([
  z.object({ saved: z.literal(true), name: z.string().max(255) }).strict(),
  z.object({ saved: z.literal(false) }).strict(),
]);
export type SavedFile = z.infer<typeof SavedFileSchema>;
