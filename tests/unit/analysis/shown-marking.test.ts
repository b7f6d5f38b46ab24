import { describe, expect, it } from 'vitest';
import type { Model } from '../../../common/model/model';
import { shownMarking } from '../../../renderer/features/analyses/shown-marking';

const model: Model = {
  format: 'enclave-model/1',
  name: 'Marked',
  marking: 'SECRET//NOFORN',
  inputs: [
    { name: 'open', dist: { type: 'normal', mean: 0, sd: 1 }, marking: 'UNCLASSIFIED' },
    { name: 'allied', dist: { type: 'normal', mean: 0, sd: 1 }, marking: 'CONFIDENTIAL//REL TO USA, GBR' },
    { name: 'plain', dist: { type: 'normal', mean: 0, sd: 1 } },
    { name: 'odd', dist: { type: 'normal', mean: 0, sd: 1 }, marking: 'SECRET//MADE-UP CONTROL' },
  ],
  correlations: [],
  formulas: [
    { name: 'sum', expr: 'open + allied', marking: 'CONFIDENTIAL//REL TO USA, GBR' },
    { name: 'total', expr: 'open + plain' },
  ],
  outputs: ['sum', 'total', 'open'],
  outputMarkings: { sum: 'CONFIDENTIAL//REL TO USA, GBR' },
};
const banner = { text: 'SECRET//NOFORN', level: 'SECRET' } as const;

describe('the marking of what an analysis shows', () => {
  it('is the roll-up of the portion marks of the inputs and outputs it draws', () => {
    expect(shownMarking(model, ['open'], banner)).toEqual({ text: 'UNCLASSIFIED', level: 'UNCLASSIFIED' });
    expect(shownMarking(model, ['open', 'sum', 'allied'], banner)).toEqual({
      text: 'CONFIDENTIAL//REL TO USA, GBR',
      level: 'CONFIDENTIAL',
    });
  });

  it('gives an item without its own mark the model’s', () => {
    expect(shownMarking(model, ['open', 'plain'], banner)).toEqual({ text: 'SECRET//NOFORN', level: 'SECRET' });
    // An output that is a formula without a mark of its own: the model's.
    expect(shownMarking(model, ['total'], banner).text).toBe('SECRET//NOFORN');
  });

  it('shows the run’s banner where a portion cannot be read, never something lower', () => {
    const raised = { text: 'TOP SECRET//NOFORN', level: 'TOP SECRET' } as const;
    expect(shownMarking(model, ['open', 'odd'], raised)).toEqual(raised);
    expect(shownMarking(model, ['open'], raised).text).toBe('UNCLASSIFIED');
  });
});
