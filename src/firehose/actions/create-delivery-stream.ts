import { invalidArgument, limitExceeded, resourceInUse } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { destinationFromCreate } from '../destination-config.js';
import {
  deliveryStreamKey,
  firstDestinationId,
  type DeliveryStreamRecord,
  type EncryptionState,
} from '../delivery-stream-model.js';
import { checkEncryptionInput } from '../encryption-rules.js';
import { mergeTagList, type Tag } from '../tag-rules.js';
import { defineFirehoseAction } from './action.js';

interface CreateDeliveryStreamInput extends Readonly<Record<string, unknown>> {
  readonly DeliveryStreamName: string;
  readonly DeliveryStreamType?: string;
  readonly DirectPutSourceConfiguration?: { readonly ThroughputHintInMBs: number };
  readonly KinesisStreamSourceConfiguration?: { readonly KinesisStreamARN: string; readonly RoleARN: string };
  readonly DeliveryStreamEncryptionConfigurationInput?: {
    readonly KeyType: string;
    readonly KeyARN?: string;
  };
  readonly Tags?: readonly Tag[];
}

export const createDeliveryStream = defineFirehoseAction<CreateDeliveryStreamInput>(
  'CreateDeliveryStream',
  async ({ service, scope }, input) => {
    const name = input.DeliveryStreamName;
    const type = input.DeliveryStreamType ?? 'DirectPut';
    if (type !== 'DirectPut' && type !== 'KinesisStreamAsSource') {
      throw invalidArgument(`DeliveryStreamType ${type} is not supported yet by this Firehose endpoint.`);
    }
    if (type === 'KinesisStreamAsSource' && input.KinesisStreamSourceConfiguration === undefined) {
      throw invalidArgument(
        'KinesisStreamSourceConfiguration must be provided when DeliveryStreamType is KinesisStreamAsSource.',
      );
    }
    if (type === 'DirectPut' && input.KinesisStreamSourceConfiguration !== undefined) {
      throw invalidArgument(
        'KinesisStreamSourceConfiguration is only allowed when DeliveryStreamType is KinesisStreamAsSource.',
      );
    }
    if (type !== 'DirectPut' && input.DirectPutSourceConfiguration !== undefined) {
      throw invalidArgument(
        'DirectPutSourceConfiguration is only allowed when DeliveryStreamType is DirectPut.',
      );
    }
    const encryptionInput = input.DeliveryStreamEncryptionConfigurationInput;
    if (encryptionInput !== undefined) {
      if (type !== 'DirectPut') {
        throw invalidArgument(
          'Server-side encryption cannot be enabled for a delivery stream with KinesisStreamAsSource as the source. ' +
            'Encrypt the source Kinesis stream instead.',
        );
      }
      checkEncryptionInput(encryptionInput);
    }
    const destination = destinationFromCreate(input, firstDestinationId, {
      resolveDomain: (domainArn) => service.resolveDomain(domainArn),
    });
    const source = input.KinesisStreamSourceConfiguration;
    if (source !== undefined && !(await service.sourceStreamExists(source.KinesisStreamARN))) {
      throw invalidArgument(`Kinesis stream ${source.KinesisStreamARN} does not exist.`);
    }

    const nowMs = service.clock.nowMs();
    const encryption: EncryptionState =
      encryptionInput === undefined
        ? { status: 'DISABLED' }
        : {
            status: 'ENABLED',
            keyType: encryptionInput.KeyType as 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK',
            ...(encryptionInput.KeyARN === undefined ? {} : { keyArn: encryptionInput.KeyARN }),
          };
    const record: DeliveryStreamRecord = {
      deliveryStreamId: service.newDeliveryStreamId(),
      accountId: scope.accountId,
      region: scope.region,
      name,
      status: 'CREATING',
      type,
      createdAtMs: nowMs,
      versionId: 1,
      tags: mergeTagList([], input.Tags ?? []),
      ...(input.DirectPutSourceConfiguration === undefined
        ? {}
        : { directPut: { throughputHintInMBs: input.DirectPutSourceConfiguration.ThroughputHintInMBs } }),
      ...(source === undefined
        ? {}
        : {
            kinesisSource: {
              kinesisStreamArn: source.KinesisStreamARN,
              roleArn: source.RoleARN,
              deliveryStartMs: nowMs,
            },
          }),
      destination,
      encryption,
      transition: { kind: 'create', dueAtMs: nowMs + service.options.transitionDelayMs },
    };
    const key = deliveryStreamKey(scope.accountId, scope.region, name);
    await service.mutate(key, (current) => {
      if (current !== undefined) {
        throw resourceInUse(`Firehose ${name} under accountId ${scope.accountId} already exists`);
      }
      if (service.list(scope).length >= limits.deliveryStreamsPerRegionMax) {
        throw limitExceeded(
          `You have already consumed your firehose quota of ${limits.deliveryStreamsPerRegionMax} hoses.`,
        );
      }
      return { next: record, result: undefined };
    });
    return { DeliveryStreamARN: service.arnOf(record) };
  },
);
