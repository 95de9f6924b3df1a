/**
 * IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod: 24 to 8760 hours, only up or
 * only down respectively, with AWS's texts (recorded against real Kinesis). Retention is enforced
 * on the data: reads skip older records and the sweep deletes whole segments past it.
 */
import { invalidArgument } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface RetentionInput extends StreamReference {
  readonly RetentionPeriodHours: number;
}

export const increaseStreamRetentionPeriod = defineAction<RetentionInput>(
  'IncreaseStreamRetentionPeriod',
  async ({ service, scope }, input) => {
    const hours = input.RetentionPeriodHours;
    return service.updateActiveStream(scope, input, (record) => {
      if (hours > limits.retentionHoursMax) {
        throw invalidArgument(
          `Maximum allowed retention period is ${limits.retentionHoursMax} hours. Requested retention period (${hours} hours) is too long.`,
        );
      }
      if (hours < record.retentionHours) {
        throw invalidArgument(
          `Requested retention period (${hours} hours) for stream ${record.name} can not be shorter than existing retention period (${record.retentionHours} hours). Use DecreaseRetentionPeriod API.`,
        );
      }
      return { next: { ...record, retentionHours: hours }, result: undefined };
    });
  },
);

export const decreaseStreamRetentionPeriod = defineAction<RetentionInput>(
  'DecreaseStreamRetentionPeriod',
  async ({ service, scope }, input) => {
    const hours = input.RetentionPeriodHours;
    return service.updateActiveStream(scope, input, (record) => {
      if (hours < limits.retentionHoursMin) {
        throw invalidArgument(
          `Minimum allowed retention period is ${limits.retentionHoursMin} hours. Requested retention period (${hours} hours) is too short.`,
        );
      }
      if (hours > record.retentionHours) {
        throw invalidArgument(
          `Requested retention period (${hours} hours) for stream ${record.name} can not be longer than existing retention period (${record.retentionHours} hours). Use IncreaseRetentionPeriod API.`,
        );
      }
      return { next: { ...record, retentionHours: hours }, result: undefined };
    });
  },
);
