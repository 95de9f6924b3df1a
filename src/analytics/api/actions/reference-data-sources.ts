/** AddApplicationReferenceDataSource and DeleteApplicationReferenceDataSource. */
import { resourceNotFound } from '../../../core/errors.js';
import { nextId } from '../application-model.js';
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
      (record) => {
        if (!record.references.some((stored) => stored.id === input.ReferenceId)) {
          throw resourceNotFound(
            `Application ${record.name} has no reference data source with id ${input.ReferenceId}.`,
          );
        }
        return {
          ...record,
          references: record.references.filter((stored) => stored.id !== input.ReferenceId),
        };
      },
    );
    return undefined;
  },
);
