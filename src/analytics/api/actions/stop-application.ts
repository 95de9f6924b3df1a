/** RUNNING → STOPPING → READY; stopping a READY application does nothing. */
import { applicationNotFound } from '../analytics-errors.js';
import { notAvailable } from '../analytics-service.js';
import { applicationKey } from '../application-model.js';
import { defineAction } from './action.js';

export const stopApplication = defineAction('StopApplication', async ({ service, scope }, input) => {
  const name = input.ApplicationName;
  await service.mutate(applicationKey(scope.accountId, scope.region, name), (current) => {
    if (current === undefined) throw applicationNotFound(name, scope.accountId);
    const record = current.record;
    if (record.status === 'READY') return { result: undefined };
    if (record.status !== 'RUNNING') throw notAvailable(record);
    return { next: service.beginTransition(record, 'stop'), result: undefined };
  });
  return undefined;
});
