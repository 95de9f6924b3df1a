/**
 * Deletes an application whose CreateTimestamp the caller gives (DescribeApplication's value), so
 * that a client never deletes a newer application of the same name. READY and RUNNING
 * applications may be deleted; the status is DELETING for the transition delay.
 */
import { applicationNotFound, concurrentModification } from '../analytics-errors.js';
import { notAvailable } from '../analytics-service.js';
import { applicationKey } from '../application-model.js';
import { defineAction } from './action.js';

export const deleteApplication = defineAction('DeleteApplication', async ({ service, scope }, input) => {
  const name = input.ApplicationName;
  await service.mutate(applicationKey(scope.accountId, scope.region, name), (current) => {
    if (current === undefined) throw applicationNotFound(name, scope.accountId);
    const record = current.record;
    // Compared to the second: boto3 sends whole epoch seconds (the JavaScript SDK milliseconds).
    if (Math.floor(input.CreateTimestamp.getTime() / 1000) !== Math.floor(record.createdAtMs / 1000)) {
      throw concurrentModification(
        `CreateTimestamp ${input.CreateTimestamp.toISOString()} does not match application ${name}, created at ${new Date(record.createdAtMs).toISOString()}.`,
      );
    }
    if (record.status !== 'READY' && record.status !== 'RUNNING') throw notAvailable(record);
    return { next: service.beginTransition(record, 'delete'), result: undefined };
  });
  return undefined;
});
