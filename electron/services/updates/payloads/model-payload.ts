import { describeModelIssues, ModelSchema } from '../../../../common/model/model';
import type { SiteConfig } from '../../../../common/site/site-config';
import * as models from '../../../db/queries/models';
import { modelOfTemplate, setModelOfTemplate } from '../../../db/queries/updates';
import { roleGrantee } from '../../models/model-access';
import { canonicalJson, sha256Hex } from '../../models/model-canonical';
import { authorId } from '../../models/model-library';
import { bannerOf } from '../../models/model-markings';
import { ServiceError } from '../../service-error';
import type { Workspace } from '../../vault/vault-service';
import type { TargetOutcome, VerifiedTarget } from './update-target';

/** Templates are read by every analyst and viewer; the applying administrator owns them. */
const READERS = ['analyst', 'viewer'] as const;

function parseTemplate(target: VerifiedTarget, site: SiteConfig) {
  let raw: unknown;
  try {
    raw = JSON.parse(target.bytes.toString('utf8'));
  } catch (error) {
    throw new ServiceError('INVALID_ARGUMENT', `${target.name} is not JSON (${(error as Error).message}).`);
  }
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) {
    const first = describeModelIssues(raw, parsed.error)[0] ?? 'it does not match the schema';
    throw new ServiceError('INVALID_ARGUMENT', `${target.name} is not a valid enclave-model/1 model: ${first}.`);
  }
  return { model: parsed.data, banner: bannerOf(parsed.data, site) };
}

/**
 * Model templates into the library, inside the update's transaction: each target name is one model;
 * the same body again changes nothing, a new body is its next version. Marked as the model says,
 * refused above this system's high.
 */
export function applyModelTargets(
  workspace: Workspace,
  targets: VerifiedTarget[],
  site: SiteConfig,
  now: Date,
): TargetOutcome[] {
  const { db } = workspace;
  const at = now.toISOString();
  return targets
    .filter((t) => t.kind === 'model-template')
    .map((target): TargetOutcome => {
      const { model, banner } = parseTemplate(target, site);
      const body = canonicalJson(model);
      const sha256 = sha256Hex(body);
      const known = modelOfTemplate(db, target.name);
      if (known?.sha256 === sha256)
        return { name: target.name, kind: target.kind, result: 'unchanged', detail: `"${model.name}" is current` };
      const owner = authorId(workspace);
      let modelId = known?.modelId;
      if (modelId === undefined) {
        modelId = Number(models.insertModel.run(db, owner, model.name, banner, at, at).lastInsertRowid);
        for (const role of READERS) models.insertShare.run(db, modelId, roleGrantee(role), 'read');
      }
      const next = (models.latestVersionNo.get(db, modelId)?.version ?? 0) + 1;
      const comment = `Model template ${target.name} from an update bundle (signed by the ${target.role} role).`;
      models.insertVersion.run(db, modelId, next, owner, banner, body, comment, sha256, at);
      models.touchModel.run(db, model.name, banner, at, modelId);
      setModelOfTemplate(db, target.name, modelId, sha256);
      return {
        name: target.name,
        kind: target.kind,
        result: 'applied',
        detail: `"${model.name}" version ${next}, ${banner}`,
      };
    });
}
