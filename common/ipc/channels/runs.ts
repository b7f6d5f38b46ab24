import { z } from 'zod';
import { type ChannelGroup } from '../channel';
import { MarkingCheckSchema } from './markings';

/** runs.*: simulations. The engine runs in the app's window; the service decides whether a run may start. */
export const runsChannels = {
  /**
   * Asks to start a run of a model (docs/roles.md: running is an analyst's, `models.write`): the
   * service checks the role and the model's marking against the system high, and records the run
   * (`run.start`) with the signed-in user's name before the engine starts.
   */
  authorize: {
    request: z
      .object({
        model: z.string().min(1).max(200),
        marking: z.string().min(1).max(500),
        iterations: z.number().int().min(1).max(100_000_000),
        seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        sampling: z.enum(['mc', 'lhs']),
      })
      .strict(),
    response: MarkingCheckSchema,
    requiresConsent: true,
    access: 'models.write',
  },
} as const satisfies ChannelGroup;
