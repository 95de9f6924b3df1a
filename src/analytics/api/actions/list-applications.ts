/** ListApplications: summaries by name, paged by ExclusiveStartApplicationName and Limit. */
import { applicationSummary } from '../application-description.js';
import { defineAction } from './action.js';

/** AWS's page size when the request gives no Limit. */
const listLimitDefault = 50;

export const listApplications = defineAction('ListApplications', async ({ service, scope }, input) => {
  const start = input.ExclusiveStartApplicationName;
  const after = service.list(scope).filter((loaded) => start === undefined || loaded.record.name > start);
  const limit = input.Limit ?? listLimitDefault;
  return {
    ApplicationSummaries: after.slice(0, limit).map(applicationSummary),
    HasMoreApplications: after.length > limit,
  };
});
