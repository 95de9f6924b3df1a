/**
 * What the newest Kinesis model adds to the botocore model that `shapes.generated.ts` is built
 * from. The botocore model on our machines (August 2026, 39 operations) predates them; the
 * JavaScript SDK 3.1143 model has them: the `RecordDistributionStrategy` of on-demand streams
 * (CreateStream member, UpdateStreamRecordDistributionStrategy, a PartitionKey that is optional
 * for AUTO streams) and `DryRun` on the data-plane operations. The channel operations of that
 * model are not here: they answer UnknownOperationException (docs/compatibility.md).
 *
 * Shapes are derived from the generated ones so that shared constraints stay the model's.
 */
import type { BooleanShape, ListShape, Shape, StringShape, StructureShape } from '../protocol/shape.js';
import {
  inputShapes as botocoreInputShapes,
  operationNames as botocoreOperationNames,
} from './shapes.generated.js';

export const recordDistributionStrategies = ['AUTO', 'USER_PARTITION_KEY'] as const;
export type RecordDistributionStrategy = (typeof recordDistributionStrategies)[number];

const recordDistributionStrategyShape = {
  type: 'string',
  enum: recordDistributionStrategies,
} as const satisfies StringShape;

const dryRunShape = { type: 'boolean' } as const satisfies BooleanShape;

function withMembers(shape: StructureShape, members: Record<string, Shape>): StructureShape {
  return { ...shape, members: { ...shape.members, ...members } };
}

function withoutRequired(shape: StructureShape, member: string): StructureShape {
  const required = (shape.required ?? []).filter((name) => name !== member);
  return { ...shape, required };
}

const dryRun = { DryRun: dryRunShape };

const putRecords = withMembers(botocoreInputShapes.PutRecords, dryRun);
const putRecordsEntries = putRecords.members.Records as ListShape;

export const inputShapes = {
  ...botocoreInputShapes,
  CreateStream: withMembers(botocoreInputShapes.CreateStream, {
    RecordDistributionStrategy: recordDistributionStrategyShape,
  }),
  GetRecords: withMembers(botocoreInputShapes.GetRecords, dryRun),
  GetShardIterator: withMembers(botocoreInputShapes.GetShardIterator, dryRun),
  PutRecord: withMembers(botocoreInputShapes.PutRecord, dryRun),
  PutRecords: putRecords,
  SubscribeToShard: withMembers(botocoreInputShapes.SubscribeToShard, dryRun),
  UpdateStreamRecordDistributionStrategy: {
    type: 'structure',
    members: {
      StreamARN: botocoreInputShapes.DescribeStreamSummary.members.StreamARN,
      StreamId: botocoreInputShapes.DescribeStreamSummary.members.StreamId,
      RecordDistributionStrategy: recordDistributionStrategyShape,
    },
    required: ['StreamARN', 'RecordDistributionStrategy'],
  },
} as const satisfies Record<string, StructureShape>;

/**
 * PutRecord and PutRecords as the newest model has them for a stream whose strategy is AUTO: the
 * partition key may be left out. Streams keyed by the user keep the botocore shapes, so that a
 * missing key answers AWS's "Member must not be null" ValidationException as before.
 */
export const autoDistributionInputShapes = {
  PutRecord: withoutRequired(inputShapes.PutRecord, 'PartitionKey'),
  PutRecords: withMembers(putRecords, {
    Records: {
      ...putRecordsEntries,
      member: withoutRequired(putRecordsEntries.member as StructureShape, 'PartitionKey'),
    },
  }),
} as const satisfies Record<string, StructureShape>;

export const operationNames: readonly string[] = [
  ...botocoreOperationNames,
  'UpdateStreamRecordDistributionStrategy',
  'CreateChannel',
  'DeleteChannel',
  'DescribeChannel',
  'ListChannels',
  'UpdateChannel',
].sort();
