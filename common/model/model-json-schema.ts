import { z } from 'zod';
import { ModelSchema } from './model';

/** JSON Schema (draft 2020-12) of enclave-model/1, generated from the zod schema. */
export function modelJsonSchema(): object {
  return {
    $id: 'urn:enclave:model:1',
    title: 'Enclave model (enclave-model/1)',
    ...z.toJSONSchema(ModelSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
