/** AddApplicationOutput and DeleteApplicationOutput. */
import { nextId, withoutItem } from '../application-model.js';
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
      (record) => ({ ...record, outputs: withoutItem(record, record.outputs, input.OutputId, 'output') }),
    );
    return undefined;
  },
);
