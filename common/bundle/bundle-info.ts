import { z } from 'zod';
import { BUNDLE_FORMAT, INFO_LABELS, NO_PREVIOUS_BUNDLE } from './bundle-format';

/** A channel or profile name as it appears in bag-info.txt: no separators, no control characters. */
const Token = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1-64 letters, digits, dot, dash or underscore');
const Text = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[^\p{Cc}]+$/u, 'control characters are not allowed')
  .refine((s) => s === s.trim(), 'no leading or trailing spaces');
const Instant = z.string().datetime({ offset: false });
const Sha512Hex = z.string().regex(/^[0-9a-f]{128}$/);

/** Enclave's fields of bag-info.txt (docs/bundle-format.md, "bag-info.txt"). */
export const BundleInfoSchema = z
  .object({
    bundleId: z.string().uuid(),
    format: z.literal(BUNDLE_FORMAT),
    sourceSite: Text,
    sourceNetwork: Text,
    destination: Token,
    channel: Token,
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** SHA-512 of the previous bundle's tag manifest on this channel, or 'none' for the first. */
    previousHash: z.union([Sha512Hex, z.literal(NO_PREVIOUS_BUNDLE)]),
    created: Instant,
    expires: Instant,
    /** The banner line: the roll-up of every record's marking. */
    banner: Text,
    recordCount: z.number().int().min(1).max(10_000),
    /** The signer's certificate subject, for people reading the bag by hand; the CMS is the authority. */
    signer: Text,
  })
  .strict()
  .refine((info) => info.expires > info.created, {
    message: 'Enclave-Expires is not after Enclave-Created',
    path: ['expires'],
  })
  .refine((info) => (info.sequence === 1) === (info.previousHash === NO_PREVIOUS_BUNDLE), {
    message: 'only the first bundle on a channel (sequence 1) has no previous bundle hash',
    path: ['previousHash'],
  });

export type BundleInfo = z.infer<typeof BundleInfoSchema>;

const NUMBER_FIELDS = new Set<keyof BundleInfo>(['sequence', 'recordCount']);

/** The bag-info.txt lines Enclave writes: its own labels, then Payload-Oxum and Bagging-Date. */
export function bagInfoText(info: BundleInfo, payload: { bytes: number; files: number }): string {
  const lines = (Object.keys(INFO_LABELS) as (keyof BundleInfo)[]).map((key) => `${INFO_LABELS[key]}: ${info[key]}`);
  lines.push(`Payload-Oxum: ${payload.bytes}.${payload.files}`, `Bagging-Date: ${info.created.slice(0, 10)}`);
  return `${lines.join('\n')}\n`;
}

export type InfoProblem = { label: string; message: string };

/**
 * Enclave's fields from bag-info.txt's label/value pairs (already parsed by the BagIt reader).
 * Each field must appear exactly once; other labels are ignored (BagIt allows them).
 */
export function bundleInfoOf(
  fields: readonly (readonly [string, string])[],
): { info: BundleInfo } | { problems: InfoProblem[] } {
  const problems: InfoProblem[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(INFO_LABELS) as (keyof BundleInfo)[]) {
    const label = INFO_LABELS[key];
    const values = fields.filter(([l]) => l === label).map(([, v]) => v);
    if (values.length !== 1) {
      problems.push({
        label,
        message: values.length ? `${label} appears ${values.length} times` : `${label} is missing`,
      });
      continue;
    }
    const value = values[0]!;
    raw[key] = NUMBER_FIELDS.has(key) && /^[0-9]{1,16}$/.test(value) ? Number(value) : value;
  }
  if (problems.length) return { problems };
  const parsed = BundleInfoSchema.safeParse(raw);
  if (parsed.success) return { info: parsed.data };
  return {
    problems: parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof BundleInfo | undefined;
      const label = key && key in INFO_LABELS ? INFO_LABELS[key] : 'bag-info.txt';
      return { label, message: `${label}: ${issue.message}` };
    }),
  };
}
