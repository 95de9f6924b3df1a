/** AddApplicationReferenceDataSource and DeleteApplicationReferenceDataSource. */
import { nextId, withoutItem } from '../application-model.js';
import { checkReference } from '../configuration-rules.js';
import { defineAction } from './action.js';

export const addApplicationReferenceDataSource = defineAction(
  'AddApplicationReferenceDataSource',
  async ({ service, scope }, input) => {
    checkReference(input.ReferenceDataSource);
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) => {
        const { id, lastIdNumber } = nextId(record);
        return {
          ...record,
          lastIdNumber,
          references: [...record.references, { id, reference: input.ReferenceDataSource }],
        };
      },
    );
    return undefined;
  },
);

export const deleteApplicationReferenceDataSource = defineAction(
  'DeleteApplicationReferenceDataSource',
  async ({ service, scope }, input) => {
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) => ({
        ...record,
        references: withoutItem(record, record.references, input.ReferenceId, 'reference data source'),
      }),
    );
    return undefined;
  },
);
