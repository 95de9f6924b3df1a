/** AddApplicationOutput and DeleteApplicationOutput. */
import { resourceNotFound } from '../../../core/errors.js';
import { nextId } from '../application-model.js';
import { checkOutput } from '../configuration-rules.js';
import { defineAction } from './action.js';

export const addApplicationOutput = defineAction(
  'AddApplicationOutput',
  async ({ service, scope }, input) => {
    checkOutput(input.Output);
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) => {
        const { id, lastIdNumber } = nextId(record);
        return { ...record, lastIdNumber, outputs: [...record.outputs, { id, output: input.Output }] };
      },
    );
    return undefined;
  },
);

export const deleteApplicationOutput = defineAction(
  'DeleteApplicationOutput',
  async ({ service, scope }, input) => {
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) => {
        if (!record.outputs.some((stored) => stored.id === input.OutputId)) {
          throw resourceNotFound(`Application ${record.name} has no output with id ${input.OutputId}.`);
        }
        return { ...record, outputs: record.outputs.filter((stored) => stored.id !== input.OutputId) };
      },
    );
    return undefined;
  },
);
