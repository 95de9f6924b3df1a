import { describeDestination } from '../destination-config.js';
import type { DeliveryStreamRecord } from '../delivery-stream-model.js';
import type { FirehoseService } from '../firehose-service.js';
import { defineFirehoseAction } from './action.js';

interface DescribeDeliveryStreamInput {
  readonly DeliveryStreamName: string;
  readonly Limit?: number;
  readonly ExclusiveStartDestinationId?: string;
}

export const describeDeliveryStream = defineFirehoseAction<DescribeDeliveryStreamInput>(
  'DescribeDeliveryStream',
  async ({ service, scope }, input) => {
    const { record } = service.find(scope, input.DeliveryStreamName);
    // One destination per delivery stream: a page starting after it is empty.
    const destinations =
      input.ExclusiveStartDestinationId === record.destination.destinationId
        ? []
        : [describeDestination(record.destination)];
    return {
      DeliveryStreamDescription: {
        ...describeRecord(service, record),
        Destinations: destinations,
        HasMoreDestinations: false,
      },
    };
  },
);

function describeRecord(service: FirehoseService, record: DeliveryStreamRecord): Record<string, unknown> {
  const encryption = record.encryption;
  const description: Record<string, unknown> = {
    DeliveryStreamName: record.name,
    DeliveryStreamARN: service.arnOf(record),
    DeliveryStreamStatus: record.status,
    DeliveryStreamEncryptionConfiguration: {
      ...(encryption.keyArn === undefined ? {} : { KeyARN: encryption.keyArn }),
      ...(encryption.keyType === undefined ? {} : { KeyType: encryption.keyType }),
      Status: encryption.status,
    },
    DeliveryStreamType: record.type,
    VersionId: String(record.versionId),
    CreateTimestamp: new Date(record.createdAtMs),
  };
  if (record.lastUpdateMs !== undefined) description.LastUpdateTimestamp = new Date(record.lastUpdateMs);
  if (record.kinesisSource !== undefined) {
    description.Source = {
      KinesisStreamSourceDescription: {
        KinesisStreamARN: record.kinesisSource.kinesisStreamArn,
        RoleARN: record.kinesisSource.roleArn,
        DeliveryStartTimestamp: new Date(record.kinesisSource.deliveryStartMs),
      },
    };
  } else if (record.directPut?.throughputHintInMBs !== undefined) {
    description.Source = {
      DirectPutSourceDescription: { ThroughputHintInMBs: record.directPut.throughputHintInMBs },
    };
  }
  return description;
}
