import { invalidArgument, ServiceError } from '../../core/errors.js';
import { mergeDestinationUpdate } from '../destination-config.js';
import { checkActive } from '../firehose-service.js';
import { defineFirehoseAction } from './action.js';

interface UpdateDestinationInput extends Readonly<Record<string, unknown>> {
  readonly DeliveryStreamName: string;
  readonly CurrentDeliveryStreamVersionId: string;
  readonly DestinationId: string;
}

/**
 * Merges an update into the destination. The version must be the current one; an update that
 * changes nothing keeps VersionId and LastUpdateTimestamp, as on AWS. The new configuration
 * applies to the next object written, including records already buffered.
 */
export const updateDestination = defineFirehoseAction<UpdateDestinationInput>(
  'UpdateDestination',
  async ({ service, scope }, input) =>
    service.change(scope, input.DeliveryStreamName, (record) => {
      checkActive(record);
      if (input.CurrentDeliveryStreamVersionId !== String(record.versionId)) {
        throw new ServiceError(
          'ConcurrentModificationException',
          `Cannot update firehose: ${record.name} since the current version id: ${record.versionId} and ` +
            `specified version id: ${input.CurrentDeliveryStreamVersionId} do not match`,
        );
      }
      if (input.DestinationId !== record.destination.destinationId) {
        throw invalidArgument(`Destination Id ${input.DestinationId} not found in Firehose ${record.name}.`);
      }
      const destination = mergeDestinationUpdate(record.destination, input, {
        resolveDomain: (domainArn) => service.resolveDomain(domainArn),
      });
      if (JSON.stringify(destination) === JSON.stringify(record.destination)) return { result: {} };
      return {
        next: {
          ...record,
          destination,
          versionId: record.versionId + 1,
          lastUpdateMs: service.clock.nowMs(),
        },
        result: {},
      };
    }),
);
