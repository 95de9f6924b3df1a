/**
 * Request bodies built before a run starts, so the load generator spends its time sending, not
 * serialising. Data is random (incompressible); partition keys are random hex, so records spread
 * over every shard.
 */
import { randomBytes } from 'node:crypto';
import { cbor } from '@smithy/core/cbor';

export type Encoding = 'json' | 'cbor';

function randomRecords(recordBytes: number, count: number): { Data: Buffer; PartitionKey: string }[] {
  return Array.from({ length: count }, () => ({
    Data: randomBytes(recordBytes),
    PartitionKey: randomBytes(8).toString('hex'),
  }));
}

/** One PutRecords body: JSON with base64 Data, or CBOR with Data as byte strings. */
export function buildPutRecordsBody(
  streamName: string,
  recordBytes: number,
  batchSize: number,
  encoding: Encoding,
): Buffer {
  const records = randomRecords(recordBytes, batchSize);
  if (encoding === 'cbor') {
    // serialize() returns a view of a shared encoding buffer: copy it out.
    return Buffer.from(cbor.serialize({ StreamName: streamName, Records: records }));
  }
  return Buffer.from(
    JSON.stringify({
      StreamName: streamName,
      Records: records.map((record) => ({
        Data: record.Data.toString('base64'),
        PartitionKey: record.PartitionKey,
      })),
    }),
  );
}

export function buildPutRecordsBodies(
  streamName: string,
  recordBytes: number,
  batchSize: number,
  encoding: Encoding,
  count: number,
): Buffer[] {
  return Array.from({ length: count }, () =>
    buildPutRecordsBody(streamName, recordBytes, batchSize, encoding),
  );
}

/** Single-record PutRecord bodies (JSON). */
export function buildPutRecordBodies(streamName: string, recordBytes: number, count: number): Buffer[] {
  return randomRecords(recordBytes, count).map((record) =>
    Buffer.from(
      JSON.stringify({
        StreamName: streamName,
        Data: record.Data.toString('base64'),
        PartitionKey: record.PartitionKey,
      }),
    ),
  );
}

/**
 * PutRecords bodies for many streams sharing one records array: each body is three parts (a
 * per-stream head, the shared records, a closing brace), so 100 streams cost one copy of the data.
 */
export function buildMultiStreamPutRecordsBodies(
  streamNames: readonly string[],
  recordBytes: number,
  batchSize: number,
): Buffer[][] {
  const records = Buffer.from(
    JSON.stringify(
      randomRecords(recordBytes, batchSize).map((record) => ({
        Data: record.Data.toString('base64'),
        PartitionKey: record.PartitionKey,
      })),
    ),
  );
  const tail = Buffer.from('}');
  return streamNames.map((name) => [
    Buffer.from(`{"StreamName":${JSON.stringify(name)},"Records":`),
    records,
    tail,
  ]);
}
