/**
 * CreateApplication: checks the configuration and the code, assigns ids `1.1`, `2.1`, … to the
 * inputs, outputs and logging options in that order, and stores the application READY at version 1.
 */
import { invalidArgument, limitExceeded, resourceInUse } from '../../../core/errors.js';
import { applicationKey, type ApplicationRecord } from '../application-model.js';
import { applicationSummary } from '../application-description.js';
import { applicationLimits, checkConfiguration, checkInput, checkOutput } from '../configuration-rules.js';
import { validateApplicationCode } from '../validate-application-code.js';
import { checkTagCount, mergeTags } from './tag-rules.js';
import { defineAction } from './action.js';

export const createApplication = defineAction('CreateApplication', async ({ service, scope }, input) => {
  const name = input.ApplicationName;
  const key = applicationKey(scope.accountId, scope.region, name);
  for (const source of input.Inputs ?? []) checkInput(source);
  for (const output of input.Outputs ?? []) checkOutput(output);
  if (input.Tags !== undefined) {
    if (new Set(input.Tags.map((tag) => tag.Key)).size !== input.Tags.length) {
      throw invalidArgument('Tags must have unique keys.');
    }
    checkTagCount(input.Tags.length);
  }
  if (input.ApplicationCode !== undefined) {
    validateApplicationCode(input.ApplicationCode, input.Inputs ?? []);
  }
  const nowMs = service.clock.nowMs();
  let lastIdNumber = 0;
  const takeId = (): string => `${++lastIdNumber}.1`;
  const record: ApplicationRecord = {
    accountId: scope.accountId,
    region: scope.region,
    name,
    ...(input.ApplicationDescription === undefined ? {} : { description: input.ApplicationDescription }),
    ...(input.ApplicationCode === undefined ? {} : { code: input.ApplicationCode }),
    status: 'READY',
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    versionId: 1,
    inputs: (input.Inputs ?? []).map((source) => ({ id: takeId(), input: source })),
    outputs: (input.Outputs ?? []).map((output) => ({ id: takeId(), output })),
    references: [],
    loggingOptions: (input.CloudWatchLoggingOptions ?? []).map((option) => ({ id: takeId(), option })),
    tags: mergeTags([], input.Tags ?? []),
    lastIdNumber: 0,
    running: false,
  };
  const complete = { ...record, lastIdNumber };
  checkConfiguration(complete);
  return service
    .mutate(key, (current) => {
      if (current !== undefined) throw resourceInUse(`Application ${name} already exists.`);
      if (service.count(scope) >= applicationLimits.applicationsPerRegionMax) {
        throw limitExceeded(
          `Account ${scope.accountId} has reached the limit of ${applicationLimits.applicationsPerRegionMax} applications in ${scope.region}.`,
        );
      }
      return {
        next: complete,
        result: undefined,
      };
    })
    .then(() => ({ ApplicationSummary: applicationSummary(service.find(scope, name)) }));
});
