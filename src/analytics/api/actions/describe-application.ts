/** DescribeApplication: the stored application as an ApplicationDetail. */
import { applicationDetail } from '../application-description.js';
import { defineAction } from './action.js';

export const describeApplication = defineAction('DescribeApplication', async ({ service, scope }, input) => ({
  ApplicationDetail: applicationDetail(service.find(scope, input.ApplicationName)),
}));
