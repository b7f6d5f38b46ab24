import { describe, expect, it } from 'vitest';
import { AttemptLimit, RECOVERY_LIMITS } from '../../../electron/services/identity/attempt-limit';

describe('attempt limit (recovery secret)', () => {
  it('refuses after five failures within a minute, for a backoff that doubles, and forgets on success', () => {
    let now = 0;
    const limit = new AttemptLimit(() => now);
    for (let i = 0; i < 4; i += 1) limit.failed();
    expect(limit.waitMs()).toBe(0);
    limit.failed();
    expect(limit.waitMs()).toBe(RECOVERY_LIMITS.backoffMs);
    now += RECOVERY_LIMITS.backoffMs;
    expect(limit.waitMs()).toBe(0);
    for (let i = 0; i < 5; i += 1) limit.failed();
    expect(limit.waitMs()).toBe(2 * RECOVERY_LIMITS.backoffMs);
    limit.succeeded();
    expect(limit.waitMs()).toBe(0);
  });

  it('failures spread wider than the window do not add up', () => {
    let now = 0;
    const limit = new AttemptLimit(() => now);
    for (let i = 0; i < 20; i += 1) {
      limit.failed();
      now += RECOVERY_LIMITS.windowMs / 4;
    }
    expect(limit.waitMs()).toBe(0);
  });

  it('the backoff stops growing at its ceiling', () => {
    let now = 0;
    const limit = new AttemptLimit(() => now);
    for (let round = 0; round < 10; round += 1) {
      for (let i = 0; i < 5; i += 1) limit.failed();
      expect(limit.waitMs()).toBeLessThanOrEqual(RECOVERY_LIMITS.maxBackoffMs);
      now += limit.waitMs();
    }
    for (let i = 0; i < 5; i += 1) limit.failed();
    expect(limit.waitMs()).toBe(RECOVERY_LIMITS.maxBackoffMs);
  });
});
