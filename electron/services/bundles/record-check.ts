import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { RECORD_PATH } from '../../../common/bundle/bundle-format';
import type { BundleInfo } from '../../../common/bundle/bundle-info';
import { BundleRecordSchema, describeRecord, type BundleRecord } from '../../../common/bundle/bundle-record';
import {
  dominates,
  formatBanner,
  parseMarking,
  withinSystemHigh,
  type Marking,
  type MarkingPolicy,
} from '../../../common/markings';
import type { SiteConfig } from '../../../common/site/site-config';
import * as q from '../../db/queries/bundles';
import { bannerOf } from '../models/model-markings';
import { ServiceError } from '../service-error';

/** What the review shows of a record, and what release needs to find it again. */
export interface CheckedRecord {
  path: string;
  sha256: string;
  kind: BundleRecord['kind'];
  label: string;
  portionMark: string;
  banner: string;
  /** Origin key with version where it has one: model:3@2, run:9, report:4@1. */
  key: string;
  /** Applied here before (the same bytes, from any bundle): release skips it. */
  appliedBefore: boolean;
}

type Problem = { code: string; path?: string; message: string };

/** A record's origin key (with its version) and the keys it refers to. */
export function keysOf(record: BundleRecord): { key: string; refs: string[] } {
  switch (record.kind) {
    case 'model-version':
      return { key: `${record.model.key}@${record.model.version}`, refs: [] };
    case 'run':
      return { key: record.run.key, refs: [`${record.run.model.key}@${record.run.model.version}`] };
    case 'report':
      return {
        key: `${record.report.key}@${record.report.version}`,
        refs: [`${record.report.model.key}@${record.report.model.version}`, ...record.report.runs],
      };
  }
}

/**
 * Every record of a bundle, one at a time: its file name's hash, its schema, its marking (parses, within
 * this workstation's system high, within the bundle's banner, and for a model at least what its own
 * parts add up to), a report's PDF hash, and that what it refers to is in the bundle or was imported
 * before from the same site. All problems are reported.
 */
export function checkRecords(
  db: Database,
  context: { site: SiteConfig; policy: MarkingPolicy; systemHigh: Marking; info: BundleInfo },
  paths: readonly string[],
  read: (path: string) => Buffer,
): { ok: true; records: CheckedRecord[] } | { ok: false; problems: Problem[] } {
  const { site, policy, systemHigh, info } = context;
  const problems: Problem[] = [];
  const parse = (text: string) => {
    const parsed = parseMarking(text.replace(/^\((.*)\)$/, '$1'), policy);
    return parsed.ok ? parsed.marking : null;
  };
  const banner = parse(info.banner);
  if (!banner)
    return {
      ok: false,
      problems: [
        { code: 'BAD_BANNER', message: `The bundle's banner "${info.banner}" is not a marking this site recognises.` },
      ],
    };
  if (!withinSystemHigh(systemHigh, banner, policy))
    return {
      ok: false,
      problems: [
        {
          code: 'ABOVE_SYSTEM_HIGH',
          message: `The bundle is marked ${info.banner}, above this workstation's system high (${site.systemHigh}).`,
        },
      ],
    };
  const records: CheckedRecord[] = [];
  const refs: { path: string; label: string; ref: string }[] = [];
  for (const path of paths) {
    const [, kind, nameHash] = RECORD_PATH.exec(path)!;
    let bytes: Buffer;
    try {
      bytes = read(path);
    } catch (error) {
      problems.push({ code: 'RECORD_TOO_LARGE', path, message: (error as Error).message });
      continue;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== nameHash) {
      problems.push({
        code: 'RECORD_NAME_HASH',
        path,
        message: `${path} is not named by the SHA-256 of its contents.`,
      });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      problems.push({ code: 'RECORD_NOT_JSON', path, message: `${path} is not JSON.` });
      continue;
    }
    const parsed = BundleRecordSchema.safeParse(json);
    if (!parsed.success || parsed.data.kind !== kind) {
      const issue = parsed.success
        ? `it says it is a ${parsed.data.kind}`
        : parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || 'record'}: ${i.message}`)
            .join('; ');
      problems.push({ code: 'RECORD_SCHEMA', path, message: `${path} is not a valid ${kind} record (${issue}).` });
      continue;
    }
    const record = parsed.data;
    const label = describeRecord(record);
    const marking = parse(record.portionMark);
    if (!marking) {
      problems.push({
        code: 'BAD_MARKING',
        path,
        message: `The portion mark of ${label}, "${record.portionMark}", is not a marking this site recognises.`,
      });
      continue;
    }
    if (!withinSystemHigh(systemHigh, marking, policy))
      problems.push({
        code: 'ABOVE_SYSTEM_HIGH',
        path,
        message: `${label} is marked ${record.portionMark}, above this workstation's system high (${site.systemHigh}).`,
      });
    else if (!dominates(banner, marking, policy))
      problems.push({
        code: 'NOT_WITHIN_BANNER',
        path,
        message: `${label} is marked ${record.portionMark}, which the bundle's banner ${info.banner} does not cover.`,
      });
    const contentProblem = contentCheck(record, marking, site, policy);
    if (contentProblem)
      problems.push({ code: contentProblem.code, path, message: `${label}: ${contentProblem.message}` });
    const { key, refs: recordRefs } = keysOf(record);
    if (records.some((r) => r.key === key))
      problems.push({ code: 'DUPLICATE_RECORD', path, message: `${label} is in the bundle twice.` });
    for (const ref of recordRefs) refs.push({ path, label, ref });
    records.push({
      path,
      sha256,
      kind: record.kind,
      label,
      portionMark: record.portionMark,
      banner: formatBanner(marking),
      key,
      appliedBefore: q.appliedRecord.get(db, sha256) !== undefined,
    });
  }
  const present = new Set(records.map((r) => r.key));
  for (const { path, label, ref } of refs)
    if (!present.has(ref) && !q.origin.get(db, info.sourceSite, ref))
      problems.push({
        code: 'MISSING_REFERENCE',
        path,
        message: `${label} refers to ${ref.replace('@', ' version ')} from ${info.sourceSite}, which is neither in this bundle nor imported before.`,
      });
  if (problems.length) return { ok: false, problems };
  // The reviewer reads them in dependency order (models, runs, reports), then by name.
  const order = { 'model-version': 0, run: 1, report: 2 } as const;
  records.sort((x, y) => order[x.kind] - order[y.kind] || x.label.localeCompare(y.label));
  return { ok: true, records };
}

function contentCheck(
  record: BundleRecord,
  marking: Marking,
  site: SiteConfig,
  policy: MarkingPolicy,
): { code: string; message: string } | null {
  if (record.kind === 'model-version') {
    let content: string;
    try {
      content = bannerOf(record.model.body, site);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return { code: 'MODEL_MARKINGS', message: error.message };
    }
    const parsed = parseMarking(content, policy);
    if (parsed.ok && !dominates(marking, parsed.marking, policy))
      return {
        code: 'MARKING_BELOW_CONTENT',
        message: `its portion mark ${record.portionMark} is below what the model's own markings add up to (${content}).`,
      };
  }
  if (record.kind === 'report') {
    const pdf = Buffer.from(record.report.pdf, 'base64');
    if (createHash('sha256').update(pdf).digest('hex') !== record.report.pdfSha256)
      return { code: 'PDF_HASH_MISMATCH', message: 'its PDF does not match the PDF hash it carries.' };
  }
  return null;
}
