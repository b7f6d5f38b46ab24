import { describe, expect, it } from 'vitest';
import { idleLockDetail } from '../../../electron/services/identity/idle-words';

describe('the idle lock’s words on the lock screen', () => {
  it('count minutes and seconds in the singular and the plural', () => {
    expect(idleLockDetail(1)).toBe('no activity for 1 minute');
    expect(idleLockDetail(15)).toBe('no activity for 15 minutes');
    expect(idleLockDetail(1.5)).toBe('no activity for 90 seconds');
    expect(idleLockDetail(0.25)).toBe('no activity for 15 seconds');
    expect(idleLockDetail(1 / 60)).toBe('no activity for 1 second');
  });
});
