/**
 * AddApplicationInput, AddApplicationInputProcessingConfiguration and its Delete counterpart:
 * configuration changes under CurrentApplicationVersionId.
 */
import { resourceNotFound } from '../../../core/errors.js';
import { nextId, type ApplicationRecord, type StoredInput } from '../application-model.js';
import { checkInput } from '../configuration-rules.js';
import { defineAction } from './action.js';

export const addApplicationInput = defineAction('AddApplicationInput', async ({ service, scope }, input) => {
  checkInput(input.Input);
  await service.changeConfiguration(
    scope,
    input.ApplicationName,
    input.CurrentApplicationVersionId,
    (record) => {
      const { id, lastIdNumber } = nextId(record);
      return { ...record, lastIdNumber, inputs: [...record.inputs, { id, input: input.Input }] };
    },
  );
  return undefined;
});

export const addApplicationInputProcessingConfiguration = defineAction(
  'AddApplicationInputProcessingConfiguration',
  async ({ service, scope }, input) => {
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) =>
        withInput(record, input.InputId, (stored) => ({
          ...stored,
          input: { ...stored.input, InputProcessingConfiguration: input.InputProcessingConfiguration },
        })),
    );
    return undefined;
  },
);

export const deleteApplicationInputProcessingConfiguration = defineAction(
  'DeleteApplicationInputProcessingConfiguration',
  async ({ service, scope }, input) => {
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) =>
        withInput(record, input.InputId, (stored) => {
          const { InputProcessingConfiguration: _removed, ...rest } = stored.input;
          return { ...stored, input: rest };
        }),
    );
    return undefined;
  },
);

export function withInput(
  record: ApplicationRecord,
  inputId: string,
  change: (stored: StoredInput) => StoredInput,
): ApplicationRecord {
  if (!record.inputs.some((stored) => stored.id === inputId)) {
    throw resourceNotFound(`Application ${record.name} has no input with id ${inputId}.`);
  }
  return {
    ...record,
    inputs: record.inputs.map((stored) => (stored.id === inputId ? change(stored) : stored)),
  };
}
