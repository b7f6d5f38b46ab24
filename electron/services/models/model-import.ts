import type { IpcIssue } from '../../../common/ipc/result';
import { describeModelIssues, MODEL_FILE_MAX_BYTES, ModelSchema, type Model } from '../../../common/model/model';
import type { SiteConfig } from '../../../common/site/site-config';
import { readHandedFile } from '../handed-file';
import type { ServiceCall } from '../service-call';
import { ServiceError } from '../service-error';
import { rawMarkingIssues } from './model-markings';

/** "inputs.cost.dist.sd: must be greater than 0" → its path and its message. */
const asIssue = (line: string): IpcIssue => {
  const at = line.indexOf(': ');
  return at < 0 ? { path: '(model)', message: line } : { path: line.slice(0, at), message: line.slice(at + 2) };
};

/**
 * An enclave-model/1 file, parsed and checked: every problem at once, each with its path (the
 * schema's and the markings'), or the model. A model that passes is checked again as a whole (bannerOf).
 */
export function readModelImport(handle: string, call: ServiceCall, site: SiteConfig): { name: string; model: Model } {
  const file = readHandedFile(handle, call, MODEL_FILE_MAX_BYTES);
  const { name } = file;
  const text = file.bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `${name} is not JSON (${(error as Error).message}). Nothing was imported.`,
    );
  }
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = [...describeModelIssues(raw, parsed.error).map(asIssue), ...rawMarkingIssues(raw, site)];
    throw new ServiceError(
      'INVALID_ARGUMENT',
      `${name} is not a valid enclave-model/1 model: ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}. Nothing was imported.`,
      issues.slice(0, 100),
    );
  }
  return { name, model: parsed.data };
}
