import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeConsent, setUpStore, startTestServices, type TestServices } from '../../support/services';

// A file handed to the services that is not a regular file (a FIFO put in its place) is refused at
// once, through the real worker, instead of holding the worker on a read that never ends.
let t: TestServices;
beforeAll(async () => {
  t = await startTestServices();
  await acknowledgeConsent(t);
  await setUpStore(t);
});
afterAll(() => t.close());

describe('files handed to the services', () => {
  // Trust and model imports read through the same function (electron/services/handed-file.ts).
  it('a trust import refuses a FIFO nobody writes to, at once, and the worker keeps answering', async () => {
    const fifo = join(t.dataDir, 'never-written.pem');
    execFileSync('mkfifo', [fifo]);
    const { handle } = await t.services.registerFile({ path: fifo, name: 'anchors.pem', size: 0, temporary: false });
    const started = Date.now();
    const answer = await t.dispatch('enclave:trust.importAnchors', { files: [handle] });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/not a regular file/) },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await t.dispatch('enclave:system.info', {})).ok).toBe(true);
  });
});
