/**
 * What the catalog holds for an enhanced fan-out consumer, and how it looks on the wire.
 *
 * A consumer is one catalog entry, `consumers/<account>/<region>/<stream>/<consumer>`, tied to
 * one incarnation of its stream by `streamId`: a consumer whose stream was deleted (or deleted
 * and created again) is gone. CREATING and DELETING carry their due time, so a restart in the
 * middle finishes the transition.
 */
import { consumerArn } from '../../core/arn.js';
import { resourceInUse, resourceNotFound, type ServiceError } from '../../core/errors.js';
import type { StreamRecord } from '../stream-model.js';

export const consumerStatuses = ['CREATING', 'ACTIVE', 'DELETING'] as const;
export type ConsumerStatus = (typeof consumerStatuses)[number];

export interface ConsumerRecord {
  readonly streamId: string;
  readonly accountId: string;
  readonly region: string;
  readonly streamName: string;
  readonly name: string;
  readonly createdAtMs: number;
  readonly status: ConsumerStatus;
  /** When CREATING or DELETING completes. */
  readonly dueAtMs?: number;
  readonly tags: Readonly<Record<string, string>>;
  /** A resource policy (JSON text), stored and validated like a stream's. */
  readonly policy?: string;
}

const prefix = 'consumers/';

/** The prefix under which a stream's consumers are kept. */
export const consumersPrefixOf = (accountId: string, region: string, streamName: string): string =>
  `${prefix}${accountId}/${region}/${streamName}/`;

/** The same prefix, from a stream's catalog key (`streams/<account>/<region>/<name>`). */
export function consumersPrefixOfStreamKey(streamKey: string): string | undefined {
  if (!streamKey.startsWith('streams/')) return undefined;
  return `${prefix}${streamKey.slice('streams/'.length)}/`;
}

export const consumerKeyOf = (
  record: Pick<ConsumerRecord, 'accountId' | 'region' | 'streamName' | 'name'>,
): string => `${consumersPrefixOf(record.accountId, record.region, record.streamName)}${record.name}`;

export const creationSecondsOf = (record: ConsumerRecord): number => Math.floor(record.createdAtMs / 1000);

export function arnOfConsumer(record: ConsumerRecord): string {
  return consumerArn(
    record.region,
    record.accountId,
    record.streamName,
    record.name,
    creationSecondsOf(record),
  );
}

/** The wire `Consumer` structure (RegisterStreamConsumer, ListStreamConsumers). */
export function consumerToWire(record: ConsumerRecord): Record<string, unknown> {
  return {
    ConsumerName: record.name,
    ConsumerARN: arnOfConsumer(record),
    ConsumerStatus: record.status,
    ConsumerCreationTimestamp: new Date(record.createdAtMs),
  };
}

/** The wire `ConsumerDescription` (DescribeStreamConsumer): a Consumer with its StreamARN. */
export function consumerDescription(record: ConsumerRecord, streamArn: string): Record<string, unknown> {
  return { ...consumerToWire(record), StreamARN: streamArn };
}

export function newConsumerRecord(
  stream: StreamRecord,
  name: string,
  nowMs: number,
  dueAtMs: number,
  tags: Readonly<Record<string, string>>,
): ConsumerRecord {
  return {
    streamId: stream.streamId,
    accountId: stream.accountId,
    region: stream.region,
    streamName: stream.name,
    name,
    createdAtMs: nowMs,
    status: 'CREATING',
    dueAtMs,
    tags,
  };
}

/** AWS's answer when a consumer must be ACTIVE for the call (subscribe, deregister, tag). */
export function consumerNotActive(record: ConsumerRecord): ServiceError {
  return resourceInUse(
    `Consumer ${record.name} with creation timestamp ${creationSecondsOf(record)} under stream ` +
      `${record.streamName} and account ${record.accountId} is not in ACTIVE status.`,
  );
}

/** No such consumer: `reference` is the ARN or name the request gave. */
export function consumerNotFound(reference: string): ServiceError {
  return resourceNotFound(`Consumer ${reference} not found.`);
}
