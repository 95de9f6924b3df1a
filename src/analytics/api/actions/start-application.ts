/**
 * READY → STARTING → RUNNING. Each input's starting position is stored with it, so that a
 * restart of the server resumes the application the same way.
 */
import { invalidArgument } from '../../../core/errors.js';
import { applicationNotFound, invalidApplicationConfiguration } from '../analytics-errors.js';
import { notAvailable } from '../analytics-service.js';
import { applicationKey } from '../application-model.js';
import { validateApplicationCode } from '../validate-application-code.js';
import { defineAction } from './action.js';

export const startApplication = defineAction('StartApplication', async ({ service, scope }, input) => {
  const name = input.ApplicationName;
  await service.mutate(applicationKey(scope.accountId, scope.region, name), (current) => {
    if (current === undefined) throw applicationNotFound(name, scope.accountId);
    const record = current.record;
    if (record.status !== 'READY') throw notAvailable(record);
    const runtime = service.requireRuntime('StartApplication');
    if (record.inputs.length === 0) {
      throw invalidApplicationConfiguration(
        `Application ${name} has no input: add one with AddApplicationInput.`,
      );
    }
    for (const configuration of input.InputConfigurations) {
      if (!record.inputs.some((stored) => stored.id === configuration.Id)) {
        throw invalidArgument(`Application ${name} has no input with id ${configuration.Id}.`);
      }
    }
    const inputs = record.inputs.map((stored) => {
      const configuration = input.InputConfigurations.find((candidate) => candidate.Id === stored.id);
      if (configuration === undefined) {
        throw invalidArgument(`InputConfigurations must give a starting position for input ${stored.id}.`);
      }
      const position = configuration.InputStartingPositionConfiguration.InputStartingPosition ?? 'NOW';
      return { ...stored, startingPosition: position };
    });
    const next = { ...record, inputs };
    validateApplicationCode(
      record.code ?? '',
      record.inputs.map((stored) => stored.input),
      record.references.map((stored) => stored.reference),
    );
    runtime.checkRunnable(next);
    return { next: service.beginTransition(next, 'start'), result: undefined };
  });
  return undefined;
});
