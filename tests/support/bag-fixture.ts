import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeBagTagFiles } from '../../electron/services/bundles/bagit';

/** A small payload like an export's: one JSON record per file. */
export const SAMPLE_PAYLOAD: Record<string, string> = {
  'records/model-0001.json': '{"kind":"model","name":"Pump failure"}\n',
  'records/run-0001.json': '{"kind":"run","iterations":10000}\n',
  'records/report-0001.json': '{"kind":"report","title":"Quarterly risk"}\n',
};

/** A fresh directory under the OS temp dir (the caller removes it). */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `enclave-${prefix}-`));

/** Writes `payload` under dir/data and makes dir a valid bag in Enclave's profile. */
export async function makeEnclaveBag(
  dir: string,
  payload: Record<string, string | Buffer> = SAMPLE_PAYLOAD,
): Promise<string> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (const [path, content] of Object.entries(payload)) {
    mkdirSync(dirname(join(dir, 'data', path)), { recursive: true });
    writeFileSync(join(dir, 'data', path), content);
  }
  await writeBagTagFiles(dir, [
    { label: 'Source-Organization', value: 'Enclave test site' },
    { label: 'Bundle-Id', value: '0b7c6a52-4a4f-4d7e-9d7a-6f1f0a1e2b3c' },
  ]);
  return dir;
}
