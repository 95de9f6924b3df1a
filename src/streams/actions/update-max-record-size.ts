import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface UpdateMaxRecordSizeInput extends StreamReference {
  /** 1024 to 10240, checked against the model before this runs. */
  readonly MaxRecordSizeInKiB: number;
}

export const updateMaxRecordSize = defineAction<UpdateMaxRecordSizeInput>(
  'UpdateMaxRecordSize',
  async ({ service, scope }, input) =>
    service.updateActiveStream(scope, input, (record) => ({
      next: { ...record, maxRecordSizeKiB: input.MaxRecordSizeInKiB },
      result: undefined,
    })),
);
