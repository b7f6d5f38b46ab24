import type { Model } from '../../../common/model/model';

/**
 * Units of inputs and formulas by name, where the model gives them (`unit` on an input or a
 * formula, added by the model editor); a model without units gives none.
 */
export function modelUnits(model: Model): Record<string, string> {
  const units: Record<string, string> = {};
  for (const item of [...model.inputs, ...model.formulas]) {
    const unit = (item as { unit?: unknown }).unit;
    if (typeof unit === 'string' && unit.trim() !== '') units[item.name] = unit.trim();
  }
  return units;
}
