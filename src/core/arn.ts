/**
 * ARNs and AWS partitions. Streams are namespaced by (account, region); an ARN names both, and
 * its partition follows from the region's prefix.
 */

const partitionsByRegionPrefix: readonly (readonly [string, string])[] = [
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['us-gov-', 'aws-us-gov'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
  ['cn-', 'aws-cn'],
];

export function partitionOf(region: string): string {
  for (const [prefix, partition] of partitionsByRegionPrefix) {
    if (region.startsWith(prefix)) return partition;
  }
  return 'aws';
}

export interface StreamArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly streamName: string;
}

export function streamArn(region: string, accountId: string, streamName: string): string {
  return `arn:${partitionOf(region)}:kinesis:${region}:${accountId}:stream/${streamName}`;
}

const streamArnPattern = /^arn:(aws[a-z-]*):kinesis:([a-z0-9-]*):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

/** Parses a stream ARN; undefined when it is not one. */
export function parseStreamArn(arn: string): StreamArnParts | undefined {
  const match = streamArnPattern.exec(arn);
  if (match === null) return undefined;
  const [, partition, region, accountId, streamName] = match;
  if (
    partition === undefined ||
    region === undefined ||
    accountId === undefined ||
    streamName === undefined
  ) {
    return undefined;
  }
  return { partition, region, accountId, streamName };
}

export interface ConsumerArnParts extends StreamArnParts {
  readonly consumerName: string;
  readonly creationSeconds: number;
}

/** `<stream ARN>/consumer/<name>:<creation epoch seconds>`, as AWS names fan-out consumers. */
export function consumerArn(
  region: string,
  accountId: string,
  streamName: string,
  consumerName: string,
  creationSeconds: number,
): string {
  return `${streamArn(region, accountId, streamName)}/consumer/${consumerName}:${creationSeconds}`;
}

const consumerArnPattern =
  /^arn:(aws[a-z-]*):kinesis:([a-z0-9-]*):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})\/consumer\/([a-zA-Z0-9_.-]{1,128}):(\d{1,15})$/;

/** Parses a consumer ARN; undefined when it is not one. */
export function parseConsumerArn(arn: string): ConsumerArnParts | undefined {
  const match = consumerArnPattern.exec(arn);
  if (match === null) return undefined;
  const [, partition, region, accountId, streamName, consumerName, seconds] = match;
  if (
    partition === undefined ||
    region === undefined ||
    accountId === undefined ||
    streamName === undefined ||
    consumerName === undefined ||
    seconds === undefined
  ) {
    return undefined;
  }
  return { partition, region, accountId, streamName, consumerName, creationSeconds: Number(seconds) };
}
