/**
 * AddApplicationCloudWatchLoggingOption and its Delete counterpart. The options are kept and
 * described; Tributary writes application errors to its own log, not to CloudWatch Logs.
 */
import { nextId, withoutItem } from '../application-model.js';
import { defineAction } from './action.js';

export const addApplicationCloudWatchLoggingOption = defineAction(
  'AddApplicationCloudWatchLoggingOption',
  async ({ service, scope }, input) => {
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) => {
        const { id, lastIdNumber } = nextId(record);
        return {
          ...record,
          lastIdNumber,
          loggingOptions: [...record.loggingOptions, { id, option: input.CloudWatchLoggingOption }],
        };
      },
    );
    return undefined;
  },
);

export const deleteApplicationCloudWatchLoggingOption = defineAction(
  'DeleteApplicationCloudWatchLoggingOption',
  async ({ service, scope }, input) => {
    await service.changeConfiguration(
      scope,
      input.ApplicationName,
      input.CurrentApplicationVersionId,
      (record) => ({
        ...record,
        loggingOptions: withoutItem(
          record,
          record.loggingOptions,
          input.CloudWatchLoggingOptionId,
          'CloudWatch logging option',
        ),
      }),
    );
    return undefined;
  },
);
